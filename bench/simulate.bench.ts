// The policy scoreboard (the issue's targets against the oracle and AWS's recipes) and the simulator's speed.
// `npm run bench -- simulate` (writes bench/results/simulate.md).
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import {
  arrivalsPerMinute,
  backtestArrivals,
  POLICY_NAMES,
  simulateLambdaConsumer,
  type BacklogParameters,
  type PolicyName,
  type PolicyScore,
} from '../shared/simulate/index.ts';
import { launchPlan } from '../shared/simulate/oracle.ts';
import { cheapestRunningProfile } from '../shared/simulate/oracle-search.ts';
import { SCALE_IN_MODELS, type ScaleInModel } from '../shared/simulate/scaling-rules.ts';
import { ServiceModel } from '../shared/simulate/service-model.ts';
import { lastDays, type RegularSeries } from '../shared/series/regular-series.ts';
import { syntheticLoad } from '../shared/synthetic-load/synthetic-load.ts';
import { median, readTraceFile, table } from './support/traces.ts';

const DAY_MINUTES = 1440;
const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;
/** The public traces: their last 28 days, scaled so the busiest minute needs 35 one-message-a-second workers. */
const TRACE_DAYS = 28;
const PEAK_WORKERS = 35;
const traceParameters: BacklogParameters = { throughputPerWorker: 1, startupMs: 90_000, sloMs: 300_000, minCapacity: 1, maxCapacity: 50 };
/** The issue's flat-load case and the demo's reference worker: 0.5 msg/s per worker, 90 s start-up, 5 min SLO, max 40. */
const workerParameters: BacklogParameters = { throughputPerWorker: 0.5, startupMs: 90_000, sloMs: 300_000, minCapacity: 1, maxCapacity: 40 };
const RECIPES: readonly PolicyName[] = ['cpu-target-tracking', 'queue-step-scaling', 'backlog-target-tracking'];
const HEADROOM: readonly PolicyName[] = ['headroom-reactive', 'headroom-predictive'];

interface Scenario {
  readonly label: string;
  readonly kind: 'regular' | 'bursty';
  readonly arrivals: readonly number[];
  readonly startMs: number;
  readonly parameters: BacklogParameters;
  readonly note: string;
}

function traceScenario(label: string, file: string, kind: Scenario['kind']): Scenario {
  const series = lastDays(readTraceFile(file), TRACE_DAYS);
  const raw = arrivalsPerMinute(series);
  const scale = (PEAK_WORKERS * traceParameters.throughputPerWorker * 60) / Math.max(...raw);
  return {
    label,
    kind,
    arrivals: raw.map((value) => value * scale),
    startMs: series.startMs,
    parameters: traceParameters,
    note: `last ${TRACE_DAYS} days x ${scale.toPrecision(3)}, peak ${PEAK_WORKERS} workers`,
  };
}

/** Messages per minute of a syntheticLoad (arrivals per second at each step). */
function perMinute(series: RegularSeries): number[] {
  return arrivalsPerMinute({ ...series, values: series.values.map((perSecond) => perSecond * (series.stepMs / 1000)) });
}

const START = Date.UTC(2026, 0, 5);

export function scenarios(): Scenario[] {
  const twoWeeks = 14 * DAY_MINUTES;
  const demoStart = START;
  return [
    traceScenario('NYC taxi (30 min)', 'nyc-taxi-passengers-30min.csv', 'regular'),
    {
      label: 'flat 5 msg/s',
      kind: 'regular',
      arrivals: new Array<number>(twoWeeks).fill(300),
      startMs: START,
      parameters: workerParameters,
      note: '14 days at 5 msg/s (10 workers)',
    },
    {
      label: 'step x4',
      kind: 'regular',
      arrivals: Array.from({ length: twoWeeks }, (_, minute) => (minute >= twoWeeks / 2 ? 600 : 150)),
      startMs: START,
      parameters: workerParameters,
      note: '14 days, 2.5 msg/s then 10 msg/s from day 7 within one minute',
    },
    {
      label: 'demo synthetic',
      kind: 'regular',
      arrivals: perMinute(
        syntheticLoad({
          startMs: demoStart,
          stepMs: HOUR_MS,
          days: 14,
          meanRate: 6,
          flashCrowd: { startMs: demoStart + 9 * DAY_MS + 13 * HOUR_MS, durationMs: 2 * HOUR_MS, multiplier: 3 },
        }),
      ),
      startMs: demoStart,
      parameters: workerParameters,
      note: "`npm start`'s two weeks (hourly, 6 msg/s mean, a 2-hour x3 flash crowd above what 40 workers serve)",
    },
    traceScenario('AWS ELB (5 min)', 'aws-elb-requests-5min.csv', 'bursty'),
    traceScenario('Twitter AAPL (5 min)', 'twitter-volume-AAPL-5min.csv', 'bursty'),
    traceScenario('WC98 (1 min)', 'wc98-requests-per-minute.csv', 'bursty'),
    {
      label: 'flash crowd',
      kind: 'bursty',
      arrivals: perMinute(
        syntheticLoad({
          startMs: START,
          stepMs: 60_000,
          days: 14,
          meanRate: 4,
          noise: 0.15,
          flashCrowd: { startMs: START + 9 * DAY_MS + 13 * HOUR_MS, durationMs: HOUR_MS, multiplier: 4 },
        }),
      ),
      startMs: START,
      parameters: { ...workerParameters, maxCapacity: 60 },
      note: '14 days by the minute, 4 msg/s mean with 15% noise, one hour at x4 (needs up to ~50 workers; max 60)',
    },
  ];
}

/** The best of AWS's recipes: fewest violation minutes, then fewest capacity-hours. */
function bestOf(policies: readonly PolicyScore[]): PolicyScore {
  return [...policies].sort((a, b) => a.sloViolationMinutes - b.sloViolationMinutes || a.capacityHours - b.capacityHours)[0]!;
}

const byName = (policies: readonly PolicyScore[], name: PolicyName) => policies.find((policy) => policy.name === name)!;
const within = (minutes: number, best: PolicyScore) => minutes <= 0.25 * best.sloViolationMinutes;
const verdict = (met: boolean, detail: string) => `${met ? 'met' : 'MISSED'} (${detail})`;

/** How many days headroom-predictive planned with each setting it chose: "p50 at 100% x 5, p90 at 85% x 1". */
function chosenSettings(days: readonly { settings: { quantile: string; targetUtilization: number } }[]): string {
  const counts = new Map<string, number>();
  for (const day of days) {
    const setting = `${day.settings.quantile} at ${Math.round(day.settings.targetUtilization * 100)}%`;
    counts.set(setting, (counts.get(setting) ?? 0) + 1);
  }
  return [...counts].map(([setting, count]) => `${setting} x ${count}`).join(', ') || 'none (too short to tune)';
}

/** Median milliseconds of `runs` calls, after one warm-up call. */
function time(runs: number, work: () => void): number {
  work();
  const samples: number[] = [];
  for (let run = 0; run < runs; run++) {
    const start = performance.now();
    work();
    samples.push(performance.now() - start);
  }
  return median(samples);
}

function targetRows(scenario: Scenario, policies: readonly PolicyScore[], model: ScaleInModel): string[] {
  const best = bestOf(policies.filter((policy) => RECIPES.includes(policy.name)));
  const oracle = byName(policies, 'oracle');
  const reactive = byName(policies, 'headroom-reactive');
  const predictive = byName(policies, 'headroom-predictive');
  const days = scenario.arrivals.length / DAY_MINUTES;
  const bestCell = `${best.name}: ${best.sloViolationMinutes} min`;
  if (scenario.kind === 'regular') {
    const reactiveMet = reactive.capacityHoursVsOracle <= 1.3 && within(reactive.sloViolationMinutes, best);
    const actionsPerDay = reactive.scalingActions / days;
    const flat = scenario.label.startsWith('flat');
    const predictiveZero = oracle.sloViolationMinutes > 0 || predictive.sloViolationMinutes === 0;
    return [
      `| ${scenario.label} | ${model} | ${bestCell} | ${verdict(reactiveMet, `${reactive.capacityHoursVsOracle.toFixed(2)} x, ${reactive.sloViolationMinutes} min`)}${flat ? ` ${verdict(actionsPerDay <= 24, `${actionsPerDay.toFixed(1)} actions/day`)}` : ''} | ` +
        `${verdict(predictiveZero && predictive.capacityHoursVsOracle <= 1.15, `${predictive.capacityHoursVsOracle.toFixed(2)} x, ${predictive.sloViolationMinutes} min; oracle ${oracle.sloViolationMinutes} min`)} |`,
    ];
  }
  const eligible = policies.filter((policy) => policy.name !== 'oracle' && within(policy.sloViolationMinutes, best));
  const cheapest = [...eligible].sort((a, b) => a.capacityHours - b.capacityHours)[0];
  const headroomCheapest = cheapest !== undefined && HEADROOM.includes(cheapest.name);
  return [
    `| ${scenario.label} | ${model} | ${bestCell} | ${verdict(headroomCheapest, `cheapest within 25%: ${cheapest ? `${cheapest.name}, ${cheapest.capacityHoursVsOracle.toFixed(2)} x` : 'none'}`)} | ` +
      `reactive ${reactive.capacityHoursVsOracle.toFixed(2)} x (${reactive.sloViolationMinutes} min), predictive ${predictive.capacityHoursVsOracle.toFixed(2)} x (${predictive.sloViolationMinutes} min) |`,
  ];
}

export async function run(): Promise<void> {
  const started = performance.now();
  const all = scenarios();
  const scoreRows: string[][] = [];
  const regularTargets: string[] = [];
  const burstyTargets: string[] = [];
  const floorRows: string[][] = [];
  for (const scenario of all) {
    for (const model of SCALE_IN_MODELS) {
      const result = backtestArrivals(scenario.arrivals, scenario.startMs, { ...scenario.parameters, scaleInModel: model });
      const days = scenario.arrivals.length / DAY_MINUTES;
      for (const policy of result.policies) {
        scoreRows.push([
          scenario.label,
          model,
          policy.name,
          String(policy.sloViolationMinutes),
          String(policy.p99WaitSeconds),
          policy.capacityHours.toFixed(0),
          (policy.scalingActions / days).toFixed(1),
          policy.capacityHoursVsOracle.toFixed(2),
        ]);
      }
      (scenario.kind === 'regular' ? regularTargets : burstyTargets).push(...targetRows(scenario, result.policies, model));
      floorRows.push([scenario.label, model, chosenSettings(result.floorSettings ?? [])]);
    }
  }
  const scoreboardSeconds = (performance.now() - started) / 1000;

  // What the burst guard on the oldest message's age adds: headroom-reactive without it.
  const guardCell = (scenario: Scenario, policy: PolicyScore) =>
    `${policy.sloViolationMinutes} min, ${policy.capacityHoursVsOracle.toFixed(2)} x, ${(policy.scalingActions / (scenario.arrivals.length / DAY_MINUTES)).toFixed(1)} actions/day`;
  const guardRow = (scenario: Scenario, label: string, reactive: { timePerMessageMs?: number }) => {
    const run = (ageGuard: boolean) =>
      backtestArrivals(scenario.arrivals, scenario.startMs, scenario.parameters, ['headroom-reactive', 'oracle'], {
        reactive: { ...reactive, ageGuard },
      }).policies[0]!;
    return [label, guardCell(scenario, run(true)), guardCell(scenario, run(false))];
  };
  const guardRows = all.map((scenario) => guardRow(scenario, scenario.label, {}));
  // A timePerMessage declared too short, with no measured time to correct it: what the guard (and the blend) are for.
  for (const scenario of all.filter((entry) => entry.parameters === workerParameters && entry.label !== 'demo synthetic')) {
    for (const factor of [2, 4]) {
      guardRows.push(
        guardRow(scenario, `${scenario.label}, timePerMessage declared ${factor}x too short, not measured`, {
          timePerMessageMs: 1000 / scenario.parameters.throughputPerWorker / factor,
        }),
      );
    }
  }

  // The Lambda consumer path: the same loads drained by Lambda's SQS poller. Lambda bills busy time, the same for any
  // setting that processes every message, so the question is the event source's MaximumConcurrency: the least that
  // meets the SLO (by bisection; more concurrency never waits longer), against the peak required capacity
  // (peak minute's arrivals x time per message) that RequiredCapacity publishes.
  const lambdaRows = all.map((scenario) => {
    const { parameters } = scenario;
    const run = (maxConcurrency: number) =>
      simulateLambdaConsumer(scenario.arrivals, { throughputPerInstance: parameters.throughputPerWorker, maxConcurrency, sloMs: parameters.sloMs });
    const atMax = run(parameters.maxCapacity);
    let [low, high] = [2, 1000];
    if (run(high).sloViolationMinutes > 0) low = high;
    while (low < high) {
      const middle = Math.floor((low + high) / 2);
      if (run(middle).sloViolationMinutes === 0) high = middle;
      else low = middle + 1;
    }
    const peakRequired = Math.max(...scenario.arrivals) / 60 / parameters.throughputPerWorker;
    return [
      scenario.label,
      String(parameters.maxCapacity),
      String(atMax.sloViolationMinutes),
      String(atMax.p99WaitSeconds),
      String(atMax.peakConcurrency),
      String(low),
      peakRequired.toFixed(1),
    ];
  });

  // The exact oracle's search on each whole scenario: its CPU time (the machine is shared, so not wall time).
  const oracleRows = all.map((scenario) => {
    const before = process.cpuUsage();
    const running = cheapestRunningProfile(scenario.arrivals, scenario.parameters);
    const used = process.cpuUsage(before);
    const seconds = (used.user + used.system) / 1e6;
    const workerHours = launchPlan(running, Math.ceil(scenario.parameters.startupMs / 60_000)).desired.reduce((sum, value) => sum + value, 0) / 60;
    return [
      scenario.label,
      scenario.arrivals.length.toLocaleString('en-US'),
      `${scenario.parameters.minCapacity}-${scenario.parameters.maxCapacity}`,
      workerHours.toFixed(1),
      seconds.toFixed(1),
      ((seconds * 1e3) / scenario.arrivals.length).toFixed(2),
    ];
  });

  // Speed: one policy over 14 days at 1-minute steps; the baseline replays the same arrivals through the queue and
  // workers at a fixed capacity (no policy, no Application Auto Scaling), in the same run.
  const wc98 = all.find((scenario) => scenario.label.startsWith('WC98'))!;
  const twoWeeks = wc98.arrivals.slice(-14 * DAY_MINUTES);
  const baselineMs = time(9, () => {
    const service = new ServiceModel(traceParameters, PEAK_WORKERS);
    twoWeeks.forEach((value, minute) => service.step(minute, value));
  });
  const speedRows = POLICY_NAMES.map((name) => {
    const ms = time(5, () => backtestArrivals(twoWeeks, 0, traceParameters, [name]));
    return [name, ms.toFixed(1), (ms / baselineMs).toFixed(1)];
  });

  const report = [
    '# Simulator: policy scoreboard and speed',
    '',
    `Reproduce: \`npm run bench -- simulate\` (writes this file). Measured ${new Date().toISOString().slice(0, 10)}, Node ${process.version}.`,
    '',
    "Policies as `headroom backtest` runs them (docs/simulate.md). `headroom-reactive` is QueueScaledService's default:",
    'target tracking on RequiredCapacityPerTask at 0.9 (arrival rate x time per message + backlog drained within half of',
    "acceptable latency minus start-up, per running task), the burst guard on the oldest message's age, scale from zero,",
    "cooldowns 1 min out / 5 min in. `headroom-predictive` is the predictor's floors (planned by its own code: the forecast",
    "quantile once, at a utilization, stepping at the forecast's hourly resolution, a start-up ahead) with the same signal",
    'tracked at 1.0 under them, as QueueScaledService.addToPredictor() deploys it; each UTC day from the ninth, the quantile',
    '(p50, p90) and utilization (100%, 85%) are the cheapest that met the SLO when the week before was replayed',
    "(chooseFloorSettings, the predictor's own choice), the median at 100% before that.",
    "Every scenario runs under both models of target tracking's unpublished scale-in step (`proportional`: down to",
    'ceil(capacity x metric / target) at once; `gradual`: at most 10% of capacity, at least one task, per scale-in).',
    '',
    '| scenario | kind | workload | workers |',
    '| --- | --- | --- | --- |',
    ...all.map(
      (scenario) =>
        `| ${scenario.label} | ${scenario.kind} | ${scenario.note} | ${scenario.parameters.throughputPerWorker} msg/s each, ${scenario.parameters.startupMs / 1000} s start-up, SLO ${scenario.parameters.sloMs / 1000} s, ${scenario.parameters.minCapacity}-${scenario.parameters.maxCapacity} |`,
    ),
    '',
    '## Targets',
    '',
    "Regular loads: headroom-reactive <= 1.30 x the oracle's capacity-hours with <= 25% of the SLO-violation minutes of the",
    'best recipe (cpu-target-tracking, queue-step-scaling, backlog-target-tracking: fewest violation minutes, then fewest',
    'capacity-hours), <= 24 scaling actions a day on the flat load; headroom-predictive 0 violation minutes where the oracle',
    'has 0, at <= 1.15 x the oracle.',
    '',
    '| scenario | scale-in model | best recipe | headroom-reactive | headroom-predictive |',
    '| --- | --- | --- | --- | --- |',
    ...regularTargets,
    '',
    "Bursty loads: a headroom policy is the cheapest of all policies that keep <= 25% of the best recipe's violation minutes.",
    '',
    '| scenario | scale-in model | best recipe | target | headroom vs oracle |',
    '| --- | --- | --- | --- | --- |',
    ...burstyTargets,
    '',
    'Where a target is missed, and why:',
    '',
    '- **headroom-predictive, NYC taxi (1.17 x, goal 1.15).** The floors cover the hourly median forecast once; where the',
    '  load falls short of it (half the hours, by the forecast error), the floor holds capacity the load did not need, and',
    '  within each hour the 30-minute trace moves around the hourly mean. The replay chose the cheapest candidate (p50 at',
    '  100%) on every day, so no candidate does better here: NYC rises slowly enough for target tracking to',
    '  follow it, and the floors earn nothing to offset their error. The other regular loads meet the target (1.00-1.14 x,',
    '  0 violation minutes where the oracle has 0; the demo has load above its maximum, so the oracle too violates).',
    '- **Where the floors pay:** on the flat and step loads tracking at 1.0 under exact floors gives 1.00 x (headroom-reactive',
    '  alone tracks at 0.9 for the rises it must catch late: 1.16-1.21 x); on AWS ELB, Twitter (gradual) and the flash crowd',
    "  headroom-predictive is the cheapest policy within 25% of the best recipe's violation minutes.",
    "- **demo synthetic, headroom-reactive (200 violation minutes vs the best recipe's 195).** The flash crowd (x3 for two",
    '  hours) needs more than the 40 workers allowed, so even the oracle has 193 violation minutes: only 2 (best recipe) and',
    '  7 (headroom-reactive) are avoidable. headroom-reactive reaches the 40-worker cap about 5 minutes after the step (3',
    '  alarm datapoints + 90 s start-up) from a fleet sized for the load; queue-step-scaling starts from a fleet 1.94 x the',
    "  oracle's and so has more capacity at the step. Every other regular target is met under both scale-in models.",
    '- **Bursty loads: the ratio to the oracle** is bounded by burst length against reaction time. A reactive policy needs',
    '  3 minutes of alarm datapoints plus the 90 s start-up before new capacity works, and target tracking keeps it at least',
    '  15 minutes (its scale-in alarm) plus the 5-minute scale-in cooldown after the burst; the oracle pays only for the',
    '  burst. On AWS ELB (bursts of one 5-minute step to the 35-worker peak from a ~2-worker base) that holds capacity for',
    '  ~20 minutes per 5-minute burst: 2.6-3.3 x. On Twitter, WC98 and the flash crowd, bursts last longer than the',
    "  reaction time and headroom-reactive is 1.16-1.60 x and the cheapest policy within 25% of the best recipe's violations.",
    '- **The conclusions hold under both scale-in models:** every verdict is the same under proportional and gradual',
    '  scale-in; gradual costs 1-37% more (Twitter most, where load falls fastest).',
    '',
    '## Floor settings the replay chose',
    '',
    'Days headroom-predictive planned with each setting (chosen every UTC day from the ninth by replaying the week before).',
    'On every load here the replay chose the cheapest candidate, the median at 100%: it replays the hourly history the',
    'predictor reads, in which none of these loads makes that candidate violate the SLO (a burst inside an hour is spread',
    'over it). Where it does, a higher floor wins: test/unit/simulate/floor-tuning.test.ts (a 10-minute start-up against',
    'a 2-minute SLO, morning jumps of alternating height).',
    '',
    table(['scenario', 'scale-in model', 'settings x days'], floorRows),
    '',
    '## Every policy',
    '',
    table(['scenario', 'scale-in model', 'policy', 'SLO-violation min', 'p99 wait s', 'capacity-hours', 'actions/day', 'vs oracle'], scoreRows),
    '',
    `Whole scoreboard (${all.length} scenarios x ${SCALE_IN_MODELS.length} scale-in models x ${POLICY_NAMES.length} policies): ${scoreboardSeconds.toFixed(1)} s.`,
    '',
    '## The burst guard',
    '',
    'headroom-reactive with and without step scaling on ApproximateAgeOfOldestMessage (proportional scale-in). With the',
    'time per message right (the blend converges to the measured one) the guard never saves a violation minute here and',
    'costs 0-12% on the spikiest loads. With a timePerMessage declared too short and no MessageProcessingTime to correct it,',
    'the backlog term still finds the capacity (waits rise towards the SLO instead of past it) but target tracking then',
    'cycles (hundreds of actions a day at 2x), and at 4x the guard trades fewer violation minutes for 2-3 x the capacity',
    'and a cycle of its own (guard out, target tracking in).',
    'Hence the measured time per message, and the dashboard alarm when measured and declared differ by more than 2x.',
    '',
    table(['scenario', 'with the guard', 'without'], guardRows),
    '',
    '## Lambda consumers',
    '',
    "The same loads drained by Lambda's SQS poller (5 concurrent to start, up to 300 more a minute while messages wait,",
    "capped at the event source's MaximumConcurrency). There is no scaling policy to choose: the poller is the controller,",
    'and Lambda bills busy time, which is the same for every setting that processes every message. What is left to choose',
    'is MaximumConcurrency: the least that meets the SLO, beside the peak required capacity (busiest minute x time per',
    'message, what RequiredCapacity publishes for a Lambda source). The 300-a-minute ramp never binds at these sizes.',
    '',
    table(
      [
        'scenario',
        'max concurrency = ECS max',
        'SLO-violation min',
        'p99 wait s',
        'peak concurrency',
        'least max concurrency meeting the SLO',
        'peak required capacity',
      ],
      lambdaRows,
    ),
    '',
    '## The oracle',
    '',
    'The oracle is the exact optimum on every scenario, whatever its length (shared/simulate/oracle-search.ts; until',
    'issue 24 a spread stand-in up to 12% dearer was used beyond 30,000 minute x capacity pairs, so every "x oracle" here',
    'was measured against it). Its search on each whole scenario, CPU time (docs/forecasting.md):',
    '',
    table(['scenario', 'minutes', 'workers', 'oracle worker-hours', 'search CPU s', 'ms per minute of trace'], oracleRows),
    '',
    '## Speed',
    '',
    `One policy over 14 days at 1-minute steps (WC98, 20,160 minutes), median of 5 runs after a warm-up. Baseline: the same`,
    `arrivals through the queue and workers at a fixed capacity, ${baselineMs.toFixed(1)} ms in this run. headroom-predictive`,
    `re-plans hourly with the predictor's forecast and planner and replays four candidates' week each day to choose its`,
    'floor settings, which is most of its time.',
    '',
    table(['policy', 'ms', 'x baseline'], speedRows),
    '',
  ].join('\n');
  writeFileSync(fileURLToPath(new URL('results/simulate.md', import.meta.url)), report);
  console.log(report);
}

// The policy scoreboard (the issue's targets against the oracle and AWS's recipes) and the simulator's speed.
// `npm run bench -- simulate` (writes bench/results/simulate.md).
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { arrivalsPerMinute, backtestArrivals, POLICY_NAMES, simulateLambdaConsumer, type BacklogParameters, type PolicyName, type PolicyScore } from '../shared/simulate/index.ts';
import { cheapestRunningProfile, launchPlan, spreadRunningProfile } from '../shared/simulate/oracle.ts';
import { SCALE_IN_MODELS, type ScaleInModel } from '../shared/simulate/scaling-rules.ts';
import { ServiceModel } from '../shared/simulate/service-model.ts';
import type { RegularSeries } from '../shared/series/regular-series.ts';
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

function lastDays(series: RegularSeries, days: number): RegularSeries {
  const steps = Math.round((days * DAY_MS) / series.stepMs);
  const values = series.values.slice(-steps);
  return { startMs: series.startMs + (series.values.length - values.length) * series.stepMs, stepMs: series.stepMs, values };
}

function traceScenario(label: string, file: string, kind: Scenario['kind']): Scenario {
  const series = lastDays(readTraceFile(file), TRACE_DAYS);
  const raw = arrivalsPerMinute(series);
  const scale = (PEAK_WORKERS * traceParameters.throughputPerWorker * 60) / Math.max(...raw);
  return { label, kind, arrivals: raw.map((value) => value * scale), startMs: series.startMs, parameters: traceParameters, note: `last ${TRACE_DAYS} days x ${scale.toPrecision(3)}, peak ${PEAK_WORKERS} workers` };
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
    { label: 'flat 5 msg/s', kind: 'regular', arrivals: new Array<number>(twoWeeks).fill(300), startMs: START, parameters: workerParameters, note: '14 days at 5 msg/s (10 workers)' },
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
      arrivals: perMinute(syntheticLoad({ startMs: demoStart, stepMs: HOUR_MS, days: 14, meanRate: 6, flashCrowd: { startMs: demoStart + 9 * DAY_MS + 13 * HOUR_MS, durationMs: 2 * HOUR_MS, multiplier: 3 } })),
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
      arrivals: perMinute(syntheticLoad({ startMs: START, stepMs: 60_000, days: 14, meanRate: 4, noise: 0.15, flashCrowd: { startMs: START + 9 * DAY_MS + 13 * HOUR_MS, durationMs: HOUR_MS, multiplier: 4 } })),
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
  for (const scenario of all) {
    for (const model of SCALE_IN_MODELS) {
      const result = backtestArrivals(scenario.arrivals, scenario.startMs, { ...scenario.parameters, scaleInModel: model });
      const days = scenario.arrivals.length / DAY_MINUTES;
      for (const policy of result.policies) {
        scoreRows.push([scenario.label, model, policy.name, String(policy.sloViolationMinutes), String(policy.p99WaitSeconds), policy.capacityHours.toFixed(0), (policy.scalingActions / days).toFixed(1), policy.capacityHoursVsOracle.toFixed(2)]);
      }
      (scenario.kind === 'regular' ? regularTargets : burstyTargets).push(...targetRows(scenario, result.policies, model));
    }
  }
  const scoreboardSeconds = (performance.now() - started) / 1000;

  // What the burst guard on the oldest message's age adds: headroom-reactive without it.
  const guardRows = all.map((scenario) => {
    const withGuard = backtestArrivals(scenario.arrivals, scenario.startMs, scenario.parameters, ['headroom-reactive', 'oracle']).policies[0]!;
    const without = backtestArrivals(scenario.arrivals, scenario.startMs, scenario.parameters, ['headroom-reactive', 'oracle'], { reactive: { ageGuard: false } }).policies[0]!;
    const cell = (policy: PolicyScore) => `${policy.sloViolationMinutes} min, ${policy.capacityHoursVsOracle.toFixed(2)} x`;
    return [scenario.label, cell(withGuard), cell(without)];
  });

  // The Lambda consumer path: the same loads drained by Lambda's SQS poller (no start-up delay, the poller's ramp,
  // maximum concurrency = the ECS max). Concurrency-hours are busy instance-hours, the oracle's analogue.
  const lambdaRows = all.map((scenario) => {
    const { parameters } = scenario;
    const score = simulateLambdaConsumer(scenario.arrivals, { throughputPerInstance: parameters.throughputPerWorker, maxConcurrency: parameters.maxCapacity, sloMs: parameters.sloMs });
    const oracle = backtestArrivals(scenario.arrivals, scenario.startMs, { ...parameters, startupMs: 0 }, ['oracle']).policies[0]!;
    return [scenario.label, String(parameters.maxCapacity), String(score.sloViolationMinutes), String(score.p99WaitSeconds), score.concurrencyHours.toFixed(0), String(score.peakConcurrency), (score.concurrencyHours / oracle.capacityHours).toFixed(2)];
  });

  // How far the oracle's fast stand-in (used on these long traces) is above the exact optimum, on 8-hour windows.
  const gaps: string[][] = [];
  for (const scenario of all.filter((entry) => entry.parameters === traceParameters)) {
    const ratios: number[] = [];
    for (let index = 0; index < 4; index++) {
      const from = Math.floor(((index + 0.5) * scenario.arrivals.length) / 4);
      const window = scenario.arrivals.slice(from, from + 480);
      const cost = (running: readonly number[]) => launchPlan(running, Math.ceil(traceParameters.startupMs / 60_000)).desired.reduce((sum, value) => sum + value, 0);
      ratios.push(cost(spreadRunningProfile(window, traceParameters)) / cost(cheapestRunningProfile(window, traceParameters)));
    }
    gaps.push([scenario.label, ...ratios.map((ratio) => `${((ratio - 1) * 100).toFixed(1)}%`)]);
  }

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
    'Policies as `headroom backtest` runs them (docs/simulate.md). `headroom-reactive` is QueueScaledService\'s default:',
    'target tracking on RequiredCapacityPerTask at 0.9 (arrival rate x time per message + backlog drained within half of',
    'acceptable latency minus start-up, per desired task), the burst guard on the oldest message\'s age, scale from zero,',
    'cooldowns 1 min out / 5 min in. `headroom-predictive` is the predictor\'s floors with headroom-reactive under them.',
    'Every scenario runs under both models of target tracking\'s unpublished scale-in step (`proportional`: down to',
    'ceil(capacity x metric / target) at once; `gradual`: at most 10% of capacity, at least one task, per scale-in).',
    '',
    '| scenario | kind | workload | workers |',
    '| --- | --- | --- | --- |',
    ...all.map((scenario) => `| ${scenario.label} | ${scenario.kind} | ${scenario.note} | ${scenario.parameters.throughputPerWorker} msg/s each, ${scenario.parameters.startupMs / 1000} s start-up, SLO ${scenario.parameters.sloMs / 1000} s, ${scenario.parameters.minCapacity}-${scenario.parameters.maxCapacity} |`),
    '',
    '## Targets',
    '',
    'Regular loads: headroom-reactive <= 1.30 x the oracle\'s capacity-hours with <= 25% of the SLO-violation minutes of the',
    'best recipe (cpu-target-tracking, queue-step-scaling, backlog-target-tracking: fewest violation minutes, then fewest',
    'capacity-hours), <= 24 scaling actions a day on the flat load; headroom-predictive 0 violation minutes where the oracle',
    'has 0, at <= 1.15 x the oracle.',
    '',
    '| scenario | scale-in model | best recipe | headroom-reactive | headroom-predictive |',
    '| --- | --- | --- | --- | --- |',
    ...regularTargets,
    '',
    'Bursty loads: a headroom policy is the cheapest of all policies that keep <= 25% of the best recipe\'s violation minutes.',
    '',
    '| scenario | scale-in model | best recipe | target | headroom vs oracle |',
    '| --- | --- | --- | --- | --- |',
    ...burstyTargets,
    '',
    '## Every policy',
    '',
    table(['scenario', 'scale-in model', 'policy', 'SLO-violation min', 'p99 wait s', 'capacity-hours', 'actions/day', 'vs oracle'], scoreRows),
    '',
    `Whole scoreboard (${all.length} scenarios x ${SCALE_IN_MODELS.length} scale-in models x ${POLICY_NAMES.length} policies): ${scoreboardSeconds.toFixed(1)} s.`,
    '',
    '## The burst guard',
    '',
    'headroom-reactive with and without step scaling on ApproximateAgeOfOldestMessage (proportional scale-in):',
    '',
    table(['scenario', 'with the guard', 'without'], guardRows),
    '',
    '## Lambda consumers',
    '',
    'The same loads drained by Lambda\'s SQS poller (5 concurrent to start, up to 300 more a minute while messages wait,',
    'capped at the event source\'s maximum concurrency = the ECS max above); there is no policy to choose, the poller is',
    'the controller. vs oracle: busy concurrency-hours over the oracle\'s worker-hours with no start-up delay.',
    '',
    table(['scenario', 'max concurrency', 'SLO-violation min', 'p99 wait s', 'concurrency-hours', 'peak', 'vs oracle'], lambdaRows),
    '',
    '## The oracle',
    '',
    'On these long traces the oracle uses its fast stand-in (spread profile), not the exact search; the stand-in\'s cost above',
    'the exact optimum on four 8-hour windows per trace ("vs oracle" may understate a ratio by about this much):',
    '',
    table(['trace', 'window 1', 'window 2', 'window 3', 'window 4'], gaps),
    '',
    '## Speed',
    '',
    `One policy over 14 days at 1-minute steps (WC98, 20,160 minutes), median of 5 runs after a warm-up. Baseline: the same`,
    `arrivals through the queue and workers at a fixed capacity, ${baselineMs.toFixed(1)} ms in this run. headroom-predictive`,
    `re-plans hourly with the predictor's forecast and planner, which is most of its time.`,
    '',
    table(['policy', 'ms', 'x baseline'], speedRows),
    '',
  ].join('\n');
  writeFileSync(fileURLToPath(new URL('results/simulate.md', import.meta.url)), report);
  console.log(report);
}

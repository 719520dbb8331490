// The policy scoreboard on real traces, and the simulator's speed. `npm run bench -- simulate`
// (writes bench/results/simulate.md).
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { arrivalsPerMinute, backtestArrivals, POLICY_NAMES, type BacklogParameters, type PolicyName, type PolicyScore } from '../shared/simulate/index.ts';
import { cheapestRunningProfile, launchPlan, spreadRunningProfile } from '../shared/simulate/oracle.ts';
import { ServiceModel } from '../shared/simulate/service-model.ts';
import type { RegularSeries } from '../shared/series/regular-series.ts';
import { median, readTraceFile, table } from './support/traces.ts';

const DAYS = 28;
const PEAK_WORKERS = 35;
const THROUGHPUT = 1;
const parameters: BacklogParameters = { throughputPerWorker: THROUGHPUT, startupMs: 90_000, sloMs: 300_000, minCapacity: 1, maxCapacity: 50 };
const REACTIVE: readonly PolicyName[] = ['cpu-target-tracking', 'queue-step-scaling', 'backlog-target-tracking'];

const traces = [
  { label: 'WC98 (1 min)', file: 'wc98-requests-per-minute.csv' },
  { label: 'AWS ELB (5 min)', file: 'aws-elb-requests-5min.csv' },
  { label: 'NYC taxi (30 min)', file: 'nyc-taxi-passengers-30min.csv' },
  { label: 'Twitter AAPL (5 min)', file: 'twitter-volume-AAPL-5min.csv' },
];

function lastDays(series: RegularSeries, days: number): RegularSeries {
  const steps = Math.round((days * 86_400_000) / series.stepMs);
  const values = series.values.slice(-steps);
  return { startMs: series.startMs + (series.values.length - values.length) * series.stepMs, stepMs: series.stepMs, values };
}

/** The trace's last days per minute, scaled so the busiest minute needs PEAK_WORKERS workers. */
function scaledArrivals(file: string, days: number): { arrivals: number[]; startMs: number; scale: number } {
  const series = lastDays(readTraceFile(file), days);
  const raw = arrivalsPerMinute(series);
  const scale = (PEAK_WORKERS * THROUGHPUT * 60) / Math.max(...raw);
  return { arrivals: raw.map((value) => value * scale), startMs: series.startMs, scale };
}

const sum = (values: readonly number[]) => values.reduce((total, value) => total + value, 0);

/** The best reactive policy: fewest violation minutes, then fewest capacity-hours. */
function bestOf(policies: readonly PolicyScore[]): PolicyScore {
  return [...policies].sort((a, b) => a.sloViolationMinutes - b.sloViolationMinutes || a.capacityHours - b.capacityHours)[0]!;
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

export async function run(): Promise<void> {
  const rows: string[][] = [];
  const verdicts: string[] = [];
  const started = performance.now();
  for (const { label, file } of traces) {
    const { arrivals, startMs, scale } = scaledArrivals(file, DAYS);
    const result = backtestArrivals(arrivals, startMs, parameters);
    const withoutFloors = backtestArrivals(arrivals, startMs, parameters, ['headroom-predictive', 'oracle'], { predictive: { floors: false } }).policies[0]!;
    const scoreRow = (name: string, policy: PolicyScore) => [label, scale.toPrecision(3), name, String(policy.sloViolationMinutes), String(policy.p99WaitSeconds), policy.capacityHours.toFixed(0), String(policy.scalingActions), policy.capacityHoursVsOracle.toFixed(2)];
    for (const policy of result.policies) rows.push(scoreRow(policy.name, policy));
    rows.push(scoreRow('(headroom-predictive without floors)', withoutFloors));
    const best = bestOf(result.policies.filter((policy) => REACTIVE.includes(policy.name)));
    const predictive = result.policies.find((policy) => policy.name === 'headroom-predictive')!;
    const fewerViolations = predictive.sloViolationMinutes <= 0.25 * best.sloViolationMinutes;
    const noDearer = predictive.capacityHours <= best.capacityHours;
    const nearOracle = predictive.capacityHoursVsOracle <= 1.15;
    verdicts.push(
      `| ${label} | ${best.name} (${best.sloViolationMinutes} min, ${best.capacityHours.toFixed(0)} h) | ${predictive.sloViolationMinutes} min, ${predictive.capacityHours.toFixed(0)} h | ` +
        `${fewerViolations ? 'met' : 'missed'} | ${noDearer ? 'met' : `missed (${((predictive.capacityHours / best.capacityHours - 1) * 100).toFixed(0)}% more)`} | ` +
        `${nearOracle ? 'met' : 'missed'} (${predictive.capacityHoursVsOracle.toFixed(2)}) | ${withoutFloors.sloViolationMinutes} min, ${withoutFloors.capacityHours.toFixed(0)} h |`,
    );
  }
  const scoreboardSeconds = (performance.now() - started) / 1000;

  // Sensitivity: the backlog policies with a scale-out cooldown longer than the start-up delay (5 minutes, the ECS
  // default) instead of QueueScaledService's 1 minute, so scale-outs do not compound while tasks start.
  const slowCooldown = { ...parameters, scaleOutCooldownMs: 300_000 };
  const sensitivity: string[][] = [];
  for (const { label, file } of traces) {
    const { arrivals, startMs } = scaledArrivals(file, DAYS);
    const result = backtestArrivals(arrivals, startMs, slowCooldown, ['backlog-target-tracking', 'headroom-predictive', 'oracle']);
    const alone = backtestArrivals(arrivals, startMs, slowCooldown, ['headroom-predictive', 'oracle'], { predictive: { floors: false } }).policies[0]!;
    const cell = (policy: PolicyScore) => `${policy.sloViolationMinutes} min, ${policy.capacityHours.toFixed(0)} h (${policy.capacityHoursVsOracle.toFixed(2)})`;
    sensitivity.push([label, cell(result.policies[0]!), cell(result.policies[1]!), cell(alone)]);
  }

  // How far the oracle's fast stand-in (used on these 28-day traces) is above the exact optimum, on 8-hour windows
  // small enough to search exactly.
  const gaps: string[][] = [];
  for (const { label, file } of traces) {
    const { arrivals } = scaledArrivals(file, DAYS);
    const ratios: number[] = [];
    for (let index = 0; index < 4; index++) {
      const from = Math.floor(((index + 0.5) * arrivals.length) / 4);
      const window = arrivals.slice(from, from + 480);
      const cost = (running: readonly number[]) => sum(launchPlan(running, Math.ceil(parameters.startupMs / 60_000)).desired);
      ratios.push(cost(spreadRunningProfile(window, parameters)) / cost(cheapestRunningProfile(window, parameters)));
    }
    gaps.push([label, ...ratios.map((ratio) => `${((ratio - 1) * 100).toFixed(1)}%`)]);
  }

  // Speed: one policy over 14 days at 1-minute steps; the baseline replays the same arrivals through the queue and
  // workers at a fixed capacity (no policy, no Application Auto Scaling), in the same run.
  const { arrivals: twoWeeks } = scaledArrivals('wc98-requests-per-minute.csv', 14);
  const baselineMs = time(9, () => {
    const service = new ServiceModel(parameters, PEAK_WORKERS);
    twoWeeks.forEach((value, minute) => service.step(minute, value));
  });
  const speedRows = POLICY_NAMES.map((name) => {
    const ms = time(9, () => backtestArrivals(twoWeeks, 0, parameters, [name]));
    return [name, ms.toFixed(1), (ms / baselineMs).toFixed(1), ms <= 20 ? 'met' : 'missed'];
  });
  const reactivePartMs = time(9, () => backtestArrivals(twoWeeks, 0, parameters, ['headroom-predictive'], { predictive: { floors: false } }));
  const report = [
    '# Simulator: policy scoreboard and speed',
    '',
    `Reproduce: \`npm run bench -- simulate\` (writes this file). Measured ${new Date().toISOString().slice(0, 10)}, Node ${process.version}.`,
    '',
    `Workload: the last ${DAYS} days of each trace in ../shared/traces, each step's count spread over its minutes and scaled (the scale column)`,
    `so the busiest minute needs ${PEAK_WORKERS} workers. Throughput ${THROUGHPUT} message/s per worker, start-up ${parameters.startupMs / 1000} s, SLO (acceptable latency)`,
    `${parameters.sloMs / 1000} s, ${parameters.minCapacity}-${parameters.maxCapacity} workers. Policies as \`headroom backtest\` runs them (docs/simulate.md); "(headroom-predictive without`,
    'floors)" is its reactive part alone (backlog per task at half the SLO target), to show what the floors add.',
    '',
    table(['trace', 'scale', 'policy', 'SLO-violation min', 'p99 wait s', 'capacity-hours', 'actions', 'vs oracle'], rows),
    '',
    'Targets for headroom-predictive: SLO-violation minutes <= 25% of the best reactive policy (fewest violation minutes, then',
    'fewest capacity-hours) at no more capacity-hours than it, and capacity-hours <= 1.15 x the oracle.',
    '',
    '| trace | best reactive | headroom-predictive | <= 25% violations | no more capacity | <= 1.15 x oracle | reactive part alone |',
    '| --- | --- | --- | --- | --- | --- | --- |',
    ...verdicts,
    '',
    'Why the targets are missed (read with the "reactive part alone" column and the table below):',
    '',
    '- The cost target compares with a clairvoyant that runs just enough workers each minute and launches them exactly a start-up',
    '  delay early; a policy that only sees the past pays for start-up lag and for headroom, and none of the reactive policies is',
    '  within 1.15 x of it either.',
    "- headroom-predictive's reactive part (backlog per task at half the SLO's target, QueueScaledService's 1-minute scale-out",
    '  cooldown) scales out again every minute while the tasks it launched are still starting (90 s): each scale-out is computed',
    '  from a capacity that has not started yet, so they compound. That, not the floors, is most of its cost: compare the',
    '  "without floors" rows, and the 5-minute cooldown table.',
    "- The floors come from hourly p90 forecasts at 70% utilization (PredictiveScaling's defaults), held for whole hours. With the",
    '  compounding removed (5-minute cooldown) the reactive part alone meets the SLO as well at lower cost on these traces: the',
    '  floors pay off only against the overshooting 1-minute configuration. Zero violation minutes come mostly from the tighter',
    "  backlog target, which QueueScaledService users get by setting acceptableLatency to half their SLO.",
    '',
    'The same with a 5-minute scale-out cooldown on the backlog policies (`--scale-out-cooldown 5m`): SLO-violation minutes,',
    'capacity-hours (x oracle):',
    '',
    table(['trace', 'backlog-target-tracking', 'headroom-predictive', '(without floors)'], sensitivity),
    '',
    `On these ${DAYS}-day traces the oracle uses its fast stand-in (spread profile), not the exact search; the stand-in's cost`,
    '(worker-minutes, start-ups included) above the exact optimum on four 8-hour windows per trace (so "vs oracle" may understate',
    'a ratio by about this much):',
    '',
    table(['trace', 'window 1', 'window 2', 'window 3', 'window 4'], gaps),
    '',
    `Whole scoreboard (${traces.length} traces x ${POLICY_NAMES.length} policies + the reactive-part run): ${scoreboardSeconds.toFixed(1)} s (target <= 10 s).`,
    '',
    `One policy over 14 days at 1-minute steps (WC98, 20,160 minutes), median of 9 runs after a warm-up. Baseline: the same arrivals`,
    `replayed through the queue and workers at a fixed capacity, ${baselineMs.toFixed(1)} ms in this run (target <= 20 ms per policy):`,
    '',
    table(['policy', 'ms', 'x baseline', '<= 20 ms'], speedRows),
    '',
    `headroom-predictive's reactive part alone takes ${reactivePartMs.toFixed(1)} ms: the rest is its ${14 * 24 - 48} hourly re-plans (forecastSeries + planFloors`,
    'from shared/forecast and shared/plan, as the predictor runs them), which is why it misses the 20 ms target.',
    '',
  ].join('\n');
  writeFileSync(fileURLToPath(new URL('results/simulate.md', import.meta.url)), report);
  console.log(report);
}

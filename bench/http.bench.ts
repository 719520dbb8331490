// Request-driven services: the traces in ../shared/traces read as request rates, replayed through the ECS
// web-service policies and the M/M/c latency model. `npm run bench -- http` (writes bench/results/http.md).
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import {
  backtestRequests,
  requestsPerMinute,
  type HttpParameters,
  type HttpPolicyName,
  type HttpPolicyScore,
} from '../shared/simulate/http/index.ts';
import type { RegularSeries } from '../shared/series/regular-series.ts';
import { readTraceFile, table } from './support/traces.ts';

const DAYS = 28;
const PEAK_TASKS = 35;
const parameters: HttpParameters = { requestsPerSecondPerTask: 50, startupMs: 90_000, sloMs: 500, minCapacity: 1, maxCapacity: 60 };
const BASELINES: readonly HttpPolicyName[] = ['cpu-target-tracking', 'request-count-tracking'];

const traces = [
  { label: 'WC98 (1 min)', file: 'wc98-requests-per-minute.csv', regular: true },
  { label: 'NYC taxi (30 min)', file: 'nyc-taxi-passengers-30min.csv', regular: true },
  { label: 'AWS ELB (5 min)', file: 'aws-elb-requests-5min.csv', regular: false },
  { label: 'Twitter AAPL (5 min)', file: 'twitter-volume-AAPL-5min.csv', regular: false },
];

function lastDays(series: RegularSeries, days: number): RegularSeries {
  const steps = Math.round((days * 86_400_000) / series.stepMs);
  const values = series.values.slice(-steps);
  return { startMs: series.startMs + (series.values.length - values.length) * series.stepMs, stepMs: series.stepMs, values };
}

/** The trace's last days as requests per minute, scaled so the busiest minute needs about PEAK_TASKS saturated tasks. */
function scaledRequests(file: string): { requests: number[]; startMs: number; scale: number } {
  const series = lastDays(readTraceFile(file), DAYS);
  const raw = requestsPerMinute(series);
  const scale = (PEAK_TASKS * parameters.requestsPerSecondPerTask * 60) / Math.max(...raw);
  return { requests: raw.map((value) => value * scale), startMs: series.startMs, scale };
}

/** The best baseline: fewest violation minutes, then fewest task-hours. */
function bestOf(policies: readonly HttpPolicyScore[]): HttpPolicyScore {
  return [...policies].sort((a, b) => a.sloViolationMinutes - b.sloViolationMinutes || a.taskHours - b.taskHours)[0]!;
}

export async function run(): Promise<void> {
  const rows: string[][] = [];
  const verdicts: string[] = [];
  const started = performance.now();
  for (const { label, file, regular } of traces) {
    const { requests, startMs, scale } = scaledRequests(file);
    const result = backtestRequests(requests, startMs, parameters);
    const oracleHours = result.policies.find((policy) => policy.name === 'oracle')!.taskHours;
    // The same CPU policy at 50%, the other common choice, as a second baseline.
    const cpu50 = {
      ...backtestRequests(requests, startMs, parameters, ['cpu-target-tracking'], { cpuTargetPercent: 50 }).policies[0]!,
      name: 'cpu-target-tracking' as const,
    };
    const cpu50Row = { ...cpu50, taskHoursVsOracle: cpu50.taskHours / oracleHours };
    const row = (name: string, policy: HttpPolicyScore) => [
      label,
      scale.toPrecision(3),
      name,
      String(policy.sloViolationMinutes),
      policy.droppedRequests.toExponential(2),
      (100 * policy.badRequestShare).toFixed(3),
      policy.taskHours.toFixed(0),
      String(policy.scalingActions),
      policy.taskHoursVsOracle.toFixed(2),
    ];
    for (const policy of result.policies) rows.push(row(policy.name === 'cpu-target-tracking' ? 'cpu-target-tracking (70%)' : policy.name, policy));
    rows.push(row('cpu-target-tracking (50%)', cpu50Row));
    const best = bestOf([...result.policies.filter((policy) => BASELINES.includes(policy.name)), cpu50Row]);
    const bestName = best === cpu50Row ? 'cpu-target-tracking (50%)' : best.name;
    const headroom = result.policies.find((policy) => policy.name === 'headroom')!;
    const fewer = headroom.sloViolationMinutes <= 0.25 * best.sloViolationMinutes;
    const cheap = headroom.taskHoursVsOracle <= 1.3;
    verdicts.push(
      `| ${label}${regular ? '' : ' (spiky)'} | ${bestName} (${best.sloViolationMinutes} min, ${best.taskHoursVsOracle.toFixed(2)} x) | ${headroom.sloViolationMinutes} min, ${headroom.taskHoursVsOracle.toFixed(2)} x | ` +
        `${fewer ? 'met' : 'missed'} (${best.sloViolationMinutes > 0 ? `${((100 * headroom.sloViolationMinutes) / best.sloViolationMinutes).toFixed(0)}%` : 'best has 0'}) | ${cheap ? 'met' : 'missed'} |`,
    );
  }
  const seconds = (performance.now() - started) / 1000;
  const report = [
    '# Request-driven services: policy scoreboard',
    '',
    `Reproduce: \`npm run bench -- http\` (writes this file). Measured ${new Date().toISOString().slice(0, 10)}, Node ${process.version}; ${seconds.toFixed(0)} s.`,
    '',
    `Workload: the last ${DAYS} days of each trace in ../shared/traces read as requests per step, interpolated linearly between`,
    `step middles (a request rate ramps within a coarse step), scaled (the scale column) so the busiest minute needs ${PEAK_TASKS}`,
    `saturated tasks. Tasks serve ${parameters.requestsPerSecondPerTask} requests/s at saturation (one at a time: M/M/c with c = tasks, Erlang C), start in`,
    `${parameters.startupMs / 1000} s, ${parameters.minCapacity}-${parameters.maxCapacity} tasks; the SLO is a p99 response time of ${parameters.sloMs} ms. A minute violates the SLO when its p99`,
    'is over it or it drops requests (utilization >= 1). "bad %" is the share of requests slower than the SLO or dropped: the',
    'latency SLI the burn-rate alerts watch. Policies (docs/simulate-http.md):',
    '',
    '- cpu-target-tracking: ECSServiceAverageCPUUtilization at 70% (and 50%), CPU = utilization capped at 100%, ECS default cooldowns;',
    '- request-count-tracking: ALBRequestCountPerTarget at a typical guess, 80% of the saturation throughput x 60 (2,400);',
    "- headroom-reactive: RequestScaledService's defaults: ALBRequestCountPerTarget at the one-task rate within the SLO x 60 x 0.8,",
    '  the p99 latency guard (2 minutes), 3-minute scale-out cooldown;',
    "- headroom: the same plus predictive floors planned by the predictor's own code (PredictiveFloors: forecastSeries + planFloors)",
    '  from the p50 forecast at utilization 1;',
    '- oracle: the fewest tasks meeting the SLO each minute, launched a start-up ahead.',
    '',
    table(['trace', 'scale', 'policy', 'SLO-violation min', 'dropped', 'bad %', 'task-hours', 'actions', 'vs oracle'], rows),
    '',
    "Goal: headroom's SLO-violation minutes <= 25% of the best baseline's (fewest violation minutes, then fewest task-hours, of",
    "CPU at 70% and 50% and request count at the guess) at <= 1.3 x the oracle's task-hours.",
    '',
    '| trace | best baseline | headroom | <= 25% violations | <= 1.3 x oracle |',
    '| --- | --- | --- | --- | --- |',
    ...verdicts,
    '',
    'Where it falls short, and why (read with the table):',
    '',
    "- Cost against the oracle. The oracle runs each minute's exact M/M/c need, and a pooled fleet serves more per task within",
    `  the SLO than one task does (48 requests/s per task at 5 tasks, 49.7 at 35, against ${parameters.requestsPerSecondPerTask} at saturation and 40.8 for one task);`,
    "  headroom's target is derived from the one-task rate (what RequestScaledService asks users to measure) x 0.8, and target",
    '  tracking scales in only after 15 minutes under 90% of its target, so on a daily cycle it trails every decline. Every',
    '  reactive policy pays this: CPU at 70% is 1.26-1.44 x, and the baselines that are cheaper buy it with violation minutes.',
    '  A load test at the fleet size the service runs at (rate / tasks) would give a higher, still honest, per-task rate.',
    '- The floors (p50 forecast, whole hours) add 6-11% on the regular traces and remove few violations there: NYC has none to',
    "  remove, and WC98's are flash crowds at match times that an hourly forecast of past days does not predict.",
    '- Spiky traces (AWS ELB, Twitter): 5-minute bursts of 10-30 x the base load, shorter than an alarm (3 datapoints, a minute',
    '  late) plus the start-up (90 s). No reactive policy catches them; the latency guard cuts violation minutes by 14-20% against',
    '  the best baseline but then holds the doubled capacity through the scale-in cooldowns, which is where the 3.8 x comes from.',
    '  Only capacity held ahead of bursts nobody forecasts (a higher minCapacity) would help; the oracle is clairvoyant.',
    '',
  ].join('\n');
  writeFileSync(fileURLToPath(new URL('results/http.md', import.meta.url)), report);
  console.log(report);
}

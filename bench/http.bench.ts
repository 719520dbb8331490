// Request-driven services: the traces in ../shared/traces read as request rates, replayed through the ECS
// web-service policies and the M/M/c latency model. `npm run bench -- http` (writes bench/results/http.md).
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import {
  backtestRequests,
  chooseTargetUtilization,
  requestsPerMinute,
  type HttpBacktestOptions,
  type HttpParameters,
  type HttpPolicyName,
  type HttpPolicyScore,
  type HttpTimeline,
} from '../shared/simulate/http/index.ts';
import { HttpServiceModel } from '../shared/simulate/http/minute-model.ts';
import { lastDays } from '../shared/series/regular-series.ts';
import { idealReactiveGrid } from './support/ideal-reactive.ts';
import { readTraceFile, table } from './support/traces.ts';

const DAYS = 28;
const PEAK_TASKS = 35;
const parameters: HttpParameters = { requestsPerSecondPerTask: 50, startupMs: 90_000, sloMs: 500, minCapacity: 1, maxCapacity: 60 };
/** The second configuration: two tasks at least, as a web service runs for availability (headroom's target is then derived for two). */
const HA_MIN_CAPACITY = 2;
const BASELINES: readonly HttpPolicyName[] = ['cpu-target-tracking', 'request-count-tracking'];

const traces = [
  { label: 'WC98 (1 min)', file: 'wc98-requests-per-minute.csv', regular: true },
  { label: 'NYC taxi (30 min)', file: 'nyc-taxi-passengers-30min.csv', regular: true },
  { label: 'AWS ELB (5 min)', file: 'aws-elb-requests-5min.csv', regular: false },
  { label: 'Twitter AAPL (5 min)', file: 'twitter-volume-AAPL-5min.csv', regular: false },
];

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

interface Scoreboard {
  readonly rows: string[][];
  readonly verdicts: string[];
  /** Per trace: the task-hours headroom's floors add to headroom-reactive, and how much of it the two dearest days hold. */
  readonly floorCosts: string[][];
}

/** Task-hours headroom holds beyond headroom-reactive, in all and on its two dearest UTC days. */
function floorCost(result: ReturnType<typeof backtestRequests>, startMs: number): string[] {
  const line = (name: HttpPolicyName) => result.timelines.find((timeline) => timeline.name === name)!.capacity;
  const [withFloors, reactive] = [line('headroom'), line('headroom-reactive')];
  const byDay = new Map<number, number>();
  withFloors.forEach((capacity, minute) => {
    const day = Math.floor((startMs + minute * 60_000) / 86_400_000);
    byDay.set(day, (byDay.get(day) ?? 0) + (capacity - reactive[minute]!) / 60);
  });
  const total = [...byDay.values()].reduce((sum, hours) => sum + hours, 0);
  const dearest = [...byDay.entries()].sort((a, b) => b[1] - a[1]).slice(0, 2);
  const days = dearest.map(([day, hours]) => `${new Date(day * 86_400_000).toISOString().slice(0, 10)} (${hours.toFixed(0)})`).join(', ');
  return [total.toFixed(0), `${((100 * total) / (reactive.reduce((sum, tasks) => sum + tasks, 0) / 60)).toFixed(1)}%`, days];
}

/** Every policy on every trace at `minCapacity`, and the goal's verdict per trace. */
function scoreboard(minCapacity: number): Scoreboard {
  const rows: string[][] = [];
  const verdicts: string[] = [];
  const floorCosts: string[][] = [];
  const configured = { ...parameters, minCapacity };
  for (const { label, file, regular } of traces) {
    const { requests, startMs, scale } = scaledRequests(file);
    const result = backtestRequests(requests, startMs, configured);
    const oracleHours = result.policies.find((policy) => policy.name === 'oracle')!.taskHours;
    // The same CPU policy at 50%, the other common choice, as a second baseline.
    const cpu50 = {
      ...backtestRequests(requests, startMs, configured, ['cpu-target-tracking'], { cpuTargetPercent: 50 }).policies[0]!,
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
    const idealCell = (delayMinutes: number) => {
      const ideal = idealReactiveGrid(requests, new HttpServiceModel(configured), delayMinutes)
        .filter((score) => score.taskMinutes / 60 <= 1.3 * oracleHours)
        .sort((a, b) => a.sloViolationMinutes - b.sloViolationMinutes || a.taskMinutes - b.taskMinutes)[0];
      if (!ideal) return 'none within 1.3 x: out of reach';
      const verdict = ideal.sloViolationMinutes <= 0.25 * best.sloViolationMinutes ? 'reachable' : 'out of reach';
      return `${ideal.sloViolationMinutes} min, ${(ideal.taskMinutes / 60 / oracleHours).toFixed(2)} x (x${ideal.margin}, hold ${ideal.holdMinutes} min): ${verdict}`;
    };
    floorCosts.push([label, ...floorCost(result, startMs)]);
    verdicts.push(
      `| ${label}${regular ? '' : ' (spiky)'} | ${bestName} (${best.sloViolationMinutes} min, ${best.taskHoursVsOracle.toFixed(2)} x) | ${headroom.sloViolationMinutes} min, ${headroom.taskHoursVsOracle.toFixed(2)} x | ` +
        `${fewer ? 'met' : 'missed'} (${best.sloViolationMinutes > 0 ? `${((100 * headroom.sloViolationMinutes) / best.sloViolationMinutes).toFixed(0)}%` : 'best has 0'}) | ${cheap ? 'met' : 'missed'} | ${idealCell(0)} | ${idealCell(1)} |`,
    );
  }
  return { rows, verdicts, floorCosts };
}

/** headroom-reactive with one default changed at a time, on every trace at minCapacity 1: what the defaults trade. */
const VARIANTS: ReadonlyArray<{ readonly label: string; readonly options: HttpBacktestOptions }> = [
  { label: 'defaults (RequiredTasksPerTask at 0.7, guard after 1 minute)', options: {} },
  { label: 'targetUtilization 0.65', options: { targetUtilization: 0.65 } },
  { label: 'targetUtilization 0.75', options: { targetUtilization: 0.75 } },
  { label: 'targetUtilization 0.8', options: { targetUtilization: 0.8 } },
  { label: 'targetUtilization 0.85', options: { targetUtilization: 0.85 } },
  { label: 'guard after 2 minutes', options: { guardMinutes: 2 } },
  { label: 'no latency guard', options: { guardMinutes: Number.MAX_SAFE_INTEGER } },
];

/** SLO-violation minutes and task-hours of a replayed timeline from `fromMinute` on. */
function scoreFrom(timeline: HttpTimeline, fromMinute: number): { violations: number; taskHours: number } {
  const violations = timeline.p99Ms.slice(fromMinute).filter((p99) => p99 > parameters.sloMs).length;
  return { violations, taskHours: timeline.capacity.slice(fromMinute).reduce((sum, tasks) => sum + tasks, 0) / 60 };
}

/**
 * targetUtilization chosen per trace the way a user would (chooseTargetUtilization on the history they have: the
 * first half of the window), then scored on the second half against the default and the baselines, all replayed
 * over the whole window so the floors have the same history.
 */
function tunedTargets(): string[][] {
  return traces.map(({ label, file }) => {
    const { requests, startMs } = scaledRequests(file);
    const half = Math.floor(requests.length / 2);
    const tuning = chooseTargetUtilization(requests.slice(0, half), startMs, parameters);
    const all = backtestRequests(requests, startMs, parameters);
    const tuned = backtestRequests(requests, startMs, parameters, ['headroom'], { targetUtilization: tuning.chosen });
    const cpu50 = backtestRequests(requests, startMs, parameters, ['cpu-target-tracking'], { cpuTargetPercent: 50 });
    const line = (result: typeof all, name: HttpPolicyName) => scoreFrom(result.timelines.find((timeline) => timeline.name === name)!, half);
    const oracle = line(all, 'oracle').taskHours;
    const baselines = [line(all, 'cpu-target-tracking'), line(cpu50, 'cpu-target-tracking'), line(all, 'request-count-tracking')];
    const best = [...baselines].sort((a, b) => a.violations - b.violations || a.taskHours - b.taskHours)[0]!;
    const cell = (score: { violations: number; taskHours: number }) => `${score.violations} min, ${(score.taskHours / oracle).toFixed(2)} x`;
    const chosen = line(tuned, 'headroom');
    const goal = (chosen.violations <= 0.25 * best.violations ? 'met' : 'missed') + ' / ' + (chosen.taskHours <= 1.3 * oracle ? 'met' : 'missed');
    return [label, String(tuning.chosen), cell(best), cell(line(all, 'headroom')), cell(chosen), goal];
  });
}

function sensitivity(): string[][] {
  const loads = traces.map(({ file }) => {
    const { requests, startMs } = scaledRequests(file);
    return { requests, startMs, oracleHours: backtestRequests(requests, startMs, parameters, ['oracle']).policies[0]!.taskHours };
  });
  return VARIANTS.map(({ label, options }) => [
    label,
    ...loads.map(({ requests, startMs, oracleHours }) => {
      const score = backtestRequests(requests, startMs, parameters, ['headroom-reactive'], options).policies[0]!;
      return `${score.sloViolationMinutes} min, ${(score.taskHours / oracleHours).toFixed(2)} x`;
    }),
  ]);
}

export async function run(): Promise<void> {
  const started = performance.now();
  const main = scoreboard(parameters.minCapacity);
  const available = scoreboard(HA_MIN_CAPACITY);
  const variants = sensitivity();
  const tuned = tunedTargets();
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
    "- headroom-reactive: RequestScaledService's defaults (shared/request-scaling/reactive-defaults.ts): ALBRequestCountPerTarget",
    '  at the per-task rate within the SLO of a fleet of minCapacity tasks (Erlang C from the one-task rate; 40.8 requests/s for',
    '  one task, 45.3 for two) x 60 x 0.8, the p99 latency guard (1 minute over the SLO: +25%, over twice it: +50%, at least one',
    '  task), 3-minute scale-out and 5-minute scale-in cooldowns;',
    "- headroom: the same plus predictive floors planned by the predictor's own code (PredictiveFloors: forecastSeries + planFloors)",
    '  from the p50 forecast at utilization 1 of the same per-task rate;',
    '- oracle: the fewest tasks meeting the SLO each minute, launched a start-up ahead.',
    '',
    table(['trace', 'scale', 'policy', 'SLO-violation min', 'dropped', 'bad %', 'task-hours', 'actions', 'vs oracle'], main.rows),
    '',
    "Goal: headroom's SLO-violation minutes <= 25% of the best baseline's (fewest violation minutes, then fewest task-hours, of",
    "CPU at 70% and 50% and request count at the guess) at <= 1.3 x the oracle's task-hours.",
    '',
    '| trace | best baseline | headroom | <= 25% violations | <= 1.3 x oracle | ideal reactive, no delay | ideal reactive, a minute late |',
    '| --- | --- | --- | --- | --- | --- | --- |',
    ...main.verdicts,
    '',
    "What headroom's floors cost beyond headroom-reactive (task-hours), and the two UTC days that hold the most of it:",
    '',
    table(['trace', 'extra task-hours', 'of headroom-reactive', 'dearest days (task-hours)'], main.floorCosts),
    '',
    `The same with at least ${HA_MIN_CAPACITY} tasks (minCapacity ${HA_MIN_CAPACITY}, as a web service runs for availability) for every policy and the oracle;`,
    'headroom changes nothing for it: RequiredTasksPerTask follows the fleet at every size.',
    '',
    table(['trace', 'scale', 'policy', 'SLO-violation min', 'dropped', 'bad %', 'task-hours', 'actions', 'vs oracle'], available.rows),
    '',
    '| trace | best baseline | headroom | <= 25% violations | <= 1.3 x oracle | ideal reactive, no delay | ideal reactive, a minute late |',
    '| --- | --- | --- | --- | --- | --- | --- |',
    ...available.verdicts,
    '',
    `What each default trades: headroom-reactive with one of them changed, ${parameters.minCapacity}-${parameters.maxCapacity} tasks (SLO-violation minutes, task-hours vs the oracle):`,
    '',
    table(['headroom-reactive', ...traces.map(({ label }) => label)], variants),
    '',
    'targetUtilization chosen from history (chooseTargetUtilization, what `headroom backtest --workload http` prints): chosen on',
    "the window's first half, scored on its second half (SLO-violation minutes, task-hours vs the oracle's over that half):",
    '',
    table(['trace', 'chosen', 'best baseline', 'headroom at 0.7', 'headroom at the chosen', 'goal (violations / cost)'], tuned),
    '',
    'Where it falls short, and why (read with the tables):',
    '',
    '- What changed, and what the numbers supported. The latency guard now scales out after one minute over the SLO by +25%',
    '  (+50% over twice it) instead of two minutes and +50%/+100%. Against the previous defaults (this file at commit 45da76b:',
    '  headroom 18 / 0 / 1764 / 349 minutes at 1.52 / 1.64 / 3.76 / 1.50 x) it has fewer violation minutes on every trace that',
    '  has any and costs less on the spiky ones; the regular traces cost the same. The per-task target is now derived by Erlang',
    '  C for a fleet of minCapacity tasks (fleetTasksForTarget): a pooled fleet serves more per task within the SLO (45.3',
    '  requests/s per task for 2 tasks, 48.1 for 5, 49.7 for 35, against 40.8 for one). Deriving it for more tasks than the',
    '  service can shrink to does not pay: with minCapacity 1 the WC98 nights run on one task, and a target for 2 or 5 tasks',
    "  lets that task pass its own SLO rate inside target tracking's three datapoints (the sensitivity table: 3.4 and 8.2 x the",
    '  WC98 violation minutes, and some on NYC, for 3-15% fewer task-hours). So the default is the smallest fleet the service',
    '  runs at: it changes nothing at minCapacity 1, and the second table measures it at minCapacity 2 (headroom-reactive',
    '  1.21 / 1.40 / 2.92 / 1.12 x). The 0.8 margin stays: 0.85 and 0.9 save 1-6% and 4-11% of task-hours for 1.9 and 4.3 x',
    '  the WC98 violation minutes (and 2 on NYC at 0.9); 0.75 takes WC98 from 21 to 14 minutes for 3-7% more.',
    "- Cost against the oracle on the regular traces (1.37-1.64 x at minCapacity 1). The oracle runs each minute's exact",
    '  M/M/c need (96% of saturation per task at 5 tasks, 99% at 35); target tracking holds 80% of the per-task rate and',
    '  scales in only after 15 minutes under 90% of its target, so on a daily cycle it trails every decline. Every reactive',
    '  policy pays this: CPU at 70% is 1.26-1.44 x, and the baselines that are cheaper buy it with violation minutes (request',
    '  count at the guess: 374 on WC98). One static per-task target cannot be tight for a one-task night and a thirty-task day.',
    '- The floors (p50 forecast, stepping hourly, each a start-up ahead) add 3-8% task-hours on the regular traces and remove few violations there: NYC',
    "  has none to remove, WC98's are flash crowds at match times that an hourly forecast of past days does not predict (at",
    '  minCapacity 2 they change none). On the spiky ELB trace they remove 26-35% of the violation minutes and cost less.',
    '- Spiky traces (AWS ELB, Twitter): 5-minute bursts of 10-30 x the base load, shorter than an alarm (3 datapoints, a minute',
    '  late) plus the start-up (90 s). No reactive policy catches them. Target tracking on request count answers a burst in',
    '  proportion (10-30 x the capacity) after it is over and keeps it 15 minutes or more: that is the 2.7-3.5 x on ELB',
    '  (without the latency guard it is 3.54 x: the guard is no longer what holds capacity). CPU target tracking is cheaper',
    '  only because CPU stops at 100% (at most 1.43 x per step); at 70% it drops 3-4 x the requests headroom does. Only',
    '  capacity held ahead of bursts nobody forecasts (a higher minCapacity) would help; the oracle is clairvoyant.',
    '',
  ].join('\n');
  writeFileSync(fileURLToPath(new URL('results/http.md', import.meta.url)), report);
  console.log(report);
}

// Request-driven services: the traces in ../shared/traces read as request rates, replayed through the ECS
// web-service policies and the M/M/c latency model. `npm run bench -- http` (writes bench/results/http.md).
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import {
  backtestRequests,
  chooseTargetUtilization,
  describeRequiredTasks,
  fitRequiredTasks,
  requestsPerMinute,
  type HttpBacktestOptions,
  type HttpParameters,
  type HttpPolicyName,
  type HttpPolicyScore,
  type HttpTimeline,
} from '../shared/simulate/http/index.ts';
import { HttpServiceModel } from '../shared/simulate/http/minute-model.ts';
import { REQUEST_SCALING_DEFAULTS } from '../shared/request-scaling/reactive-defaults.ts';
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
    const tuned = backtestRequests(requests, startMs, parameters, ['headroom-reactive', 'headroom'], { targetUtilization: tuning.chosen });
    const cpu50 = backtestRequests(requests, startMs, parameters, ['cpu-target-tracking'], { cpuTargetPercent: 50 });
    const line = (result: typeof all, name: HttpPolicyName) => scoreFrom(result.timelines.find((timeline) => timeline.name === name)!, half);
    const oracle = line(all, 'oracle').taskHours;
    const baselines = [line(all, 'cpu-target-tracking'), line(cpu50, 'cpu-target-tracking'), line(all, 'request-count-tracking')];
    const best = [...baselines].sort((a, b) => a.violations - b.violations || a.taskHours - b.taskHours)[0]!;
    const cell = (score: { violations: number; taskHours: number }) => `${score.violations} min, ${(score.taskHours / oracle).toFixed(2)} x`;
    const chosen = line(tuned, 'headroom');
    const goal = (chosen.violations <= 0.25 * best.violations ? 'met' : 'missed') + ' / ' + (chosen.taskHours <= 1.3 * oracle ? 'met' : 'missed');
    return [label, String(tuning.chosen), cell(best), cell(line(all, 'headroom')), cell(line(tuned, 'headroom-reactive')), cell(chosen), goal];
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
  const sloRatePerTask = new HttpServiceModel(parameters).sloRatePerTask();
  const curve = fitRequiredTasks(sloRatePerTask, parameters.sloMs / 1000, parameters.maxCapacity);
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
    "- headroom-reactive: RequestScaledService's defaults (shared/request-scaling/reactive-defaults.ts): target tracking on",
    `  RequiredTasksPerTask at ${REQUEST_SCALING_DEFAULTS.targetUtilization}, the tasks the minute's requests need within the SLO (${describeRequiredTasks(curve)}:`,
    '  square-root staffing fitted to Erlang C from the one-task rate, shared/request-scaling/required-tasks.ts) over the running tasks; the',
    '  p99 latency guard (1 minute over the SLO: +25%, over twice it: +50%, at least one task); 3-minute scale-out and 5-minute',
    '  scale-in cooldowns;',
    "- headroom: the same plus predictive floors planned by the predictor's own code (PredictiveFloors: forecastSeries + planFloors)",
    `  from the p50 forecast at utilization 1 of the one-task rate within the SLO (${sloRatePerTask.toFixed(1)} requests/s);`,
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
    table(
      [
        'trace',
        'chosen',
        'best baseline',
        'headroom at 0.7',
        'headroom-reactive at the chosen',
        'headroom at the chosen',
        'goal (violations / cost)',
      ],
      tuned,
    ),
    '',
    'Where it falls short, and why (read with the tables):',
    '',
    '- What changed. headroom scales on RequiredTasksPerTask instead of ALBRequestCountPerTarget at one static per-task rate.',
    '  A pooled fleet needs a smaller share spare than one task (M/M/c: 40.8 requests/s per task within the SLO for one task,',
    '  49.7 for 35), and no static per-task target is tight for a one-task night and safe for it too: the old default (the',
    '  one-task rate x 0.8) ran a thirty-task day at 65% of saturation. Against it (this file at commit 008385f: headroom 16 / 0 /',
    '  1,763 / 330 minutes at 1.48 / 1.61 / 3.04 / 1.38 x; headroom-reactive 21 / 0 / 2,714 / 338 at 1.37 / 1.55 / 3.48 / 1.36 x),',
    '  headroom-reactive at 0.7 has fewer violation minutes on every trace that has any (10 / 0 / 2,654 / 304) at the same or',
    '  lower cost on three (1.37 / 1.47 / 3.30 x) and 1.5% more on Twitter (1.38 x). The sensitivity table shows the trade: 0.8',
    '  meets the cost goal on both regular traces (1.24 / 1.29 x) for 3 x the WC98 violation minutes; 0.65 buys 8-11% fewer on',
    '  the spiky traces for 4-8% more. The default favours the SLO, and the targetUtilization table shows a workload choosing',
    '  its own from its history. fleetTasksForTarget is gone: the signal is right at every fleet size.',
    '- What reacting can reach at all (the ideal-reactive columns). A policy that sees every minute exactly, with no alarm or',
    '  cooldown, launching at once, within 1.3 x the oracle: out of reach of the violations goal on WC98 and AWS ELB even with',
    '  no delay, and on Twitter as soon as it sees each minute a minute late, which is the fastest AWS allows (a 1-minute metric',
    '  published a minute late on a one-datapoint alarm). Only NYC taxi, which rises slowly, is reachable. So on three traces the',
    '  goal asks for foresight the traces do not give: the bursts are not in the history a forecast reads.',
    '- Cost against the oracle on the regular traces (1.37 / 1.47 x reactive at 0.7). The margin is most of it: the oracle runs',
    "  each minute's exact need, target tracking holds 1 / 0.7 of it and scales in only after 15 minutes under 90% of its",
    '  target. Where the history shows the load rising slower than tasks start, chooseTargetUtilization picks a tighter target',
    '  (NYC: 0.85, chosen on the first fortnight; the second fortnight has 0 violation minutes at 1.21 x reactive) and the cost',
    '  goal is met without floors.',
    '- The floors (p50 forecast, stepping hourly, each a start-up ahead) remove no violation minute on the regular traces and',
    '  cost 4-7% there, most of it on days the forecast could not know (NYC: 26-27 January 2015, the blizzard, when the city',
    '  stopped; WC98: 1 July 1998, a rest day between rounds): the floors table. They pay on AWS ELB (32% fewer violation',
    '  minutes and 13% fewer task-hours: a higher base answers the bursts with smaller proportional steps). With floors, NYC at',
    '  the chosen target is 1.36 x: the cost goal is missed there by the blizzard days.',
    '- Spiky traces (AWS ELB, Twitter): 5-minute bursts of 10-30 x the base load, shorter than an alarm plus the start-up.',
    '  Target tracking answers a burst in proportion after it is over and keeps it 15 minutes or more: that is the 2.9-3.3 x on',
    '  ELB. CPU target tracking is cheaper only because CPU stops at 100% (at most 1.43 x per step), and it drops more of the',
    '  requests headroom does (1.4-4.2 x).',
    '',
  ].join('\n');
  writeFileSync(fileURLToPath(new URL('results/http.md', import.meta.url)), report);
  console.log(report);
}

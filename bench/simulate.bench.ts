// The policy scoreboard on real traces, and the simulator's speed. `npm run bench -- simulate`
// (writes bench/results/simulate.md).
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { arrivalsPerMinute, backtestArrivals, POLICY_NAMES, runBacktest, type BacklogParameters } from '../shared/simulate/index.ts';
import type { RegularSeries } from '../shared/series/regular-series.ts';
import { median, readTraceFile, table } from './support/traces.ts';

const DAYS = 28;
const PEAK_WORKERS = 35;
const base: Omit<BacklogParameters, 'throughputPerWorker'> = { startupMs: 90_000, sloMs: 300_000, minCapacity: 1, maxCapacity: 50 };
const THROUGHPUT = 1;

function lastDays(series: RegularSeries, days: number): RegularSeries {
  const steps = Math.round((days * 86_400_000) / series.stepMs);
  const values = series.values.slice(-steps);
  return { startMs: series.startMs + (series.values.length - values.length) * series.stepMs, stepMs: series.stepMs, values };
}

const traces = [
  { label: 'WC98 (1 min)', file: 'wc98-requests-per-minute.csv' },
  { label: 'AWS ELB (5 min)', file: 'aws-elb-requests-5min.csv' },
  { label: 'NYC taxi (30 min)', file: 'nyc-taxi-passengers-30min.csv' },
  { label: 'Twitter AAPL (5 min)', file: 'twitter-volume-AAPL-5min.csv' },
];

export async function run(): Promise<void> {
  const started = performance.now();
  const rows: string[][] = [];
  const verdicts: string[] = [];
  for (const { label, file } of traces) {
    const series = lastDays(readTraceFile(file), DAYS);
    const raw = arrivalsPerMinute(series);
    // Scale so the busiest minute needs PEAK_WORKERS workers at THROUGHPUT messages per second each.
    const scale = (PEAK_WORKERS * THROUGHPUT * 60) / Math.max(...raw);
    const arrivals = raw.map((value) => value * scale);
    const result = runBacktest(arrivals, series.startMs, { ...base, throughputPerWorker: THROUGHPUT });
    for (const policy of result.policies) {
      rows.push([label, `${scale.toPrecision(3)}`, policy.name, String(policy.sloViolationMinutes), String(policy.p99WaitSeconds), policy.capacityHours.toFixed(0), String(policy.scalingActions), policy.capacityHoursVsOracle.toFixed(2)]);
    }
    const reactive = result.policies.filter((policy) => ['cpu-target-tracking', 'queue-step-scaling', 'backlog-target-tracking'].includes(policy.name));
    const bestReactive = [...reactive].sort((a, b) => a.sloViolationMinutes - b.sloViolationMinutes || a.capacityHours - b.capacityHours)[0]!;
    const predictive = result.policies.find((policy) => policy.name === 'headroom-predictive')!;
    const sloOk = predictive.sloViolationMinutes <= 0.25 * bestReactive.sloViolationMinutes && predictive.capacityHours <= bestReactive.capacityHours;
    const costOk = predictive.capacityHoursVsOracle <= 1.15;
    verdicts.push(
      `- ${label}: best reactive is ${bestReactive.name} (${bestReactive.sloViolationMinutes} violation min, ${bestReactive.capacityHours.toFixed(0)} capacity-h); headroom-predictive ${predictive.sloViolationMinutes} min, ${predictive.capacityHours.toFixed(0)} capacity-h: SLO target ${sloOk ? 'met' : 'missed'}, cost target (<= 1.15 x oracle, here ${predictive.capacityHoursVsOracle.toFixed(2)}) ${costOk ? 'met' : 'missed'}.`,
    );
  }
  const scoreboardSeconds = (performance.now() - started) / 1000;

  // Speed: one policy over 14 days at 1-minute steps, as a ratio to replaying the same arrivals with no policy
  // logic (the oracle, whose schedule is precomputed), measured in the same run.
  const twoWeeks = arrivalsPerMinute(lastDays(readTraceFile('wc98-requests-per-minute.csv'), 14), 0.05);
  const timePolicy = (name: (typeof POLICY_NAMES)[number]) => {
    const samples: number[] = [];
    for (let run = 0; run < 9; run++) {
      const start = performance.now();
      backtestArrivals(twoWeeks, 0, { ...base, throughputPerWorker: THROUGHPUT }, [name]);
      samples.push(performance.now() - start);
    }
    return median(samples);
  };
  const oracleMs = timePolicy('oracle');
  const speedRows = POLICY_NAMES.map((name) => {
    const ms = timePolicy(name);
    return [name, ms.toFixed(1), (ms / oracleMs).toFixed(2)];
  });
  const report = [
    '# Simulator: policy scoreboard and speed',
    '',
    `Reproduce: \`npm run bench -- simulate\` (writes this file). Measured ${new Date().toISOString().slice(0, 10)}, Node ${process.version}.`,
    '',
    `The last ${DAYS} days of each trace, each step's count spread over its minutes and scaled (the scale column) so the busiest minute needs`,
    `${PEAK_WORKERS} workers; ${THROUGHPUT} message/s per worker, start-up ${base.startupMs / 1000} s, SLO ${base.sloMs / 1000} s, ${base.minCapacity}-${base.maxCapacity} workers.`,
    'Targets for headroom-predictive: SLO-violation minutes <= 25% of the best reactive policy at no more capacity-hours, and capacity-hours <= 1.15 x the oracle.',
    '',
    table(['trace', 'scale', 'policy', 'SLO-violation min', 'p99 wait s', 'capacity-hours', 'actions', 'vs oracle'], rows),
    '',
    ...verdicts,
    '',
    `Whole scoreboard (${traces.length} traces x ${POLICY_NAMES.length} policies): ${scoreboardSeconds.toFixed(1)} s (target <= 10 s).`,
    '',
    'One policy over 14 days at 1-minute steps (WC98), median of 9 runs; ratio to the oracle replay in the same run (target <= 20 ms):',
    '',
    table(['policy', 'ms', 'x oracle replay'], speedRows),
    '',
  ].join('\n');
  writeFileSync(fileURLToPath(new URL('results/simulate.md', import.meta.url)), report);
  console.log(report);
}

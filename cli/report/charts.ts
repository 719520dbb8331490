import type { BacktestResult } from '../../shared/simulate/index.ts';

/** Vega-Lite specs for the report's charts; each series is thinned to its maximum per bin of minutes. */
export type ChartSpec = Record<string, unknown> & { title: string };

/** The first minute of each bin: at least 10 minutes a bin, at most ~1,500 bins, so long traces keep the page light. */
interface Bins {
  readonly minutes: number;
  readonly starts: readonly number[];
}

function binsFor(length: number): Bins {
  const minutes = Math.max(10, Math.ceil(length / 1500 / 10) * 10);
  return { minutes, starts: Array.from({ length: Math.ceil(length / minutes) }, (_, bin) => bin * minutes) };
}

function time(result: BacktestResult, minute: number): string {
  return new Date(result.startMs + minute * 60_000).toISOString();
}

function maxOver(values: readonly number[], from: number, bins: Bins): number {
  let highest = -Infinity;
  for (let minute = from; minute < Math.min(values.length, from + bins.minutes); minute++) highest = Math.max(highest, values[minute]!);
  return highest;
}

const lineChart = (title: string, yTitle: string, values: object[], extraLayers: object[] = []): ChartSpec => ({
  $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
  title,
  width: 900,
  height: 260,
  data: { values },
  layer: [
    {
      mark: { type: 'line', strokeWidth: 1.2, interpolate: 'step-after' },
      encoding: {
        x: { field: 'time', type: 'temporal', title: null },
        y: { field: 'value', type: 'quantitative', title: yTitle },
        color: { field: 'series', type: 'nominal', title: null, legend: { labelLimit: 320 } },
      },
    },
    ...extraLayers,
  ],
});

/** The forecast's p50-p99 band and p90 line (in workers), the floor planned from it, and the load it was for. */
function forecastChart(result: BacktestResult, floor: readonly number[], bins: Bins, needed: readonly object[]): ChartSpec {
  const marks = bins.starts;
  const forecast = result.forecast!;
  const perWorker = result.parameters.throughputPerWorker;
  const band = marks
    .filter((minute) => Number.isFinite(forecast.p50[minute]!))
    .map((minute) => ({ time: time(result, minute), low: forecast.p50[minute]! / perWorker, high: forecast.p99[minute]! / perWorker }));
  const lines = [
    ...needed,
    ...marks
      .filter((minute) => Number.isFinite(forecast.p90[minute]!))
      .map((minute) => ({ time: time(result, minute), series: 'forecast p90 (workers at 100%)', value: forecast.p90[minute]! / perWorker })),
    ...marks.map((minute) => ({ time: time(result, minute), series: 'scheduled floor', value: maxOver(floor, minute, bins) })),
  ];
  const chart = lineChart('headroom-predictive: forecast band (p50-p99), p90 and the floor planned from it, vs the load', 'workers', lines);
  const bandLayer = {
    data: { values: band },
    mark: { type: 'area', opacity: 0.25, color: '#4c78a8', interpolate: 'step-after' },
    encoding: {
      x: { field: 'time', type: 'temporal', title: null },
      y: { field: 'low', type: 'quantitative', title: 'workers' },
      y2: { field: 'high' },
    },
  };
  return { ...chart, layer: [bandLayer, ...(chart.layer as object[])] };
}

export function reportCharts(result: BacktestResult): ChartSpec[] {
  const perWorkerMinute = result.parameters.throughputPerWorker * 60;
  const bins = binsFor(result.arrivals.length);
  const marks = bins.starts;
  const needed = marks.map((minute) => ({
    time: time(result, minute),
    series: 'workers needed by the load',
    value: maxOver(result.arrivals, minute, bins) / perWorkerMinute,
  }));
  const capacity = result.timelines.flatMap((timeline) =>
    marks.map((minute) => ({ time: time(result, minute), series: timeline.name, value: maxOver(timeline.capacity, minute, bins) })),
  );
  const waits = result.timelines.flatMap((timeline) =>
    marks.map((minute) => ({ time: time(result, minute), series: timeline.name, value: maxOver(timeline.oldestWaitSeconds, minute, bins) })),
  );
  const charts = [
    lineChart('Load vs capacity, per policy (workers)', 'workers', [...needed, ...capacity]),
    lineChart('Oldest message wait vs the SLO (seconds)', 'seconds', waits, [
      {
        data: { values: [{ slo: result.parameters.sloMs / 1000 }] },
        mark: { type: 'rule', color: 'red', strokeDash: [6, 4] },
        encoding: { y: { field: 'slo', type: 'quantitative' } },
      },
    ]),
  ];
  const predictive = result.timelines.find((timeline) => timeline.floor);
  if (predictive && result.forecast) charts.push(forecastChart(result, predictive.floor!, bins, needed));
  return charts;
}

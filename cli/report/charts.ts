import type { BacktestResult } from '../../shared/simulate/index.ts';

/** Vega-Lite specs for the report's charts; data is thinned to one point per `binMinutes`. */
export type ChartSpec = Record<string, unknown> & { title: string };

const BIN_MINUTES = 10;

function bins(length: number): number[] {
  return Array.from({ length: Math.ceil(length / BIN_MINUTES) }, (_, bin) => bin * BIN_MINUTES);
}

function time(result: BacktestResult, minute: number): string {
  return new Date(result.startMs + minute * 60_000).toISOString();
}

function maxOver(values: readonly number[], from: number): number {
  return Math.max(...values.slice(from, from + BIN_MINUTES));
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
        color: { field: 'series', type: 'nominal', title: null },
      },
    },
    ...extraLayers,
  ],
});

export function reportCharts(result: BacktestResult): ChartSpec[] {
  const perWorkerMinute = result.parameters.throughputPerWorker * 60;
  const marks = bins(result.arrivals.length);
  const needed = marks.map((minute) => ({ time: time(result, minute), series: 'workers needed by the load', value: maxOver(result.arrivals, minute) / perWorkerMinute }));
  const capacity = result.timelines.flatMap((timeline) => marks.map((minute) => ({ time: time(result, minute), series: timeline.name, value: maxOver(timeline.capacity, minute) })));
  const waits = result.timelines.flatMap((timeline) => marks.map((minute) => ({ time: time(result, minute), series: timeline.name, value: maxOver(timeline.oldestWaitSeconds, minute) })));
  const predictive = result.timelines.find((timeline) => timeline.floor);
  const charts = [
    lineChart('Load vs capacity, per policy (workers)', 'workers', [...needed, ...capacity]),
    lineChart('Oldest message wait vs the SLO (seconds)', 'seconds', waits, [
      { data: { values: [{ slo: result.parameters.sloMs / 1000 }] }, mark: { type: 'rule', color: 'red', strokeDash: [6, 4] }, encoding: { y: { field: 'slo', type: 'quantitative' } } },
    ]),
  ];
  if (predictive) {
    const floor = marks.map((minute) => ({ time: time(result, minute), series: 'scheduled floor (from the p90 forecast)', value: maxOver(predictive.floor!, minute) }));
    const used = marks.map((minute) => ({ time: time(result, minute), series: 'headroom-predictive capacity', value: maxOver(predictive.capacity, minute) }));
    charts.push(lineChart('headroom-predictive: forecast floor band vs the load', 'workers', [...needed, ...floor, ...used]));
  }
  return charts;
}

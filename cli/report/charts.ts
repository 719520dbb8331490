import type { BacktestResult } from '../../shared/simulate/index.ts';
import { TARGET_DEFAULTS } from '../../shared/predictor/config.ts';

/** Vega-Lite specs for the report's charts; each series is thinned to its maximum per bin of minutes. */
export type ChartSpec = Record<string, unknown> & { title: string; caption: string };

/**
 * Okabe & Ito's palette (safe for the common colour-vision deficiencies), one colour per series, fixed by name so a
 * policy has the same colour in every chart; dashes tell apart what colour alone might not.
 */
const SERIES_STYLE: Readonly<Record<string, { color: string; dash: number[] }>> = {
  'workers needed by the load': { color: '#000000', dash: [] },
  'cpu-target-tracking': { color: '#E69F00', dash: [] },
  'queue-step-scaling': { color: '#56B4E9', dash: [] },
  'backlog-target-tracking': { color: '#CC79A7', dash: [] },
  'headroom-reactive': { color: '#0072B2', dash: [] },
  'headroom-predictive': { color: '#009E73', dash: [] },
  oracle: { color: '#999999', dash: [4, 3] },
  SLO: { color: '#D55E00', dash: [8, 4] },
  'scheduled floor': { color: '#009E73', dash: [] },
  'forecast p50': { color: '#0072B2', dash: [2, 2] },
  'forecast p90': { color: '#0072B2', dash: [2, 2] },
  'forecast p99': { color: '#0072B2', dash: [2, 2] },
};

/** Bin widths a person reads without arithmetic. */
const BIN_MINUTES = [10, 30, 60, 180, 360, 720, 1440];
/** At most this many points per series: about two pixels each on a 900-pixel chart. */
const MOST_POINTS = 450;

export interface Bins {
  readonly minutes: number;
  readonly starts: readonly number[];
}

export function binsFor(length: number): Bins {
  const minutes = BIN_MINUTES.find((width) => length / width <= MOST_POINTS) ?? Math.ceil(length / MOST_POINTS / 1440) * 1440;
  return { minutes, starts: Array.from({ length: Math.ceil(length / minutes) }, (_, bin) => bin * minutes) };
}

export function describeBin(minutes: number): string {
  if (minutes % 1440 === 0) return minutes === 1440 ? 'day' : `${minutes / 1440} days`;
  if (minutes % 60 === 0) return minutes === 60 ? 'hour' : `${minutes / 60} hours`;
  return `${minutes} minutes`;
}

function time(result: BacktestResult, minute: number): string {
  return new Date(result.startMs + minute * 60_000).toISOString();
}

function maxOver(values: readonly number[], from: number, bins: Bins): number {
  let highest = Number.NEGATIVE_INFINITY;
  for (let minute = from; minute < Math.min(values.length, from + bins.minutes); minute++) highest = Math.max(highest, values[minute]!);
  return highest;
}

/** One time axis for every chart: UTC, ticks at midnights (or month starts for long traces), one label format. */
function timeAxis(result: BacktestResult) {
  const days = result.arrivals.length / 1440;
  return {
    field: 'time',
    type: 'temporal',
    title: 'UTC',
    scale: { type: 'utc' },
    axis:
      days > 62
        ? { format: '%b %Y', tickCount: { interval: 'month', step: 1 }, labelAngle: 0 }
        : { format: '%a %d %b', tickCount: { interval: 'day', step: Math.max(1, Math.ceil(days / 14)) }, labelAngle: 0 },
  };
}

function lineChart(result: BacktestResult, title: string, caption: string, yTitle: string, values: Array<{ series: string }>): ChartSpec {
  const domain = [...new Set(values.map((row) => row.series))];
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
    title,
    caption,
    width: 900,
    height: 260,
    data: { values },
    mark: { type: 'line', strokeWidth: 1.6, interpolate: 'step-after' },
    encoding: {
      x: timeAxis(result),
      y: { field: 'value', type: 'quantitative', title: yTitle },
      color: {
        field: 'series',
        type: 'nominal',
        title: null,
        scale: { domain, range: domain.map((name) => SERIES_STYLE[name]?.color ?? '#000000') },
        legend: { orient: 'bottom', columns: 4, labelLimit: 320, symbolStrokeWidth: 3 },
      },
      strokeDash: {
        field: 'series',
        type: 'nominal',
        title: null,
        scale: { domain, range: domain.map((name) => SERIES_STYLE[name]?.dash ?? []) },
        legend: { orient: 'bottom', columns: 4, labelLimit: 320, symbolStrokeWidth: 3 },
      },
    },
  };
}

/** The quantile the floors were planned from at each minute: the day's chosen setting, or the configured one before the first choice. */
function quantileAt(result: BacktestResult): (minute: number) => 'p50' | 'p90' | 'p99' {
  const days = result.floorSettings ?? [];
  return (minute) => {
    const ms = result.startMs + minute * 60_000;
    let quantile = TARGET_DEFAULTS.quantile as 'p50' | 'p90' | 'p99';
    for (const day of days) if (day.fromMs <= ms) quantile = day.settings.quantile as 'p50' | 'p90' | 'p99';
    return quantile;
  };
}

/** The quantiles headroom-predictive planned from, over the trace, in words: "the p50", "the p50, then the p90". */
export function plannedQuantiles(result: BacktestResult): string {
  const at = quantileAt(result);
  const seen: string[] = [];
  for (let minute = 0; minute < result.arrivals.length; minute += 60) if (seen.at(-1) !== at(minute)) seen.push(at(minute));
  return seen.join(', then the ');
}

/** The forecast quantile the floors were planned from (in workers), the floor, and the load it was for. */
function forecastChart(result: BacktestResult, floor: readonly number[], bins: Bins, needed: ReadonlyArray<{ series: string }>): ChartSpec {
  const forecast = result.forecast!;
  const perWorker = result.parameters.throughputPerWorker;
  const at = quantileAt(result);
  const planned = bins.starts
    .filter((minute) => Number.isFinite(forecast[at(minute)][minute]!))
    .map((minute) => ({ time: time(result, minute), series: `forecast ${at(minute)}`, value: forecast[at(minute)][minute]! / perWorker }));
  const floors = bins.starts.map((minute) => ({ time: time(result, minute), series: 'scheduled floor', value: maxOver(floor, minute, bins) }));
  const quantiles = plannedQuantiles(result);
  return lineChart(
    result,
    `headroom-predictive: the forecast ${quantiles} it planned from, and the floors it scheduled, vs the load`,
    `The forecast line is the quantile the floors were planned from each day (${quantiles}), in workers at 100%; the floor is the MinCapacity the predictor's scheduled actions raised (target tracking works above it). Each point: the maximum over ${describeBin(bins.minutes)}.`,
    'workers',
    [...needed, ...planned, ...floors],
  );
}

export function reportCharts(result: BacktestResult): ChartSpec[] {
  const perWorkerMinute = result.parameters.throughputPerWorker * 60;
  const bins = binsFor(result.arrivals.length);
  const marks = bins.starts;
  const per = describeBin(bins.minutes);
  const needed = marks.map((minute) => ({
    time: time(result, minute),
    series: 'workers needed by the load',
    value: maxOver(result.arrivals, minute, bins) / perWorkerMinute,
  }));
  const capacity = (names: (name: string) => boolean) =>
    result.timelines
      .filter((timeline) => names(timeline.name))
      .flatMap((timeline) =>
        marks.map((minute) => ({ time: time(result, minute), series: timeline.name, value: maxOver(timeline.capacity, minute, bins) })),
      );
  const isHeadroom = (name: string) => name.startsWith('headroom') || name === 'oracle';
  const sloSeconds = result.parameters.sloMs / 1000;
  const waits = [
    ...result.timelines
      .filter((timeline) => timeline.name !== 'oracle')
      .flatMap((timeline) =>
        marks.map((minute) => ({ time: time(result, minute), series: timeline.name, value: maxOver(timeline.oldestWaitSeconds, minute, bins) })),
      ),
    ...[0, result.arrivals.length].map((minute) => ({ time: time(result, minute), series: 'SLO', value: sloSeconds })),
  ];
  const charts = [
    lineChart(
      result,
      'Load vs capacity: headroom and the oracle (workers)',
      `Workers each policy ran, against the workers the load needed at full use. Each point: the maximum over ${per}.`,
      'workers',
      [...needed, ...capacity(isHeadroom)],
    ),
    lineChart(
      result,
      'Load vs capacity: the baselines and the oracle (workers)',
      `The same load and oracle, with the policies headroom is compared with. Each point: the maximum over ${per}.`,
      'workers',
      [...needed, ...capacity((name) => !isHeadroom(name) || name === 'oracle')],
    ),
    lineChart(
      result,
      `Oldest message wait vs the ${sloSeconds / 60}-minute SLO (seconds)`,
      `How long the oldest waiting message had waited, per policy; above the SLO line is a violation. Each point: the maximum over ${per}.`,
      'seconds',
      waits,
    ),
  ];
  const predictive = result.timelines.find((timeline) => timeline.floor);
  if (predictive && result.forecast) charts.push(forecastChart(result, predictive.floor!, bins, needed));
  return charts;
}

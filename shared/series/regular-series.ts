/**
 * A metric history at a fixed step. A missing step is NaN: a gap, never a zero, because a source that
 * could not be read must not look like a quiet period.
 */
export interface RegularSeries {
  /** Epoch milliseconds (UTC) of the first value. */
  readonly startMs: number;
  /** Milliseconds between consecutive values. */
  readonly stepMs: number;
  /** One value per step; NaN marks a gap. */
  readonly values: readonly number[];
}

/** Places timestamped points on a regular grid; steps with no point become gaps (NaN). */
export function fromPoints(points: ReadonlyArray<{ readonly timestampMs: number; readonly value: number }>, stepMs: number): RegularSeries {
  if (!(stepMs > 0)) throw new Error(`stepMs must be positive, got ${stepMs}`);
  if (points.length === 0) return { startMs: 0, stepMs, values: [] };
  const sorted = [...points].sort((a, b) => a.timestampMs - b.timestampMs);
  const startMs = sorted[0]!.timestampMs;
  const length = Math.floor((sorted[sorted.length - 1]!.timestampMs - startMs) / stepMs) + 1;
  const values = new Array<number>(length).fill(Number.NaN);
  for (const point of sorted) values[Math.round((point.timestampMs - startMs) / stepMs)] = point.value;
  return { startMs, stepMs, values };
}

/**
 * The series from its first value on: steps before a metric first reported are not missing data, the metric
 * did not exist yet. Gaps after that stay gaps.
 */
export function fromFirstDatapoint(series: RegularSeries): RegularSeries {
  const first = series.values.findIndex((value) => Number.isFinite(value));
  if (first <= 0) return first === 0 ? series : { ...series, values: [] };
  return { ...series, startMs: series.startMs + first * series.stepMs, values: series.values.slice(first) };
}

/** The series' last `days` days (all of it when shorter). */
export function lastDays(series: RegularSeries, days: number): RegularSeries {
  const steps = Math.round((days * 86_400_000) / series.stepMs);
  if (series.values.length <= steps) return series;
  const dropped = series.values.length - steps;
  return { startMs: series.startMs + dropped * series.stepMs, stepMs: series.stepMs, values: series.values.slice(dropped) };
}

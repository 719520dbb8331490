/** Backtest errors (actual − forecast) of a model, collected per horizon step, newest origin first. */
export interface Residuals {
  readonly byHorizon: readonly (readonly number[])[];
  /** The forecasts those errors were made against, in the same order. */
  readonly forecastByHorizon: readonly (readonly number[])[];
  readonly meanAbsoluteError: number;
}

// Errors are pooled over buckets of neighbouring horizons: a handful of origins alone is too few per step.
const BUCKETS = 8;
/**
 * Each older origin weighs this much less than the one after it when the upper quantiles are read: volatility
 * changes (a tournament ends, a launch settles), and the last few days say most about the next.
 */
const RECENCY = 0.8;
/**
 * The quantile of weighted errors read as the p90. The chosen model is the one that backtested best, so its
 * errors understate the next ones: read a little higher than 0.9.
 */
const UPPER90 = 0.94;
/** Errors are relative to the forecast level, but not to a level below this share of the history's mean. */
const LEVEL_FLOOR = 0.1;

/** A relative error and how much it counts. */
interface WeightedError {
  readonly error: number;
  readonly weight: number;
}

function weightedQuantile(sorted: readonly WeightedError[], q: number): number {
  const total = sorted.reduce((sum, entry) => sum + entry.weight, 0);
  let seen = 0;
  for (const entry of sorted) {
    seen += entry.weight;
    if (seen >= q * total) return entry.error;
  }
  return sorted[sorted.length - 1]!.error;
}

interface Spread {
  readonly median: number;
  readonly upper90: number;
  readonly upper99: number;
}

function spreadOf(errors: readonly WeightedError[]): Spread {
  // No evidence: a wide spread around the point forecast.
  if (errors.length < 5) return { median: 0, upper90: 0.25, upper99: 0.45 };
  const sorted = [...errors].sort((a, b) => a.error - b.error);
  // The bias correction uses every origin alike: weighting it to the last few days made the point forecast worse.
  const median = weightedQuantile(sorted.map(({ error }) => ({ error, weight: 1 })), 0.5);
  const upper90 = weightedQuantile(sorted, UPPER90);
  const upper99 = errors.length >= 100 ? weightedQuantile(sorted, 0.99) : median + (upper90 - median) * 1.8;
  return { median, upper90, upper99 };
}

/**
 * Quantiles around a point forecast from the model's own backtest errors: p50 corrects the point forecast's
 * bias, p90 and p99 add the errors it actually made at that distance ahead. Errors are taken relative to the
 * level forecast, so a series whose level has fallen (or risen) since the backtest gets bands in proportion to
 * its level now; recent origins weigh more in the upper quantiles. p99 is extrapolated from the p50–p90 spread
 * when too few errors were seen to read it directly. Quantiles never cross, and never go below zero for a
 * series that never did.
 */
export function calibratedQuantiles(
  point: readonly number[],
  residuals: Residuals | undefined,
  history: readonly number[],
  nonNegative: boolean,
): { p50: number[]; p90: number[]; p99: number[] } {
  const horizon = point.length;
  const meanLevel = Math.max(1e-9, history.reduce((sum, value) => sum + Math.abs(value), 0) / Math.max(1, history.length));
  const unitAt = (level: number) => Math.max(Math.abs(level), LEVEL_FLOOR * meanLevel);
  const measured = residuals?.byHorizon.length ?? 0;
  const bucketSize = Math.max(1, Math.ceil(measured / BUCKETS));
  const spreads: Spread[] = [];
  for (let start = 0; start < Math.max(measured, 1); start += bucketSize) {
    const bucket: WeightedError[] = [];
    for (let h = start; h < Math.min(measured, start + bucketSize); h++) {
      residuals!.byHorizon[h]!.forEach((error, origin) => {
        bucket.push({ error: error / unitAt(residuals!.forecastByHorizon[h]![origin]!), weight: RECENCY ** origin });
      });
    }
    spreads.push(spreadOf(bucket));
  }
  const p50 = new Array<number>(horizon);
  const p90 = new Array<number>(horizon);
  const p99 = new Array<number>(horizon);
  for (let h = 0; h < horizon; h++) {
    // Beyond the backtested horizon, the last bucket's errors stand in.
    const spread = spreads[Math.min(spreads.length - 1, Math.floor(Math.min(h, Math.max(measured - 1, 0)) / bucketSize))]!;
    const base = point[h]!;
    const unit = unitAt(base);
    p50[h] = base + spread.median * unit;
    p90[h] = Math.max(p50[h]!, base + spread.upper90 * unit);
    p99[h] = Math.max(p90[h]!, base + spread.upper99 * unit);
    if (nonNegative) {
      p50[h] = Math.max(0, p50[h]!);
      p90[h] = Math.max(p50[h]!, p90[h]!);
      p99[h] = Math.max(p90[h]!, p99[h]!);
    }
  }
  return { p50, p90, p99 };
}

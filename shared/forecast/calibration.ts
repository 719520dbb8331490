/** Backtest errors (actual − forecast) of a model, collected per horizon step. */
export interface Residuals {
  readonly byHorizon: readonly (readonly number[])[];
  readonly meanAbsoluteError: number;
}

function quantile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return 0;
  const position = (sorted.length - 1) * q;
  const below = Math.floor(position);
  const above = Math.min(sorted.length - 1, below + 1);
  return sorted[below]! + (sorted[above]! - sorted[below]!) * (position - below);
}

// Errors are pooled over buckets of neighbouring horizons: a handful of origins alone is too few per step.
const BUCKETS = 8;

interface Spread {
  readonly median: number;
  readonly upper90: number;
  readonly upper99: number;
}

function spreadOf(errors: number[], scale: number): Spread {
  if (errors.length < 5) {
    // No evidence: a wide spread, in proportion to the series' typical level.
    return { median: 0, upper90: 0.25 * scale, upper99: 0.45 * scale };
  }
  errors.sort((a, b) => a - b);
  const median = quantile(errors, 0.5);
  // The chosen model is the one that backtested best, so its errors understate the next ones: read a little higher.
  const upper90 = quantile(errors, 0.93);
  const upper99 = errors.length >= 100 ? quantile(errors, 0.99) : median + (upper90 - median) * 1.8;
  return { median, upper90, upper99 };
}

/**
 * Quantiles around a point forecast from the model's own backtest errors: p50 corrects the point forecast's
 * bias, p90 and p99 add the errors it actually made at that distance ahead. p99 is extrapolated from the
 * p50–p90 spread when too few errors were seen to read it directly. Quantiles never cross, and never go below
 * zero for a series that never did.
 */
export function calibratedQuantiles(
  point: readonly number[],
  residuals: Residuals | undefined,
  history: readonly number[],
  nonNegative: boolean,
): { p50: number[]; p90: number[]; p99: number[] } {
  const horizon = point.length;
  const scale = Math.max(1e-9, history.reduce((sum, value) => sum + Math.abs(value), 0) / Math.max(1, history.length));
  const measured = residuals?.byHorizon.length ?? 0;
  const bucketSize = Math.max(1, Math.ceil(measured / BUCKETS));
  const spreads: Spread[] = [];
  for (let start = 0; start < Math.max(measured, 1); start += bucketSize) {
    spreads.push(spreadOf(measured > 0 ? residuals!.byHorizon.slice(start, start + bucketSize).flat() : [], scale));
  }
  const p50 = new Array<number>(horizon);
  const p90 = new Array<number>(horizon);
  const p99 = new Array<number>(horizon);
  for (let h = 0; h < horizon; h++) {
    // Beyond the backtested horizon, the last bucket's errors stand in.
    const spread = spreads[Math.min(spreads.length - 1, Math.floor(Math.min(h, Math.max(measured - 1, 0)) / bucketSize))]!;
    const base = point[h]!;
    p50[h] = base + spread.median;
    p90[h] = Math.max(p50[h]!, base + spread.upper90);
    p99[h] = Math.max(p90[h]!, base + spread.upper99);
    if (nonNegative) {
      p50[h] = Math.max(0, p50[h]!);
      p90[h] = Math.max(p50[h]!, p90[h]!);
      p99[h] = Math.max(p90[h]!, p99[h]!);
    }
  }
  return { p50, p90, p99 };
}

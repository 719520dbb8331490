import { quantile } from './quantile.ts';

/** Backtest errors (actual − forecast) of a model, collected per horizon step. */
export interface Residuals {
  readonly byHorizon: readonly (readonly number[])[];
  /** The forecasts those errors were made against, in the same order. */
  readonly forecastByHorizon: readonly (readonly number[])[];
  readonly meanAbsoluteError: number;
}

// Errors are pooled over buckets of neighbouring horizons: a handful of origins alone is too few per step.
const BUCKETS = 8;
/** Bias is measured relative to the forecast level, but not to a level below this share of the history's mean. */
const LEVEL_FLOOR = 0.1;
/** Backtest days count as at today's level when their forecasts averaged within this factor of today's forecast. */
const LIKE_LEVEL_FACTOR = 3;
/** Fewer backtest days than this at today's level are too few to read a spread from: then every day counts. */
const MIN_LIKE_LEVEL_ORIGINS = 3;

interface Spread {
  /** The median error as a share of the level forecast: the point forecast's bias. */
  readonly relativeBias: number;
  /** How far the p90 and p99 lie above the median, in the series' units. */
  readonly above90: number;
  readonly above99: number;
}

function spreadOf(errors: number[], relativeErrors: number[], scale: number): Spread {
  if (errors.length < 5) {
    // No evidence: a wide spread, in proportion to the series' typical level.
    return { relativeBias: 0, above90: 0.25 * scale, above99: 0.45 * scale };
  }
  errors.sort((a, b) => a - b);
  relativeErrors.sort((a, b) => a - b);
  const median = quantile(errors, 0.5);
  // The chosen model is the one that backtested best, so its errors understate the next ones: read a little higher.
  const above90 = quantile(errors, 0.93) - median;
  const above99 = errors.length >= 100 ? quantile(errors, 0.99) - median : above90 * 1.8;
  return { relativeBias: quantile(relativeErrors, 0.5), above90, above99 };
}

/**
 * Which backtest origins forecast at a level like the coming one (their mean forecast within a factor of 3 of
 * it), or undefined for all of them. After a regime change (a tournament ends and the load falls to an eighth)
 * the errors made at the old level say little about the spread at the new one.
 */
function likeLevelOrigins(point: readonly number[], residuals: Residuals): boolean[] | undefined {
  const measured = Math.min(residuals.byHorizon.length, point.length);
  const origins = residuals.byHorizon[0]?.length ?? 0;
  if (measured === 0 || origins === 0) return undefined;
  const meanAbsolute = (values: Iterable<number>) => {
    let sum = 0;
    for (const value of values) sum += Math.abs(value);
    return sum / measured;
  };
  const coming = meanAbsolute(point.slice(0, measured));
  const alike = Array.from({ length: origins }, (_, origin) => {
    const level = meanAbsolute(residuals.forecastByHorizon.slice(0, measured).map((forecasts) => forecasts[origin]!));
    return level <= LIKE_LEVEL_FACTOR * coming && level * LIKE_LEVEL_FACTOR >= coming;
  });
  const count = alike.filter(Boolean).length;
  return count >= MIN_LIKE_LEVEL_ORIGINS && count < origins ? alike : undefined;
}

/**
 * Quantiles around a point forecast from the model's own backtest errors at that distance ahead. The p50
 * corrects the point forecast's bias in proportion to the level (a model that ran 10% low runs 10% low at the
 * peak too, and a series whose level has fallen keeps a small correction). The p90 and p99 add the spread of the
 * errors above their median in the series' units: spikes come at any level. (Bands proportional to the level were
 * tried: on Twitter AAPL they covered 96.5% of the busiest quarter and cost the simulated predictive policy 50%
 * more capacity-hours.) That spread is read from the backtest days forecast at a level like the coming one when
 * there are at least three of them, so a series whose level has changed is not held to its old errors. p99 is extrapolated from the p50–p90 spread when too few errors were seen to read it
 * directly. Quantiles never cross, and never go below zero for a series that never did.
 */
export function calibratedQuantiles(
  point: readonly number[],
  residuals: Residuals | undefined,
  history: readonly number[],
  nonNegative: boolean,
): { p50: number[]; p90: number[]; p99: number[] } {
  const horizon = point.length;
  const scale = Math.max(1e-9, history.reduce((sum, value) => sum + Math.abs(value), 0) / Math.max(1, history.length));
  const levelOf = (forecast: number) => Math.max(Math.abs(forecast), LEVEL_FLOOR * scale);
  const measured = residuals?.byHorizon.length ?? 0;
  const bucketSize = Math.max(1, Math.ceil(measured / BUCKETS));
  const likeLevel = residuals && likeLevelOrigins(point, residuals);
  const spreads: Spread[] = [];
  for (let start = 0; start < Math.max(measured, 1); start += bucketSize) {
    const errors: number[] = [];
    const relativeErrors: number[] = [];
    for (let h = start; h < Math.min(measured, start + bucketSize); h++) {
      residuals!.byHorizon[h]!.forEach((error, origin) => {
        if (!likeLevel || likeLevel[origin]) errors.push(error);
        relativeErrors.push(error / levelOf(residuals!.forecastByHorizon[h]![origin]!));
      });
    }
    spreads.push(spreadOf(errors, relativeErrors, scale));
  }
  const p50 = new Array<number>(horizon);
  const p90 = new Array<number>(horizon);
  const p99 = new Array<number>(horizon);
  for (let h = 0; h < horizon; h++) {
    // Beyond the backtested horizon, the last bucket's errors stand in.
    const spread = spreads[Math.min(spreads.length - 1, Math.floor(Math.min(h, Math.max(measured - 1, 0)) / bucketSize))]!;
    const base = point[h]!;
    p50[h] = base + spread.relativeBias * levelOf(base);
    p90[h] = p50[h]! + spread.above90;
    p99[h] = p50[h]! + Math.max(spread.above90, spread.above99);
    if (nonNegative) {
      p50[h] = Math.max(0, p50[h]!);
      p90[h] = Math.max(p50[h]!, p90[h]!);
      p99[h] = Math.max(p90[h]!, p99[h]!);
    }
  }
  return { p50, p90, p99 };
}

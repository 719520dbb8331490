import type { RegularSeries } from '../series/regular-series.ts';
import { aggregateForecast } from './aggregate.ts';
import { autoregressionNeeds, forecastsAt, seasonalAutoregression } from './autoregression.ts';
import { calibratedQuantiles } from './calibration.ts';
import { fillGaps, gapShare, MAX_GAP_SHARE } from './gaps.ts';
import { ensemble, recentMedian, seasonalNaive, seasonalProfile, type Seasons } from './models.ts';
import { selectByBacktest, type Candidate } from './selection.ts';

export interface QuantileForecast {
  /** The model actually used, e.g. 'seasonal-profile-weekly'. */
  readonly model: string;
  /** Timestamp (epoch ms, UTC) of the first forecast step: the end of the history. */
  readonly startMs: number;
  readonly stepMs: number;
  readonly p50: readonly number[];
  readonly p90: readonly number[];
  readonly p99: readonly number[];
  /** Why a fallback was taken, how the model was chosen. */
  readonly notes: readonly string[];
}

export interface ForecastOptions {
  /** How far ahead to forecast. */
  readonly horizonMs: number;
  /**
   * Aggregate the forecast to this coarser step (a multiple of the history's). Each aggregated step takes the
   * maximum of its sub-steps, for capacity safety, unless `aggregate` is 'mean'.
   * @default the history's step
   */
  readonly stepMs?: number;
  /** @default 'max' */
  readonly aggregate?: 'max' | 'mean';
  /**
   * A model name (see `MODEL_NAMES`) or 'auto': the candidate with the lowest error when backtested on the
   * series' own recent history.
   * @default 'auto'
   */
  readonly model?: string;
}

/** The history cannot be forecast at all (too short, or nearly all gaps). */
export class InsufficientHistoryError extends Error {
  constructor(detail: string) {
    super(`insufficient history: ${detail}`);
    this.name = 'InsufficientHistoryError';
  }
}

const DAY_MS = 86_400_000;

function seasonsOf(stepMs: number): Seasons {
  const daily = DAY_MS % stepMs === 0 ? DAY_MS / stepMs : 0;
  return { daily, weekly: daily * 7 };
}

function candidates(seasons: Seasons): Candidate[] {
  const list: Candidate[] = [{ name: 'recent-median', model: recentMedian, needs: 1 }];
  if (seasons.daily > 1) {
    list.push({ name: 'seasonal-naive-daily', model: seasonalNaive(seasons.daily), needs: seasons.daily });
    list.push({ name: 'seasonal-profile-daily', model: seasonalProfile(seasons.daily, 7), needs: 2 * seasons.daily });
    list.push({ name: 'seasonal-naive-weekly', model: seasonalNaive(seasons.weekly), needs: seasons.weekly });
    list.push({ name: 'seasonal-profile-weekly', model: seasonalProfile(seasons.weekly, 3), needs: 2 * seasons.weekly });
    list.push({
      name: 'profile-ensemble',
      model: ensemble([seasonalProfile(seasons.weekly, 3), seasonalProfile(seasons.daily, 7), recentMedian]),
      needs: 2 * seasons.weekly,
    });
  }
  // At finer steps a day's lags run to hundreds: offered there (with 24 recent lags), it cost ~8x the rest of the
  // forecaster and made the traces' forecasts worse (NYC taxi MASE 1.07 vs 1.01, Twitter GOOG 1.03 vs 0.97).
  if (seasons.daily > 1 && seasons.daily <= MAX_AUTOREGRESSION_DAILY_STEPS) {
    list.push({ name: 'seasonal-autoregression', model: seasonalAutoregression, forecastsAt, needs: autoregressionNeeds(seasons.daily) });
  }
  return list;
}

/** The names `options.model` accepts besides 'auto'. */
export const MODEL_NAMES = [
  'recent-median',
  'seasonal-naive-daily',
  'seasonal-profile-daily',
  'seasonal-naive-weekly',
  'seasonal-profile-weekly',
  'profile-ensemble',
  'seasonal-autoregression',
] as const;

/** Steps per day up to which the seasonal autoregression is a candidate: hourly data or coarser. */
const MAX_AUTOREGRESSION_DAILY_STEPS = 24;

/**
 * Forecasts a metric history with quantiles. The point model is chosen per series by backtesting the
 * candidates on the series' own recent history; the quantiles come from the chosen model's backtest errors
 * at each horizon, so they are as wide as the model has actually been wrong. Pure and deterministic.
 */
export function forecastSeries(history: RegularSeries, options: ForecastOptions): QuantileForecast {
  const { stepMs } = history;
  if (!(stepMs > 0)) throw new RangeError(`history.stepMs must be positive, got ${stepMs}`);
  if (!(options.horizonMs > 0) || !Number.isFinite(options.horizonMs))
    throw new RangeError(`horizonMs must be a positive number of milliseconds, got ${options.horizonMs}`);
  const outStep = options.stepMs ?? stepMs;
  if (!(outStep > 0) || outStep % stepMs !== 0)
    throw new RangeError(`stepMs (${outStep}) must be a positive multiple of the history's step (${stepMs})`);
  if (history.values.length < 2) throw new InsufficientHistoryError(`${history.values.length} point(s); at least 2 are needed`);
  const gaps = gapShare(history.values);
  if (gaps > MAX_GAP_SHARE)
    throw new InsufficientHistoryError(`${Math.round(gaps * 100)}% of the history is gaps (at most ${MAX_GAP_SHARE * 100}% allowed)`);

  const notes: string[] = [];
  const seasons = seasonsOf(stepMs);
  const horizon = Math.ceil(options.horizonMs / stepMs);
  const values = fillGaps(history.values, seasons.daily);
  if (gaps > 0) notes.push(`${Math.round(gaps * 1000) / 10}% of the history was gaps, filled from the day before for fitting`);
  const nonNegative = values.every((value) => value >= 0);

  const all = candidates(seasons);
  const requested = options.model ?? 'auto';
  let usable = all.filter((candidate) => values.length >= candidate.needs);
  if (requested !== 'auto') {
    const named = all.find((candidate) => candidate.name === requested);
    if (!named && (MODEL_NAMES as readonly string[]).includes(requested))
      throw new RangeError(
        `model "${requested}" is not offered at a ${stepMs / 60_000}-minute step: use auto or one of ${all.map((candidate) => candidate.name).join(', ')}`,
      );
    if (!named) throw new RangeError(`unknown model "${requested}": use auto or one of ${all.map((candidate) => candidate.name).join(', ')}`);
    if (values.length < named.needs) throw new InsufficientHistoryError(`${named.name} needs ${named.needs} steps of history, got ${values.length}`);
    usable = [named];
  }
  if (seasons.daily > 1 && values.length < 2 * seasons.weekly) {
    notes.push(
      `fewer than two weeks of history (${(values.length / (seasons.daily || 1)).toFixed(1)} days): weekly models ${values.length < seasons.weekly ? 'unavailable' : 'limited'}`,
    );
  }
  if (seasons.daily === 0) notes.push(`the step (${stepMs} ms) does not divide a day: no seasonal model`);

  const backtestHorizon = Math.min(horizon, seasons.daily > 0 ? seasons.daily : horizon);
  const selection = selectByBacktest(usable, values, backtestHorizon, seasons, requested === 'auto');
  const chosen = selection?.chosen;
  const candidate = chosen?.candidate ?? usable[usable.length - 1] ?? all[0]!;
  if (!selection) notes.push('too little history to backtest: quantiles are a fixed spread around the point forecast');
  else if (requested === 'auto')
    notes.push(`chosen by backtest over ${selection.scored} candidate(s) (MAE ${selection.chosen.residuals.meanAbsoluteError.toPrecision(4)})`);

  const point = candidate.model(values, horizon, seasons);
  const quantiles = calibratedQuantiles(point, chosen?.residuals, values, nonNegative);
  const forecast: QuantileForecast = {
    model: candidate.name,
    startMs: history.startMs + history.values.length * stepMs,
    stepMs,
    ...quantiles,
    notes,
  };
  return outStep === stepMs ? forecast : aggregateForecast(forecast, outStep, options.aggregate ?? 'max');
}

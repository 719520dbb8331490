/**
 * The forecast-error circuit breaker: a target whose recent forecasts were worse than the plainest one (the
 * seasonal naive, "same time a week ago", on the same days) gets no raised floors until its forecasts recover;
 * reactive scaling carries it meanwhile. Hysteresis keeps it from flapping: it opens above `openAbove` and closes
 * only at or below `closeAtOrBelow`.
 *
 * The predictor keeps no state between runs, so the breaker's state is replayed from the history itself: each of
 * the last `days` whole UTC days is forecast from what came before it, its error scored against the seasonal naive's on
 * that day, and the day-by-day decisions applied in order from a closed breaker. The same history gives the same
 * state, on every run and in a backtest. Pure.
 */
import type { Calendar } from '../forecast/calendar.ts';
import { fromFirstDatapoint, type RegularSeries } from '../series/regular-series.ts';
import { forecastInZone } from './local-time.ts';

const DAY_MS = 86_400_000;

export type BreakerState = 'closed' | 'open';

export interface BreakerThresholds {
  /** Relative error (forecast MAE / seasonal naive MAE on the same day) above which the breaker opens. */
  readonly openAbove: number;
  /** Relative error at or below which an open breaker closes. */
  readonly closeAtOrBelow: number;
  /** Days replayed to find the state. */
  readonly days: number;
}

/**
 * Open when a day's forecast erred half as much again as "same time last week"; close once one is within 10% of it.
 * One day's ratio is noisy (a regular load's forecast scores 0.9-1.3 on pure noise), so the opening threshold sits
 * above that. Three days replayed: a breaker opened by a bad day stays open through the next unless the forecast is
 * back near the naive's accuracy, and a bad day more than three days ago no longer counts.
 */
export const BREAKER_DEFAULTS: BreakerThresholds = { openAbove: 1.5, closeAtOrBelow: 1.1, days: 3 };

/** One day's decision: the state after a day whose relative error was `relativeError` (undefined: not measurable). */
export function nextBreakerState(
  state: BreakerState,
  relativeError: number | undefined,
  thresholds: BreakerThresholds = BREAKER_DEFAULTS,
): BreakerState {
  if (relativeError === undefined || Number.isNaN(relativeError)) return state;
  if (state === 'closed') return relativeError > thresholds.openAbove ? 'open' : 'closed';
  return relativeError <= thresholds.closeAtOrBelow ? 'closed' : 'open';
}

/** The state after days of relative errors, oldest first, from a closed breaker. */
export function breakerStateAfter(errors: readonly (number | undefined)[], thresholds: BreakerThresholds = BREAKER_DEFAULTS): BreakerState {
  return errors.reduce<BreakerState>((state, error) => nextBreakerState(state, error, thresholds), 'closed');
}

export interface DayError {
  /** Start of the scored day (epoch ms, UTC; whole days counted back from the end of the history). */
  readonly startMs: number;
  /** The forecast's mean absolute error over the day divided by the seasonal naive's; undefined when not measurable. */
  readonly relativeError: number | undefined;
}

export interface BreakerDecision {
  readonly state: BreakerState;
  /** The scored days, oldest first. */
  readonly days: readonly DayError[];
  /** Why, in a sentence for the log. */
  readonly reason: string;
}

function meanAbsoluteError(actual: readonly number[], forecast: readonly number[]): number | undefined {
  let sum = 0;
  let count = 0;
  actual.forEach((value, index) => {
    const predicted = forecast[index];
    if (Number.isFinite(value) && predicted !== undefined && Number.isFinite(predicted)) {
      sum += Math.abs(value - predicted);
      count++;
    }
  });
  return count > 0 ? sum / count : undefined;
}

/**
 * The relative error of the forecast a run at the start of the day would have made. The naive's error is floored at
 * 1% of the day's mean load, so a perfectly repeating load (naive error 0) does not open the breaker on noise.
 */
export function dayRelativeError(history: RegularSeries, dayStartIndex: number, timeZone: string, calendar?: Calendar): number | undefined {
  const day = Math.round(DAY_MS / history.stepMs);
  const season = dayStartIndex >= 8 * day ? 7 * day : day;
  if (dayStartIndex < Math.max(2 * day, season)) return undefined;
  const before = { ...history, values: history.values.slice(0, dayStartIndex) };
  const actual = history.values.slice(dayStartIndex, dayStartIndex + day);
  const forecast = forecastInZone(before, { horizonMs: DAY_MS }, timeZone, calendar).p50;
  const naive = history.values.slice(dayStartIndex - season, dayStartIndex - season + day);
  const model = meanAbsoluteError(actual, forecast);
  const plain = meanAbsoluteError(actual, naive);
  if (model === undefined || plain === undefined) return undefined;
  const finite = actual.filter(Number.isFinite);
  const mean = finite.reduce((sum, value) => sum + value, 0) / finite.length;
  const scale = Math.max(plain, 0.01 * Math.abs(mean));
  return scale > 0 ? model / scale : model > 0 ? Infinity : 1;
}

/** Decisions a warm predictor already made, by workload and UTC day: the decision holds all day. */
export type BreakerMemo = Map<string, BreakerDecision>;

/**
 * The breaker's state for a target's history (see the file's comment). The scored days are the last whole UTC days
 * before the history's end, so every run of a day reaches the same decision, and a warm predictor makes it once.
 */
export function forecastBreaker(
  window: RegularSeries,
  timeZone: string,
  thresholds: BreakerThresholds = BREAKER_DEFAULTS,
  calendar?: Calendar,
  memo?: { readonly cache: BreakerMemo; readonly workload: string },
): BreakerDecision {
  const history = fromFirstDatapoint(window);
  const day = Math.round(DAY_MS / history.stepMs);
  const endMs = history.startMs + history.values.length * history.stepMs;
  const todayMs = Math.floor(endMs / DAY_MS) * DAY_MS;
  const key = memo && `${memo.workload}|${todayMs}`;
  const known = key === undefined ? undefined : memo!.cache.get(key);
  if (known) return known;
  const todayIndex = Math.round((todayMs - history.startMs) / history.stepMs);
  const days: DayError[] = [];
  for (let back = thresholds.days; back >= 1; back--) {
    const startIndex = todayIndex - back * day;
    if (startIndex < 0) continue;
    days.push({ startMs: history.startMs + startIndex * history.stepMs, relativeError: dayRelativeError(history, startIndex, timeZone, calendar) });
  }
  const state = breakerStateAfter(
    days.map((day) => day.relativeError),
    thresholds,
  );
  const errors = days.map(({ relativeError }) => (relativeError === undefined ? 'n/a' : relativeError.toFixed(2))).join(', ');
  const reason =
    state === 'open'
      ? `forecast error breaker open: the forecast's error relative to the seasonal naive's was ${errors} over the last ${days.length} days (opens above ${thresholds.openAbove}, closes at or below ${thresholds.closeAtOrBelow}): no floor raised, reactive scaling carries the target`
      : `forecast error breaker closed (relative errors ${errors || 'not measurable yet'})`;
  const decision = { state, days, reason };
  if (key !== undefined) {
    for (const stale of memo!.cache.keys()) if (stale.startsWith(`${memo!.workload}|`)) memo!.cache.delete(stale);
    memo!.cache.set(key, decision);
  }
  return decision;
}

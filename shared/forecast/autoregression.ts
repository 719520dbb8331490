import type { PointModel } from './models.ts';

/**
 * Ridge least squares of `series[t]` on an intercept and `series[t - lag]` for each lag, over `first <= t < end`
 * (the intercept is not penalized). The normal equations are built straight from the series, without a design
 * matrix, and solved by Gaussian elimination with partial pivoting: the systems are ~26 x 26, so nothing
 * cleverer pays.
 */
function fitLags(series: Float64Array, lags: readonly number[], first: number, end: number, penalty: number): Float64Array {
  const width = lags.length + 1;
  const gram = new Float64Array(width * width);
  const moments = new Float64Array(width);
  const row = new Float64Array(width);
  row[0] = 1;
  for (let t = first; t < end; t++) {
    for (let i = 1; i < width; i++) row[i] = series[t - lags[i - 1]!]!;
    const target = series[t]!;
    for (let i = 0; i < width; i++) {
      const x = row[i]!;
      moments[i]! += x * target;
      const offset = i * width;
      for (let j = 0; j <= i; j++) gram[offset + j]! += x * row[j]!;
    }
  }
  const rows = end - first;
  for (let i = 0; i < width; i++) {
    for (let j = 0; j < i; j++) gram[j * width + i] = gram[i * width + j]!;
    if (i > 0) gram[i * width + i]! += penalty * rows;
  }
  for (let i = 0; i < width; i++) {
    let pivot = i;
    for (let k = i + 1; k < width; k++) if (Math.abs(gram[k * width + i]!) > Math.abs(gram[pivot * width + i]!)) pivot = k;
    if (pivot !== i) {
      for (let j = 0; j < width; j++) [gram[i * width + j], gram[pivot * width + j]] = [gram[pivot * width + j]!, gram[i * width + j]!];
      [moments[i], moments[pivot]] = [moments[pivot]!, moments[i]!];
    }
    const diagonal = gram[i * width + i]! || 1e-12;
    for (let k = i + 1; k < width; k++) {
      const factor = gram[k * width + i]! / diagonal;
      if (factor === 0) continue;
      for (let j = i; j < width; j++) gram[k * width + j]! -= factor * gram[i * width + j]!;
      moments[k]! -= factor * moments[i]!;
    }
  }
  const coefficients = new Float64Array(width);
  for (let i = width - 1; i >= 0; i--) {
    let sum = moments[i]!;
    for (let j = i + 1; j < width; j++) sum -= gram[i * width + j]! * coefficients[j]!;
    coefficients[i] = sum / (gram[i * width + i]! || 1e-12);
  }
  return coefficients;
}

/** Days of history the regression is fitted on: recent behaviour matters more than a long average. */
const FIT_DAYS = 14;
/** Ridge penalty per row on the normalized series: enough to tame 25 correlated lags, not to flatten them. */
const PENALTY = 0.01;

/**
 * Seasonal autoregression: the next value as a linear function of the last day's values (every step of it) and,
 * given two weeks of history, of the same hour a week before, fitted by ridge least squares on the last two weeks
 * and iterated ahead. It
 * learns how quickly a deviation from the usual day fades, which the profile models cannot. Meant for hourly or
 * coarser steps, where a day's lags are few (the candidate list only offers it there). The series is scaled by
 * its last week's mean so the penalty means the same for every series; forecasts are kept within the
 * history's range widened by that range, so a fit that is unstable when iterated cannot run away.
 */
export const seasonalAutoregression: PointModel = (history, horizon, seasons) => {
  const { daily, weekly } = seasons;
  const length = history.length;
  const lags = Array.from({ length: daily }, (_, i) => i + 1);
  if (length >= weekly + FIT_DAYS * daily / 2) lags.push(weekly);
  const deepest = lags[lags.length - 1]!;
  const recentWeek = history.slice(Math.max(0, length - weekly));
  const scale = Math.max(1e-9, recentWeek.reduce((sum, value) => sum + Math.abs(value), 0) / recentWeek.length);
  const extended = new Float64Array(length + horizon);
  let lowest = Infinity;
  let highest = -Infinity;
  for (let t = 0; t < length; t++) {
    const value = history[t]! / scale;
    extended[t] = value;
    lowest = Math.min(lowest, value);
    highest = Math.max(highest, value);
  }
  const coefficients = fitLags(extended, lags, Math.max(deepest, length - FIT_DAYS * daily), length, PENALTY);

  const range = highest - lowest;
  for (let t = length; t < length + horizon; t++) {
    let next = coefficients[0]!;
    for (let i = 0; i < lags.length; i++) next += coefficients[i + 1]! * extended[t - lags[i]!]!;
    extended[t] = Math.min(highest + range, Math.max(lowest - range, next));
  }
  return Array.from(extended.subarray(length), (value) => value * scale);
};

/** History the seasonal autoregression needs: a day of lags plus enough rows to fit them three times over. */
export function autoregressionNeeds(daily: number): number {
  return daily + 3 * (daily + 1);
}

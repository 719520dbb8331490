import type { PointModel } from './models.ts';

/**
 * Least squares with a ridge penalty (the intercept, column 0, is not penalized), solved by Gaussian elimination
 * with partial pivoting: the systems are ~26 x 26, so nothing cleverer pays.
 */
function ridgeRegression(rows: readonly (readonly number[])[], targets: readonly number[], penalty: number): number[] {
  const width = rows[0]!.length;
  const gram = Array.from({ length: width }, () => new Array<number>(width).fill(0));
  const moments = new Array<number>(width).fill(0);
  rows.forEach((row, r) => {
    for (let i = 0; i < width; i++) {
      moments[i]! += row[i]! * targets[r]!;
      for (let j = 0; j <= i; j++) gram[i]![j]! += row[i]! * row[j]!;
    }
  });
  for (let i = 0; i < width; i++) {
    for (let j = 0; j < i; j++) gram[j]![i] = gram[i]![j]!;
    if (i > 0) gram[i]![i]! += penalty * rows.length;
  }
  for (let i = 0; i < width; i++) {
    let pivot = i;
    for (let k = i + 1; k < width; k++) if (Math.abs(gram[k]![i]!) > Math.abs(gram[pivot]![i]!)) pivot = k;
    [gram[i], gram[pivot]] = [gram[pivot]!, gram[i]!];
    [moments[i], moments[pivot]] = [moments[pivot]!, moments[i]!];
    const diagonal = gram[i]![i]! || 1e-12;
    for (let k = i + 1; k < width; k++) {
      const factor = gram[k]![i]! / diagonal;
      if (factor === 0) continue;
      for (let j = i; j < width; j++) gram[k]![j]! -= factor * gram[i]![j]!;
      moments[k]! -= factor * moments[i]!;
    }
  }
  const coefficients = new Array<number>(width).fill(0);
  for (let i = width - 1; i >= 0; i--) {
    let sum = moments[i]!;
    for (let j = i + 1; j < width; j++) sum -= gram[i]![j]! * coefficients[j]!;
    coefficients[i] = sum / (gram[i]![i]! || 1e-12);
  }
  return coefficients;
}

/** Days of history the regression is fitted on: recent behaviour matters more than a long average. */
const FIT_DAYS = 14;
/** Ridge penalty per row on the normalized series: enough to tame 25 correlated lags, not to flatten them. */
const PENALTY = 0.01;

/**
 * Seasonal autoregression: the next value as a linear function of the last day's values (every step of it) and
 * of the same hour a week before, fitted by ridge least squares on the last two weeks and iterated ahead. It
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
  const normalized = history.map((value) => value / scale);

  const first = Math.max(deepest, length - FIT_DAYS * daily);
  const rows: number[][] = [];
  const targets: number[] = [];
  for (let t = first; t < length; t++) {
    rows.push([1, ...lags.map((lag) => normalized[t - lag]!)]);
    targets.push(normalized[t]!);
  }
  const coefficients = ridgeRegression(rows, targets, PENALTY);

  let lowest = Infinity;
  let highest = -Infinity;
  for (const value of normalized) {
    lowest = Math.min(lowest, value);
    highest = Math.max(highest, value);
  }
  const range = highest - lowest;
  const extended = [...normalized];
  for (let h = 0; h < horizon; h++) {
    const t = extended.length;
    let next = coefficients[0]!;
    lags.forEach((lag, i) => (next += coefficients[i + 1]! * extended[t - lag]!));
    extended.push(Math.min(highest + range, Math.max(lowest - range, next)));
  }
  return extended.slice(length).map((value) => value * scale);
};

/** History the seasonal autoregression needs: a day of lags plus enough rows to fit them three times over. */
export function autoregressionNeeds(daily: number): number {
  return daily + 3 * (daily + 1);
}

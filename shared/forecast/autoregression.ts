import type { PointModel, Seasons } from './models.ts';

/** Days of history the regression is fitted on: recent behaviour matters more than a long average. */
const FIT_DAYS = 14;
/** Ridge penalty per row on the normalized series: enough to tame 25 correlated lags, not to flatten them. */
const PENALTY = 0.01;

/**
 * The normal equations of `series[t]` on an intercept and `series[t - lag]` for each lag, summed over a window
 * of rows that can slide forward: adding the rows that enter and removing those that leave costs far less than
 * summing a fresh window at every backtest origin. Built from the raw series; `solve` rescales.
 */
class NormalEquations {
  readonly width: number;
  readonly gram: Float64Array;
  readonly moments: Float64Array;
  private readonly row: Float64Array;
  first = 0;
  end = 0;

  constructor(
    private readonly series: readonly number[],
    private readonly lags: readonly number[],
  ) {
    this.width = lags.length + 1;
    this.gram = new Float64Array(this.width * this.width);
    this.moments = new Float64Array(this.width);
    this.row = new Float64Array(this.width);
    this.row[0] = 1;
  }

  /** Moves the window to rows [first, end); both bounds only move forward. */
  slideTo(first: number, end: number): void {
    if (first >= this.end) {
      this.gram.fill(0);
      this.moments.fill(0);
      this.first = this.end = first;
    }
    for (let t = this.end; t < end; t++) this.accumulate(t, 1);
    for (let t = this.first; t < first; t++) this.accumulate(t, -1);
    this.first = first;
    this.end = end;
  }

  private accumulate(t: number, sign: number): void {
    const { width, row, gram, moments } = this;
    for (let i = 1; i < width; i++) row[i] = this.series[t - this.lags[i - 1]!]!;
    const target = sign * this.series[t]!;
    for (let i = 0; i < width; i++) {
      const x = row[i]!;
      moments[i]! += x * target;
      const offset = i * width;
      const signed = sign * x;
      for (let j = 0; j <= i; j++) gram[offset + j]! += signed * row[j]!;
    }
  }

  /**
   * Ridge coefficients for the series divided by `scale` (the intercept is not penalized), by Gaussian
   * elimination with partial pivoting: the systems are ~26 x 26, so nothing cleverer pays.
   */
  solve(scale: number): Float64Array {
    const { width } = this;
    const rows = this.end - this.first;
    const gram = new Float64Array(width * width);
    const moments = new Float64Array(width);
    // Column 0 is the intercept (not scaled); every other column and the target are series values.
    const power = (i: number) => (i === 0 ? 1 : scale);
    for (let i = 0; i < width; i++) {
      moments[i] = this.moments[i]! / (power(i) * scale);
      for (let j = 0; j <= i; j++) gram[i * width + j] = gram[j * width + i] = this.gram[i * width + j]! / (power(i) * power(j));
      if (i > 0) gram[i * width + i]! += PENALTY * rows;
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
}

/** The lags for a history of `length` steps: every step of the last day, and a week back given two weeks. */
function lagsFor(length: number, { daily, weekly }: Seasons): number[] {
  const lags = Array.from({ length: daily }, (_, i) => i + 1);
  if (length >= weekly + (FIT_DAYS * daily) / 2) lags.push(weekly);
  return lags;
}

/** Running sums and extremes of the history, so each origin's scale and range cost nothing to read. */
interface Prefixes {
  readonly absoluteSum: Float64Array;
  readonly lowest: Float64Array;
  readonly highest: Float64Array;
}

function prefixesOf(history: readonly number[]): Prefixes {
  const length = history.length;
  const absoluteSum = new Float64Array(length + 1);
  const lowest = new Float64Array(length + 1).fill(Infinity);
  const highest = new Float64Array(length + 1).fill(-Infinity);
  for (let t = 0; t < length; t++) {
    absoluteSum[t + 1] = absoluteSum[t]! + Math.abs(history[t]!);
    lowest[t + 1] = Math.min(lowest[t]!, history[t]!);
    highest[t + 1] = Math.max(highest[t]!, history[t]!);
  }
  return { absoluteSum, lowest, highest };
}

/** Iterates the fitted equation `horizon` steps past `origin`, within the history's range widened by that range. */
function iterate(
  history: readonly number[],
  origin: number,
  horizon: number,
  lags: readonly number[],
  equations: NormalEquations,
  prefixes: Prefixes,
  weekly: number,
): number[] {
  const recentStart = Math.max(0, origin - weekly);
  const scale = Math.max(1e-9, (prefixes.absoluteSum[origin]! - prefixes.absoluteSum[recentStart]!) / (origin - recentStart));
  const coefficients = equations.solve(scale);
  const lowest = prefixes.lowest[origin]! / scale;
  const highest = prefixes.highest[origin]! / scale;
  const range = highest - lowest;
  const deepest = lags[lags.length - 1]!;
  const extended = new Float64Array(deepest + horizon);
  for (let i = 0; i < deepest; i++) extended[i] = history[origin - deepest + i]! / scale;
  for (let t = deepest; t < deepest + horizon; t++) {
    let next = coefficients[0]!;
    for (let i = 0; i < lags.length; i++) next += coefficients[i + 1]! * extended[t - lags[i]!]!;
    extended[t] = Math.min(highest + range, Math.max(lowest - range, next));
  }
  return Array.from(extended.subarray(deepest), (value) => value * scale);
}

/** The rows an origin's regression is fitted on. */
function fitWindow(origin: number, lags: readonly number[], daily: number): [number, number] {
  return [Math.max(lags[lags.length - 1]!, origin - FIT_DAYS * daily), origin];
}

/**
 * Seasonal autoregression: the next value as a linear function of the last day's values (every step of it) and,
 * given two weeks of history, of the same hour a week before, fitted by ridge least squares on the last two weeks
 * and iterated ahead. It learns how quickly a deviation from the usual day fades, which the profile models
 * cannot. Meant for hourly or coarser steps, where a day's lags are few (the candidate list only offers it there).
 * The series is scaled by its last week's mean so the penalty means the same for every series; forecasts are kept
 * within the history's range widened by that range, so a fit that is unstable when iterated cannot run away.
 */
export const seasonalAutoregression: PointModel = (history, horizon, seasons) => forecastsAt(history, [history.length], horizon, seasons)[0]!;

/**
 * The seasonal autoregression's forecasts from several origins of one history: the same as forecasting each
 * `history.slice(0, origin)`, but the normal equations slide from origin to origin instead of being summed anew.
 */
export function forecastsAt(history: readonly number[], origins: readonly number[], horizon: number, seasons: Seasons): number[][] {
  const prefixes = prefixesOf(history);
  const forecasts: number[][] = new Array(origins.length);
  const order = origins.map((origin, index) => ({ origin, index })).sort((a, b) => a.origin - b.origin);
  let equations: NormalEquations | undefined;
  for (const { origin, index } of order) {
    const lags = lagsFor(origin, seasons);
    if (!equations || equations.width !== lags.length + 1) equations = new NormalEquations(history, lags);
    const [first, end] = fitWindow(origin, lags, seasons.daily);
    equations.slideTo(first, end);
    forecasts[index] = iterate(history, origin, horizon, lags, equations, prefixes, seasons.weekly);
  }
  return forecasts;
}

/** History the seasonal autoregression needs: a day of lags plus enough rows to fit them three times over. */
export function autoregressionNeeds(daily: number): number {
  return daily + 3 * (daily + 1);
}

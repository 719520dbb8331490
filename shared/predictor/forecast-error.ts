/** How far a forecast was from what then happened. */
export interface ForecastError {
  /** Mean absolute percentage error over the steps with non-zero actuals, in percent. */
  readonly mape: number;
  /** Mean absolute error scaled by the in-sample one-season naive error (MASE); NaN when that scale is 0. */
  readonly mase: number;
}

export function forecastError(
  actual: readonly number[],
  forecast: readonly number[],
  history: readonly number[],
  season: number,
): ForecastError | undefined {
  const pairs = actual.map((value, index) => [value, forecast[index]] as const).filter(([a, f]) => Number.isFinite(a) && Number.isFinite(f!));
  if (pairs.length === 0) return undefined;
  const nonZero = pairs.filter(([a]) => a !== 0);
  const mape = nonZero.length === 0 ? 0 : (100 * nonZero.reduce((sum, [a, f]) => sum + Math.abs((a - f!) / a), 0)) / nonZero.length;
  let scale = 0;
  let count = 0;
  for (let index = season; index < history.length; index++) {
    const [now, before] = [history[index]!, history[index - season]!];
    if (Number.isFinite(now) && Number.isFinite(before)) {
      scale += Math.abs(now - before);
      count++;
    }
  }
  const mae = pairs.reduce((sum, [a, f]) => sum + Math.abs(a - f!), 0) / pairs.length;
  const mase = count > 0 && scale > 0 ? mae / (scale / count) : Number.NaN;
  return { mape, mase };
}

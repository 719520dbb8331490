/**
 * Fills gaps (NaN) for model fitting only: with the value one season earlier where there is one, else the
 * nearest earlier value, else the first value there is. The caller's series keeps its gaps.
 */
export function fillGaps(values: readonly number[], seasonLength: number): number[] {
  const filled = values.map((value) => (Number.isFinite(value) ? value : Number.NaN));
  const firstKnown = filled.find((value) => !Number.isNaN(value));
  for (let index = 0; index < filled.length; index++) {
    if (!Number.isNaN(filled[index]!)) continue;
    const seasonAgo = index - seasonLength;
    if (seasonLength > 0 && seasonAgo >= 0 && !Number.isNaN(filled[seasonAgo]!)) filled[index] = filled[seasonAgo]!;
    else if (index > 0 && !Number.isNaN(filled[index - 1]!)) filled[index] = filled[index - 1]!;
    else filled[index] = firstKnown ?? 0;
  }
  return filled;
}

/** Share of the values that are gaps. */
export function gapShare(values: readonly number[]): number {
  if (values.length === 0) return 1;
  return values.filter((value) => !Number.isFinite(value)).length / values.length;
}

/**
 * The most of a history that may be gaps: beyond it a forecast or a backtest would be made up more than read.
 * One rule for the forecaster, the backtest and the trace reader (which applies it before it lays out a grid).
 */
export const MAX_GAP_SHARE = 0.5;

/** Why `gaps` gaps in `length` steps are too many, or undefined when they are not. */
export function tooManyGaps(gaps: number, length: number): string | undefined {
  const share = length === 0 ? 1 : gaps / length;
  if (share <= MAX_GAP_SHARE) return undefined;
  const percent = share === 1 ? '100%' : share > 0.999 ? 'over 99.9%' : `${Math.round(share * 1000) / 10}%`;
  return `${percent} of it is gaps (at most ${MAX_GAP_SHARE * 100}% allowed)`;
}

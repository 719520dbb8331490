/**
 * Where every candidate violates the SLO (load above the maximum, a burst no policy sees coming), one within this
 * share of the fewest minutes still counts as meeting it: paying 20% more capacity all week for 5 of 200 minutes
 * nothing could avoid is not what the SLO asks. Where a candidate has none, none it is.
 */
export const UNAVOIDABLE_SLACK = 0.1;

export interface SloChoice<T> {
  readonly chosen: T;
  /** The most SLO-violation minutes a candidate could have and still count as meeting the SLO. */
  readonly allowed: number;
  /** The fewest any candidate had. */
  readonly fewest: number;
}

/**
 * The cheapest candidate that meets the SLO as well as any could: with the fewest SLO-violation minutes of them
 * all, within UNAVOIDABLE_SLACK. Ties go to the earlier candidate.
 */
export function cheapestMeetingSlo<T extends { readonly sloViolationMinutes: number }>(
  scores: readonly T[],
  cost: (score: T) => number,
): SloChoice<T> {
  if (scores.length === 0) throw new RangeError('no candidate to choose from');
  const fewest = Math.min(...scores.map((score) => score.sloViolationMinutes));
  const allowed = Math.floor(fewest * (1 + UNAVOIDABLE_SLACK));
  const chosen = scores
    .map((score, index) => ({ score, index }))
    .filter(({ score }) => score.sloViolationMinutes <= allowed)
    .sort((a, b) => cost(a.score) - cost(b.score) || a.index - b.index)[0]!.score;
  return { chosen, allowed, fewest };
}

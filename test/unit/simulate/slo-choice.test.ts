// The rule both tunings choose by: the cheapest candidate with the fewest SLO-violation minutes, within a slack.
import { describe, expect, it } from 'vitest';
import { cheapestMeetingSlo } from '../../../shared/simulate/slo-choice.ts';

const cost = (score: { cost: number }) => score.cost;

describe('cheapestMeetingSlo', () => {
  it('takes the cheapest of the candidates with no violation minutes when any has none', () => {
    const scores = [
      { name: 'tight', sloViolationMinutes: 3, cost: 80 },
      { name: 'middle', sloViolationMinutes: 0, cost: 90 },
      { name: 'loose', sloViolationMinutes: 0, cost: 120 },
    ];
    expect(cheapestMeetingSlo(scores, cost)).toEqual({ chosen: scores[1], allowed: 0, fewest: 0 });
  });

  it('counts a candidate within 10% of the fewest minutes as meeting the SLO where every one violates it', () => {
    const scores = [
      { name: 'fewest', sloViolationMinutes: 200, cost: 150 },
      { name: 'within', sloViolationMinutes: 220, cost: 100 },
      { name: 'beyond', sloViolationMinutes: 221, cost: 50 },
    ];
    expect(cheapestMeetingSlo(scores, cost)).toEqual({ chosen: scores[1], allowed: 220, fewest: 200 });
  });

  it('gives a tie in cost to the earlier candidate', () => {
    const scores = [
      { name: 'first', sloViolationMinutes: 0, cost: 10 },
      { name: 'second', sloViolationMinutes: 0, cost: 10 },
    ];
    expect(cheapestMeetingSlo(scores, cost).chosen.name).toBe('first');
  });

  it('refuses an empty list', () => {
    expect(() => cheapestMeetingSlo([], cost)).toThrow(/no candidate/);
  });
});

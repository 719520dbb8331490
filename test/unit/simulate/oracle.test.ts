import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { BacklogParameters } from '../../../shared/simulate/index.ts';
import { deadlineMinutes, launchPlan } from '../../../shared/simulate/oracle.ts';
import { cheapestRunningProfile } from '../../../shared/simulate/oracle-search.ts';

/**
 * Every running sequence, costed by the oracle's rules: the first minute's workers are there from the start;
 * each worker added later was launched a start-up delay earlier (so none can be added before that) and costs it.
 * Returns the cheapest cost of a sequence that meets every deadline, or Infinity.
 */
function bruteForceCheapest(arrivals: readonly number[], parameters: BacklogParameters): number {
  const perWorkerMinute = parameters.throughputPerWorker * 60;
  const deadline = deadlineMinutes(parameters.sloMs);
  const startup = Math.ceil(parameters.startupMs / 60_000);
  const cumulative = [0];
  for (const value of arrivals) cumulative.push(cumulative[cumulative.length - 1]! + value);
  let best = Infinity;
  const walk = (minute: number, previous: number, backlog: number, cost: number): void => {
    if (minute === arrivals.length) {
      best = Math.min(best, cost);
      return;
    }
    for (let running = parameters.minCapacity; running <= parameters.maxCapacity; running++) {
      const added = minute === 0 ? 0 : Math.max(0, running - previous);
      if (added > 0 && minute < startup) continue;
      const next = Math.max(0, backlog + arrivals[minute]! - running * perWorkerMinute);
      const allowed = minute <= arrivals.length - 2 ? cumulative[minute + 1]! - cumulative[Math.max(0, minute - deadline + 1)]! + 1e-9 : Infinity;
      if (next > allowed) continue;
      walk(minute + 1, running, next, cost + running + startup * added);
    }
  };
  walk(0, 0, 0, 0);
  return best;
}

function planCost(running: readonly number[], parameters: BacklogParameters): number {
  return launchPlan(running, Math.ceil(parameters.startupMs / 60_000)).desired.reduce((sum, value) => sum + value, 0);
}

describe('the oracle’s exact search', () => {
  it('finds the cheapest plan there is, as enumerating every running sequence does', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 200 }), { minLength: 3, maxLength: 7 }),
        fc.record({
          throughputPerWorker: fc.constantFrom(0.5, 1),
          startupMs: fc.constantFrom(0, 60_000, 120_000, 180_000),
          sloMs: fc.constantFrom(60_000, 120_000),
          minCapacity: fc.constantFrom(0, 1),
          maxCapacity: fc.constant(4),
        }),
        (arrivals, parameters) => {
          const best = bruteForceCheapest(arrivals, parameters);
          fc.pre(Number.isFinite(best));
          expect(planCost(cheapestRunningProfile(arrivals, parameters), parameters)).toBe(best);
          // Read back in segments of any length, the profile is the same.
          expect(cheapestRunningProfile(arrivals, parameters, 2)).toEqual(cheapestRunningProfile(arrivals, parameters));
        },
      ),
      { numRuns: 300 },
    );
  });

  it('launches a worker the start-up delay before it is needed and keeps it through a gap shorter than that', () => {
    const { desired, running } = launchPlan([1, 1, 1, 1, 3, 3, 1, 3, 1, 1, 1, 1, 3], 2);
    expect(desired).toEqual([1, 1, 3, 3, 3, 3, 3, 3, 1, 1, 3, 3, 3]);
    expect(running).toEqual([1, 1, 1, 1, 3, 3, 3, 3, 1, 1, 1, 1, 3]);
  });
});

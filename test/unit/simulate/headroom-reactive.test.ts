// headroom-reactive: QueueScaledService's default policy as the simulator replays it.
import { describe, expect, it } from 'vitest';
import { backtestArrivals, type BacklogParameters } from '../../../shared/simulate/index.ts';

const worker: BacklogParameters = { throughputPerWorker: 0.5, startupMs: 90_000, sloMs: 300_000, minCapacity: 1, maxCapacity: 40 };
const DAY = 1440;

describe('headroom-reactive', () => {
  it('settles on a flat load and then never changes capacity (no oscillation)', () => {
    for (const scaleInModel of ['proportional', 'gradual'] as const) {
      const result = backtestArrivals(new Array(2 * DAY).fill(300), 0, { ...worker, scaleInModel }, ['headroom-reactive']);
      const capacity = result.timelines[0]!.capacity;
      const settled = capacity.slice(120);
      expect(new Set(settled).size).toBe(1);
      expect(result.policies[0]!.sloViolationMinutes).toBe(0);
    }
  });

  it('holds a flat load at the target: ceil(10 needed / 0.9) = 12 workers', () => {
    const capacity = backtestArrivals(new Array(DAY).fill(300), 0, worker, ['headroom-reactive']).timelines[0]!.capacity;
    expect(capacity.at(-1)).toBe(12);
  });

  it('launches a task within two minutes of a message arriving at a service scaled to zero', () => {
    const arrivals = [...new Array(30).fill(0), 1, ...new Array(30).fill(0)];
    const result = backtestArrivals(arrivals, 0, { ...worker, minCapacity: 0 }, ['headroom-reactive']);
    const capacity = result.timelines[0]!.capacity;
    // Idle from the start it scales in to zero (its first minutes are the initial task's).
    expect(capacity[29]).toBe(0);
    expect(capacity.slice(30, 32).some((desired) => desired >= 1)).toBe(true);
    expect(result.timelines[0]!.messages.queued).toBe(0);
  });

  it('follows a step to four times the load in one minute without breaching the SLO', () => {
    const arrivals = Array.from({ length: DAY }, (_, minute) => (minute >= DAY / 2 ? 600 : 150));
    for (const scaleInModel of ['proportional', 'gradual'] as const) {
      const score = backtestArrivals(arrivals, 0, { ...worker, scaleInModel }, ['headroom-reactive']).policies[0]!;
      expect(score.sloViolationMinutes).toBe(0);
    }
  });

  it('keeps the wait well under the SLO where AWS’s backlog-per-task recipe parks it at the SLO or past it', () => {
    const result = backtestArrivals(new Array(DAY).fill(300), 0, worker, ['backlog-target-tracking', 'headroom-reactive']);
    const [recipe, reactive] = result.policies;
    // At the SLO or past it: with capacity multiplied from the running count, the recipe settles at 360 s here.
    expect(recipe!.p99WaitSeconds).toBeGreaterThanOrEqual(300);
    expect(reactive!.p99WaitSeconds).toBeLessThan(120);
  });
});

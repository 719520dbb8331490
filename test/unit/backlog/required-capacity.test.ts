import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  arrivalsPerSecond,
  backlogWithoutCapacity,
  blendedTimePerMessageMs,
  drainBudgetMs,
  requiredCapacity,
  requiredCapacityPerTask,
} from '../../../shared/backlog/required-capacity.ts';

describe('requiredCapacity', () => {
  it('is the arrival rate times the time per message when nothing waits (Little’s law)', () => {
    expect(requiredCapacity({ arrivalsPerSecond: 5, backlog: 0, timePerMessageMs: 2000, drainBudgetMs: 105_000 })).toBe(10);
  });

  it('adds the tasks that drain the backlog within the drain budget', () => {
    // 210 messages x 2 s = 420 task-seconds, drained in 105 s: 4 more tasks.
    expect(requiredCapacity({ arrivalsPerSecond: 5, backlog: 210, timePerMessageMs: 2000, drainBudgetMs: 105_000 })).toBe(14);
  });
});

describe('requiredCapacityPerTask', () => {
  it('halves when capacity doubles, as target tracking assumes', () => {
    fc.assert(
      fc.property(fc.double({ min: 0, max: 1e4, noNaN: true }), fc.integer({ min: 1, max: 500 }), (required, capacity) => {
        expect(requiredCapacityPerTask(required, 2 * capacity)).toBeCloseTo(requiredCapacityPerTask(required, capacity) / 2, 9);
      }),
    );
  });

  it('counts the required capacity as one task’s with none desired, never dividing by zero', () => {
    expect(requiredCapacityPerTask(3.5, 0)).toBe(3.5);
  });
});

describe('drainBudgetMs', () => {
  it('is a share of the acceptable latency left once a new task has started', () => {
    expect(drainBudgetMs(300_000, 90_000, 0.5)).toBe(105_000);
  });

  it('stays at least 30 s when start-up eats the whole latency budget', () => {
    expect(drainBudgetMs(60_000, 90_000, 0.5)).toBe(30_000);
  });

  it('refuses a share outside (0, 1]', () => {
    expect(() => drainBudgetMs(300_000, 90_000, 0)).toThrow(/drain share must be in \(0, 1\]/);
  });
});

describe('blendedTimePerMessageMs', () => {
  it('is the declared value with no measurement', () => {
    expect(blendedTimePerMessageMs(1500)).toBe(1500);
    expect(blendedTimePerMessageMs(1500, { meanMs: Number.NaN, samples: 10 })).toBe(1500);
  });

  it('weighs the declared value as 100 samples against the measured ones', () => {
    expect(blendedTimePerMessageMs(1000, { meanMs: 3000, samples: 100 })).toBe(2000);
  });

  it('follows the measurement once it has many more samples than the prior', () => {
    expect(blendedTimePerMessageMs(1000, { meanMs: 3000, samples: 9900 })).toBeCloseTo(2980, 6);
  });
});

describe('arrivalsPerSecond', () => {
  it('averages the minutes that have a NumberOfMessagesSent datapoint', () => {
    expect(arrivalsPerSecond([600, 1200, Number.NaN])).toBe(15);
  });

  it('is 0 with no datapoint (SQS publishes none for an idle queue)', () => {
    expect(arrivalsPerSecond([])).toBe(0);
  });
});

describe('backlogWithoutCapacity', () => {
  it('is 1 only when messages wait and no task is desired', () => {
    expect([backlogWithoutCapacity(5, 0), backlogWithoutCapacity(0, 0), backlogWithoutCapacity(5, 1)]).toEqual([1, 0, 0]);
  });
});

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { backlogPerTask, queueBacklog } from '../../../shared/backlog/index.ts';

describe('queueBacklog', () => {
  it('counts visible and in-flight messages', () => {
    expect(queueBacklog({ visible: 7, inFlight: 3, delayed: 5 }, false)).toBe(10);
  });

  it('counts delayed messages only when the source asks for it', () => {
    expect(queueBacklog({ visible: 7, inFlight: 3, delayed: 5 }, true)).toBe(15);
  });
});

describe('backlogPerTask', () => {
  it('divides the backlog among the running tasks', () => {
    expect(backlogPerTask(120, 4)).toBe(30);
  });

  it('treats a backlog with no running task as held by one task, so it scales out', () => {
    expect(backlogPerTask(57, 0)).toBe(57);
  });

  it('is 0 for an empty queue with no running task', () => {
    expect(backlogPerTask(0, 0)).toBe(0);
  });

  it('is always finite, never negative, and never below the backlog of one task when none runs', () => {
    fc.assert(
      fc.property(fc.nat(1_000_000), fc.nat(10_000), (backlog, running) => {
        const perTask = backlogPerTask(backlog, running);
        expect(Number.isFinite(perTask)).toBe(true);
        expect(perTask).toBeGreaterThanOrEqual(0);
        if (running === 0) expect(perTask).toBe(backlog);
        if (backlog > 0) expect(perTask).toBeGreaterThan(0);
      }),
    );
  });
});

import { describe, expect, it } from 'vitest';
import { parsePredictorConfig } from '../../../shared/predictor/config.ts';
import { decideTarget } from '../../../shared/predictor/decide-target.ts';
import { CLOCK_SKEW_MS, invariantBreaks, withinWalls } from '../../../shared/predictor/invariants.ts';
import { ActionOwnership, atExpression, atTime, type ExistingAction } from '../../../shared/predictor/scheduled-actions.ts';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const NOW = Date.UTC(2026, 10, 24, 6, 20);
const config = parsePredictorConfig(
  JSON.stringify({
    mode: 'forecastAndScale',
    targets: [
      {
        workload: 'orders',
        resourceId: 'service/main/orders',
        load: [{ namespace: 'X', metricName: 'Y' }],
        unitThroughput: 1,
        minCapacity: 2,
        maxCapacity: 50,
      },
    ],
  }),
);
const target = config.targets[0]!;
const ownership = new ActionOwnership(config.actionPrefix, 'orders');
/** A load that needs ~20 units from 08:00 to 18:00 UTC and ~5 otherwise. */
const window = {
  startMs: Math.floor(NOW / HOUR) * HOUR - config.historyDays * DAY,
  stepMs: HOUR,
  values: Array.from({ length: config.historyDays * 24 }, (_, index) => {
    const hour = (Math.floor(NOW / HOUR) - config.historyDays * 24 + index) % 24;
    return hour >= 8 && hour < 18 ? 20 : 5;
  }),
};
const own = (kind: 'raise' | 'restore', atMs: number, minCapacity: number): ExistingAction => ({
  name: ownership.name(kind, atMs),
  schedule: atExpression(atMs),
  minCapacity,
});
const state = (registeredMin: number, existing: ExistingAction[], registeredMax = 50) => ({
  registeredMin,
  registeredMax,
  scheduledScalingSuspended: false,
  existing,
});
/** What the target will hold: the own actions that can still fire after the reconciliation is written. */
const pendingAfter = (decision: ReturnType<typeof decideTarget>) => decision.reconciliation.pending;

describe('the predictor’s invariants', () => {
  it('re-puts a kept restore at the wall the user raised, never back to the old one (break 1)', () => {
    // A raise to 20 in force since 05:00, its restore to the old wall of 2 due tomorrow; the user then registered 25.
    const restoreAt = NOW + DAY;
    const existing = [own('raise', NOW - 80 * MINUTE, 20), own('restore', restoreAt, 2)];
    const decision = decideTarget(config, target, window, state(25, existing), NOW);
    expect(decision.invariantBreaks).toEqual([]);
    for (const action of pendingAfter(decision)) expect(action.minCapacity).toBeGreaterThanOrEqual(25);
    expect(decision.reconciliation.put.find((action) => action.atMs === restoreAt)).toMatchObject({ minCapacity: 25 });
  });

  it('takes its own raise that fired after the run began, before the target was read, for its own (break 2)', () => {
    // The raise to 30 was due at 06:25; the run began at 06:20 and read this target at 06:27.
    const raisedAt = NOW + 5 * MINUTE;
    const existing = [own('raise', raisedAt, 30), own('restore', NOW + 3 * HOUR, 2)];
    const decision = decideTarget(config, target, window, { ...state(30, existing), readAtMs: NOW + 7 * MINUTE }, NOW);
    expect(decision.walls.segments[0]!.minCapacity).toBe(2);
    const restores = pendingAfter(decision).filter((action) => action.kind === 'restore');
    expect(restores.length).toBeGreaterThan(0);
    for (const action of restores) expect(action.minCapacity).toBe(2);
  });

  it('caps a pending raise at a MaxCapacity the user lowered below it (break 4)', () => {
    const existing = [own('raise', NOW + 2 * HOUR, 40), own('restore', NOW + 5 * HOUR, 2)];
    const decision = decideTarget(config, target, window, state(2, existing, 12), NOW);
    expect(decision.invariantBreaks).toEqual([]);
    for (const action of pendingAfter(decision)) expect(action.minCapacity).toBeLessThanOrEqual(12);
  });

  it('neither deletes nor moves an own action that may have fired within the clock window', () => {
    const uncertain = own('restore', NOW + 4 * MINUTE, 2);
    const decision = decideTarget(config, target, window, state(2, [own('raise', NOW - HOUR, 2), uncertain]), NOW);
    expect([...decision.reconciliation.delete, ...decision.reconciliation.deleteReplacedRestores]).not.toContain(uncertain.name);
    for (const action of decision.reconciliation.put) expect(action.atMs).toBeGreaterThan(NOW + CLOCK_SKEW_MS);
  });

  it('stays within 200 actions at every step of its writes with 185 of the user’s and a pile of its own restores (break 3)', () => {
    const user = Array.from({ length: 185 }, (_, index) => ({
      name: `user-${index}`,
      schedule: `at(2099-01-01T00:${String(index % 60).padStart(2, '0')}:00)`,
      minCapacity: 2,
    }));
    const restores = Array.from({ length: 12 }, (_, index) => own('restore', NOW + (30 + index) * HOUR, 2));
    const existing = [...user, own('raise', NOW - HOUR, 2), ...restores];
    const decision = decideTarget(config, target, window, state(2, existing), NOW);
    const names = new Set(existing.map((action) => action.name));
    let most = names.size;
    // Written in applyReconciliation's order: deletes, puts, replaced restores.
    for (const name of decision.reconciliation.delete) names.delete(name);
    for (const action of decision.reconciliation.put) {
      names.add(action.name);
      most = Math.max(most, names.size);
    }
    expect(most).toBeLessThanOrEqual(200);
    expect(decision.invariantBreaks).toEqual([]);
  });

  it('says which promise an action set breaks', () => {
    const wall = { at: (timeMs: number) => (timeMs < NOW + HOUR ? 2 : 8), maxCapacity: 20 };
    const actions = [
      { name: 'r1', atMs: NOW + 10 * MINUTE, minCapacity: 30, kind: 'raise' as const },
      { name: 'r2', atMs: NOW + 2 * HOUR, minCapacity: 2, kind: 'restore' as const },
      { name: 'r3', atMs: NOW + 3 * HOUR, minCapacity: 12, kind: 'raise' as const },
    ];
    expect(invariantBreaks(actions, wall, false)).toEqual([
      'r1 would set 30, above MaxCapacity 20',
      'r2 would set 2, below the wall 8',
      'r3 is a raise with no restore after it',
    ]);
    expect(invariantBreaks([], wall, true)).toEqual(['an own raise is in force with no restore pending']);
    expect(withinWalls(actions[1]!, wall)).toMatchObject({ minCapacity: 8 });
    expect(withinWalls(actions[0]!, wall)).toMatchObject({ minCapacity: 20 });
    expect(withinWalls({ ...actions[2]!, minCapacity: 8 }, wall)).toBeUndefined();
    expect(atTime(atExpression(NOW))).toBe(NOW);
  });
});

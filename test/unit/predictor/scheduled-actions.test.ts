import { describe, expect, it } from 'vitest';
import {
  ActionOwnership,
  atExpression,
  floorActions,
  reconcile,
  type ExistingAction,
  type FloorAction,
} from '../../../shared/predictor/scheduled-actions.ts';

const HOUR = 3_600_000;
const NOW = Date.UTC(2026, 10, 16, 6, 20);
const PREFIX = 'headroom-';
const ownership = new ActionOwnership(PREFIX, 'orders');
const walls = { minCapacity: 2 };

function restore(atMs: number): FloorAction {
  return { name: ownership.name('restore', atMs), schedule: atExpression(atMs), atMs, minCapacity: 2, kind: 'restore' };
}

describe('floorActions', () => {
  it('raises at each step’s start and restores to the wall at its end, named for the workload', () => {
    const start = NOW + 2 * HOUR - 20 * 60_000;
    const actions = floorActions({ steps: [{ startMs: start, endMs: start + HOUR, minCapacity: 9 }], notes: [] }, walls, ownership, NOW, []);
    expect(actions).toEqual([
      { name: 'headroom-raise-20261116T0800-orders', schedule: 'at(2026-11-16T08:00:00)', atMs: start, minCapacity: 9, kind: 'raise' },
      { name: 'headroom-restore-20261116T0900-orders', schedule: 'at(2026-11-16T09:00:00)', atMs: start + HOUR, minCapacity: 2, kind: 'restore' },
    ]);
  });

  it('lets the next step take over where it starts as one ends, with no restore between', () => {
    const start = NOW + HOUR;
    const steps = [
      { startMs: start, endMs: start + HOUR, minCapacity: 9 },
      { startMs: start + HOUR, endMs: start + 2 * HOUR, minCapacity: 5 },
    ];
    expect(floorActions({ steps, notes: [] }, walls, ownership, NOW, []).map((action) => action.kind)).toEqual(['raise', 'raise', 'restore']);
  });

  it('schedules a step that has already begun for the first minute past the clock window, and keeps the time an earlier run gave it', () => {
    const begun = { steps: [{ startMs: NOW - HOUR, endMs: NOW + HOUR, minCapacity: 9 }], notes: [] };
    const [first] = floorActions(begun, walls, ownership, NOW, []);
    expect(first!.schedule).toBe('at(2026-11-16T06:31:00)');
    const [later] = floorActions(begun, walls, ownership, NOW + 10 * 60_000, [{ name: first!.name, schedule: first!.schedule, minCapacity: 9 }]);
    expect(later!.schedule).toBe(first!.schedule);
    expect(later!.name).toBe(first!.name);
  });

  it('names a raise for the minute it runs, not for the step it catches up with', () => {
    const begun = { steps: [{ startMs: NOW - HOUR, endMs: NOW + HOUR, minCapacity: 9 }], notes: [] };
    const [raise] = floorActions(begun, walls, ownership, NOW, []);
    expect(raise!.name).toBe('headroom-raise-20261116T0631-orders');
    expect(raise!.schedule).toBe('at(2026-11-16T06:31:00)');
  });

  it('restores at the first minute past the clock window when its own raise is in force and the plan holds nothing now', () => {
    const actions = floorActions({ steps: [], notes: [] }, walls, ownership, NOW, [], true);
    expect(actions).toEqual([restore(Date.UTC(2026, 10, 16, 6, 31))]);
  });
});

describe('ActionOwnership', () => {
  it('owns its workload’s raises and restores, and the unsuffixed names of earlier versions', () => {
    expect(ownership.isOwn('headroom-raise-20261116T0800-orders')).toBe(true);
    expect(ownership.isOwn('headroom-restore-20261116T0800')).toBe(true);
    expect(ownership.isOwn('headroom-manual-floor')).toBe(false);
  });

  it('recognises actions another workload or predictor writes on the target', () => {
    const existing = [
      'headroom-raise-20261116T0800-payments',
      'other-restore-20261116T0900-orders',
      'scale-out-weekdays',
      'headroom-raise-20261116T0800-orders',
    ];
    expect(ownership.otherOwners(existing.map((name) => ({ name, schedule: 'at(2026-11-16T08:00:00)' })))).toEqual(existing.slice(0, 2));
  });
});

describe('reconcile', () => {
  const foreign: ExistingAction = { name: 'team-black-friday', schedule: 'cron(0 8 * * ? *)', minCapacity: 10, maxCapacity: 60 };

  it('never puts or deletes an action it does not own', () => {
    const result = reconcile([], [foreign, { name: 'headroom-manual', schedule: atExpression(NOW - HOUR), minCapacity: 4 }], ownership, NOW);
    expect(result).toMatchObject({ put: [], delete: [], deleteReplacedRestores: [], keptRestores: [], unchanged: 0 });
  });

  it('puts only what is new or changed, restores before raises', () => {
    const same = restore(NOW + HOUR);
    const changed = { ...restore(NOW + 2 * HOUR), minCapacity: 3 };
    const raise: FloorAction = {
      name: ownership.name('raise', NOW + HOUR / 2),
      schedule: atExpression(NOW + HOUR / 2),
      atMs: NOW + HOUR / 2,
      minCapacity: 9,
      kind: 'raise',
    };
    const existing = [same, { ...changed, minCapacity: 2 }].map(({ name, schedule, minCapacity }) => ({ name, schedule, minCapacity }));
    const result = reconcile([raise, same, changed, restore(NOW + 3 * HOUR)], existing, ownership, NOW);
    expect(result.put.map((action) => action.name)).toEqual([changed.name, restore(NOW + 3 * HOUR).name, raise.name]);
    expect(result.unchanged).toBe(1);
  });

  it('deletes its own stale raises and the actions that have run, keeping the latest that ran as the record', () => {
    const existing = [
      { name: ownership.name('raise', NOW + 5 * HOUR), schedule: atExpression(NOW + 5 * HOUR), minCapacity: 9 },
      { name: ownership.name('raise', NOW - 2 * HOUR), schedule: atExpression(NOW - 2 * HOUR), minCapacity: 9 },
      { name: ownership.name('restore', NOW - HOUR), schedule: atExpression(NOW - HOUR), minCapacity: 2 },
    ];
    expect(reconcile([], existing, ownership, NOW).delete).toEqual([existing[0]!.name, existing[1]!.name]);
  });

  it('keeps a pending restore of its own unless a desired restore at or after it takes over, and deletes a replaced one after the puts', () => {
    const pending = { name: ownership.name('restore', NOW + 2 * HOUR), schedule: atExpression(NOW + 2 * HOUR), minCapacity: 2 };
    expect(reconcile([], [pending], ownership, NOW)).toMatchObject({ delete: [], deleteReplacedRestores: [], keptRestores: [pending.name] });
    expect(reconcile([restore(NOW + 3 * HOUR)], [pending], ownership, NOW)).toMatchObject({
      delete: [],
      deleteReplacedRestores: [pending.name],
      keptRestores: [],
    });
  });

  it('rewrites an own action someone gave a MaxCapacity, so it sets MinCapacity only', () => {
    const action = restore(NOW + HOUR);
    expect(reconcile([action], [{ name: action.name, schedule: action.schedule, minCapacity: 2, maxCapacity: 99 }], ownership, NOW).put).toEqual([
      action,
    ]);
  });

  it('says the quota is tight when the new actions would pass 200 before the deletes', () => {
    const many = Array.from({ length: 199 }, (_, index) => ({ name: `user-${index}`, schedule: 'cron(0 8 * * ? *)', minCapacity: 1 }));
    expect(reconcile([restore(NOW + HOUR), restore(NOW + 2 * HOUR)], many, ownership, NOW).quotaTight).toBe(true);
    expect(reconcile([restore(NOW + HOUR)], many, ownership, NOW).quotaTight).toBe(false);
  });
});

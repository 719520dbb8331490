import { describe, expect, it } from 'vitest';
import { atExpression, floorActions, reconcile, type ExistingAction, type FloorAction } from '../../../shared/predictor/scheduled-actions.ts';

const HOUR = 3_600_000;
const NOW = Date.UTC(2026, 10, 16, 6, 20);
const PREFIX = 'headroom-';

function restore(atMs: number): FloorAction {
  return { name: `${PREFIX}restore-${atMs}`, schedule: atExpression(atMs), atMs, minCapacity: 2, kind: 'restore' };
}

describe('floorActions', () => {
  it('raises at each step’s start and restores to the floor at its end', () => {
    const start = NOW + 2 * HOUR - 20 * 60_000;
    const actions = floorActions({ steps: [{ startMs: start, endMs: start + HOUR, minCapacity: 9 }], notes: [] }, PREFIX, 2, NOW, []);
    expect(actions).toEqual([
      { name: 'headroom-raise-20261116T0800', schedule: 'at(2026-11-16T08:00:00)', atMs: start, minCapacity: 9, kind: 'raise' },
      { name: 'headroom-restore-20261116T0900', schedule: 'at(2026-11-16T09:00:00)', atMs: start + HOUR, minCapacity: 2, kind: 'restore' },
    ]);
  });

  it('lets the next step take over where it starts as one ends, with no restore between', () => {
    const start = NOW + HOUR;
    const steps = [
      { startMs: start, endMs: start + HOUR, minCapacity: 9 },
      { startMs: start + HOUR, endMs: start + 2 * HOUR, minCapacity: 5 },
    ];
    expect(floorActions({ steps, notes: [] }, PREFIX, 2, NOW, []).map((action) => action.kind)).toEqual(['raise', 'raise', 'restore']);
  });

  it('schedules a step that has already begun for the next minute, and keeps the time an earlier run gave it', () => {
    const begun = { steps: [{ startMs: NOW - HOUR, endMs: NOW + HOUR, minCapacity: 9 }], notes: [] };
    const [first] = floorActions(begun, PREFIX, 2, NOW, []);
    expect(first!.schedule).toBe('at(2026-11-16T06:21:00)');
    const [later] = floorActions(begun, PREFIX, 2, NOW + 10 * 60_000, [{ name: first!.name, schedule: first!.schedule, minCapacity: 9 }]);
    expect(later!.schedule).toBe(first!.schedule);
  });
});

describe('reconcile', () => {
  const foreign: ExistingAction = { name: 'team-black-friday', schedule: 'cron(0 8 * * ? *)', minCapacity: 10, maxCapacity: 60 };

  it('never puts or deletes an action without its prefix', () => {
    const result = reconcile([], [foreign], PREFIX, NOW);
    expect(result).toEqual({ put: [], delete: [], keptRestores: [], unchanged: 0 });
  });

  it('puts only what is new or changed', () => {
    const same = restore(NOW + HOUR);
    const changed = { ...restore(NOW + 2 * HOUR), minCapacity: 3 };
    const existing = [same, { ...changed, minCapacity: 2 }].map(({ name, schedule, minCapacity }) => ({ name, schedule, minCapacity }));
    const result = reconcile([same, changed, restore(NOW + 3 * HOUR)], existing, PREFIX, NOW);
    expect(result.put.map((action) => action.name)).toEqual([changed.name, restore(NOW + 3 * HOUR).name]);
    expect(result.unchanged).toBe(1);
  });

  it('deletes its own stale raises and the actions whose time has passed', () => {
    const existing = [
      { name: `${PREFIX}raise-future`, schedule: atExpression(NOW + 5 * HOUR), minCapacity: 9 },
      { name: `${PREFIX}restore-past`, schedule: atExpression(NOW - HOUR), minCapacity: 2 },
    ];
    expect(reconcile([], existing, PREFIX, NOW).delete).toEqual([`${PREFIX}raise-future`, `${PREFIX}restore-past`]);
  });

  it('keeps a pending restore of its own unless a desired restore at or after it takes over', () => {
    const pending = { name: `${PREFIX}restore-pending`, schedule: atExpression(NOW + 2 * HOUR), minCapacity: 2 };
    expect(reconcile([], [pending], PREFIX, NOW)).toMatchObject({ delete: [], keptRestores: [pending.name] });
    expect(reconcile([restore(NOW + 3 * HOUR)], [pending], PREFIX, NOW)).toMatchObject({ delete: [pending.name], keptRestores: [] });
  });

  it('rewrites an own action someone gave a MaxCapacity, so it sets MinCapacity only', () => {
    const action = restore(NOW + HOUR);
    expect(reconcile([action], [{ name: action.name, schedule: action.schedule, minCapacity: 2, maxCapacity: 99 }], PREFIX, NOW).put).toEqual([action]);
  });
});

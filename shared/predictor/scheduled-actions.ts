import type { FloorPlan } from '../plan/index.ts';

/** A one-time Application Auto Scaling scheduled action that sets MinCapacity (never MaxCapacity). */
export interface FloorAction {
  readonly name: string;
  /** `at(yyyy-mm-ddThh:mm:ss)`, UTC. */
  readonly schedule: string;
  readonly atMs: number;
  readonly minCapacity: number;
  readonly kind: 'raise' | 'restore';
}

/** What the target already holds, as DescribeScheduledActions reports it. */
export interface ExistingAction {
  readonly name: string;
  readonly schedule: string;
  readonly minCapacity?: number;
  readonly maxCapacity?: number;
}

export interface Reconciliation {
  /** Actions to create or update (PutScheduledAction with explicit StartTime/EndTime). */
  readonly put: readonly FloorAction[];
  /** Own actions to delete. */
  readonly delete: readonly string[];
  /** Own stale restores kept because no later restore replaces them: every raise keeps its restore. */
  readonly keptRestores: readonly string[];
  readonly unchanged: number;
}

const MINUTE_MS = 60_000;

function stamp(ms: number): string {
  return new Date(ms).toISOString().slice(0, 16).replace(/[-:]/g, '');
}

export function atExpression(ms: number): string {
  return `at(${new Date(ms).toISOString().slice(0, 19)})`;
}

/** The time an `at(...)` expression names, or undefined for cron/rate schedules. */
export function atTime(schedule: string): number | undefined {
  const match = /^at\((\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})\)$/.exec(schedule);
  return match ? Date.parse(`${match[1]}Z`) : undefined;
}

/**
 * The actions a plan needs: a raise at each step's start and a restore to the floor at its end (none where the
 * next step starts at that moment and takes over). A raise whose time has passed is scheduled for the next
 * minute, unless an earlier run already scheduled it (then it keeps the time it has).
 */
export function floorActions(plan: FloorPlan, prefix: string, floor: number, nowMs: number, existing: readonly ExistingAction[]): FloorAction[] {
  const soonest = Math.ceil((nowMs + MINUTE_MS) / MINUTE_MS) * MINUTE_MS;
  const scheduled = new Map(existing.map((action) => [action.name, action]));
  const actions: FloorAction[] = [];
  plan.steps.forEach((step, index) => {
    const raiseName = `${prefix}raise-${stamp(step.startMs)}`;
    const alreadyAt = step.startMs <= nowMs ? atTime(scheduled.get(raiseName)?.schedule ?? '') : undefined;
    const atMs = alreadyAt ?? Math.max(step.startMs, soonest);
    actions.push({ name: raiseName, schedule: atExpression(atMs), atMs, minCapacity: step.minCapacity, kind: 'raise' });
    if (plan.steps[index + 1]?.startMs !== step.endMs) {
      actions.push({ name: `${prefix}restore-${stamp(step.endMs)}`, schedule: atExpression(step.endMs), atMs: step.endMs, minCapacity: floor, kind: 'restore' });
    }
  });
  return actions;
}

/**
 * What to put and delete so the target holds exactly the desired own actions. Only names with the prefix are
 * touched. A stale restore still ahead is kept unless a desired restore at or after it takes over, so a raise
 * that has already run is never left without its restore.
 */
export function reconcile(desired: readonly FloorAction[], existing: readonly ExistingAction[], prefix: string, nowMs: number): Reconciliation {
  const own = existing.filter((action) => action.name.startsWith(prefix));
  const byName = new Map(own.map((action) => [action.name, action]));
  const desiredNames = new Set(desired.map((action) => action.name));
  const put = desired.filter((action) => {
    const current = byName.get(action.name);
    return !current || current.schedule !== action.schedule || current.minCapacity !== action.minCapacity || current.maxCapacity !== undefined;
  });
  const latestDesiredRestore = Math.max(-Infinity, ...desired.filter((action) => action.kind === 'restore').map((action) => action.atMs));
  const deletions: string[] = [];
  const keptRestores: string[] = [];
  for (const action of own) {
    if (desiredNames.has(action.name)) continue;
    const time = atTime(action.schedule);
    const pendingRestore = action.name.startsWith(`${prefix}restore-`) && (time === undefined || time > nowMs);
    if (pendingRestore && !(latestDesiredRestore >= (time ?? Infinity))) keptRestores.push(action.name);
    else deletions.push(action.name);
  }
  return { put, delete: deletions, keptRestores, unchanged: desired.length - put.length };
}

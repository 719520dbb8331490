import { floorChanges, Wall, type FloorPlan, type FloorPlanInput } from '../plan/index.ts';
import { CLOCK_SKEW_MS, mayHaveFired, type WallView, withinWalls } from './invariants.ts';
import type { ExistingAction } from './walls.ts';

export type { ExistingAction } from './walls.ts';

/** A one-time Application Auto Scaling scheduled action that sets MinCapacity (never MaxCapacity). */
export interface FloorAction {
  readonly name: string;
  /** `at(yyyy-mm-ddThh:mm:ss)`, UTC. */
  readonly schedule: string;
  readonly atMs: number;
  readonly minCapacity: number;
  readonly kind: 'raise' | 'restore';
}

export interface Reconciliation {
  /** Actions to create or update (PutScheduledAction), restores first (by time), then raises. */
  readonly put: readonly FloorAction[];
  /** Own actions to delete before any put (frees room under the quota): stale raises and records of actions that have run. */
  readonly delete: readonly string[];
  /** Own pending restores a desired restore at or after them replaces: deleted only after every put. */
  readonly deleteReplacedRestores: readonly string[];
  /** Own stale restores kept because no later restore replaces them (re-put at the wall as it is now when it moved). */
  readonly keptRestores: readonly string[];
  readonly unchanged: number;
  /** The target would pass AWS's 200-action quota mid-way if nothing were deleted first. */
  readonly quotaTight: boolean;
  /** The own actions that can still fire once the reconciliation is written (for invariantBreaks). */
  readonly pending: readonly FloorAction[];
}

const MINUTE_MS = 60_000;
/** Scheduled actions AWS allows per scalable target. */
export const ACTIONS_PER_TARGET = 200;

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
 * The soonest a new action is scheduled: the first whole minute past the clock window (AWS's clock may be ahead
 * of ours by CLOCK_SKEW_MS, and an `at()` already past on its clock would never run).
 */
export function soonestMs(nowMs: number): number {
  return Math.ceil((nowMs + CLOCK_SKEW_MS + MINUTE_MS) / MINUTE_MS) * MINUTE_MS;
}

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
/** Characters AWS rejects in scheduled action names (`:`, `/`, `|`, controls) become `_`. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are exactly what AWS rejects in action names
const nameSafe = (workload: string) => workload.replace(/[:/|\s\u0000-\u001f\u007f-\u009f]/g, '_').slice(0, 180);
const ANY_PREDICTOR_ACTION = /^(.*)(raise|restore)-\d{8}T\d{4}-(.+)$/;

/**
 * Which scheduled actions on a target are this predictor's for this workload: `{prefix}raise-{stamp}-{workload}`
 * and `{prefix}restore-{stamp}-{workload}` (and the same without the workload, as earlier versions named them).
 * An action named like a predictor's but for another prefix or workload belongs to another owner.
 */
export class ActionOwnership {
  private readonly own: RegExp;

  constructor(
    readonly prefix: string,
    readonly workload: string,
  ) {
    this.own = new RegExp(`^${escapeRegExp(prefix)}(raise|restore)-\\d{8}T\\d{4}(-${escapeRegExp(nameSafe(workload))})?$`);
  }

  name(kind: 'raise' | 'restore', atMs: number): string {
    return `${this.prefix}${kind}-${stamp(atMs)}-${nameSafe(this.workload)}`;
  }

  isOwn(name: string): boolean {
    return this.own.test(name);
  }

  kindOf(name: string): 'raise' | 'restore' | undefined {
    return this.own.exec(name)?.[1] as 'raise' | 'restore' | undefined;
  }

  /** Actions another headroom predictor (another prefix or workload) writes on this target. */
  otherOwners(existing: readonly ExistingAction[]): string[] {
    return existing.filter((action) => !this.isOwn(action.name) && ANY_PREDICTOR_ACTION.test(action.name)).map((action) => action.name);
  }
}

/**
 * The actions a plan needs against the walls (see floorChanges): raises, re-raises and restores. A raise whose
 * time has passed is scheduled for the next minute, unless an earlier run already scheduled it at the same
 * capacity (then it keeps the time it has). When the predictor's own raise is in force and the plan does not
 * hold capacity now, a restore to the wall is scheduled for the next minute: no raise is ever left alone.
 */
export function floorActions(
  plan: FloorPlan,
  walls: Pick<FloorPlanInput, 'minCapacity' | 'walls'>,
  ownership: ActionOwnership,
  nowMs: number,
  existing: readonly ExistingAction[],
  ownRaiseInForce = false,
): FloorAction[] {
  const soonest = soonestMs(nowMs);
  // Own raises already scheduled for a step that has begun, by the time they have: a later run finds a step's raise
  // by its time and capacity, so an action is named for the time it runs and still kept, not rewritten, run after run.
  const ownRaises = existing
    .filter((action) => ownership.kindOf(action.name) === 'raise')
    .map((action) => ({ atMs: atTime(action.schedule), minCapacity: action.minCapacity }))
    .filter((action): action is { atMs: number; minCapacity: number } => action.atMs !== undefined)
    .sort((a, b) => a.atMs - b.atMs);
  const changes = floorChanges(plan.steps, walls, {
    notBeforeMs: soonest,
    scheduledAt: (stepStartMs, minCapacity) => {
      if (stepStartMs >= soonest) return undefined;
      return ownRaises.find((raise) => raise.minCapacity === minCapacity && raise.atMs >= stepStartMs && raise.atMs < soonest)?.atMs;
    },
  });
  const actions = new Map<string, FloorAction>();
  for (const change of changes) {
    const name = ownership.name(change.kind, change.atMs);
    actions.set(name, { name, schedule: atExpression(change.atMs), atMs: change.atMs, minCapacity: change.minCapacity, kind: change.kind });
  }
  const list = [...actions.values()].sort((a, b) => a.atMs - b.atMs);
  const holdsNow = list[0] !== undefined && list[0].kind === 'raise' && list[0].atMs <= soonest + MINUTE_MS;
  if (ownRaiseInForce && !holdsNow) {
    const wall = new Wall(walls);
    const atMs = wall.clear(soonest);
    const name = ownership.name('restore', atMs);
    if (!actions.has(name)) list.unshift({ name, schedule: atExpression(atMs), atMs, minCapacity: wall.at(atMs), kind: 'restore' });
  }
  return list.sort((a, b) => a.atMs - b.atMs);
}

/**
 * What to put and delete so the target holds exactly the desired own actions. Only own names are touched.
 * - An own action that may have fired (within the clock window of now) is neither deleted nor moved: a restore
 *   in it is re-put at the wall as it is now, a raise is kept (capped at the walls) as the record of what is in force.
 * - A stale restore still ahead is kept unless a desired restore at or after it takes over, so a raise that has
 *   already run is never left without its restore; kept restores return to the wall as it is now.
 * - The latest own action that has surely run is kept as the record of what is in force.
 * Deletes of stale raises and old records come first (they free room under the quota and lowering nothing),
 * then puts (restores before raises), then the replaced restores.
 */
export function reconcile(
  desired: readonly FloorAction[],
  existing: readonly ExistingAction[],
  ownership: ActionOwnership,
  nowMs: number,
  wall?: WallView,
): Reconciliation {
  const own = existing.filter((action) => ownership.isOwn(action.name));
  const byName = new Map(own.map((action) => [action.name, action]));
  const desiredNames = new Set(desired.map((action) => action.name));
  const latestDesiredRestore = Math.max(-Infinity, ...desired.filter((action) => action.kind === 'restore').map((action) => action.atMs));
  const ran = own
    .filter((action) => (atTime(action.schedule) ?? Infinity) <= nowMs - CLOCK_SKEW_MS)
    .sort((a, b) => atTime(a.schedule)! - atTime(b.schedule)!);
  const record = ran[ran.length - 1]?.name;
  const deletions: string[] = [];
  const replacedRestores: string[] = [];
  const keptRestores: string[] = [];
  const corrected: FloorAction[] = [];
  const keptPending: FloorAction[] = [];
  const asFloorAction = (action: ExistingAction, atMs: number): FloorAction => ({
    name: action.name,
    schedule: action.schedule,
    atMs,
    minCapacity: action.minCapacity ?? 0,
    kind: ownership.kindOf(action.name)!,
  });
  /** Keeps an own action that can still fire, re-put within the walls as they are now where it is not. */
  const keep = (action: ExistingAction, atMs: number) => {
    const current = asFloorAction(action, atMs);
    const fixed = wall ? (withinWalls(current, wall) ?? { ...current, minCapacity: wall.at(atMs) }) : current;
    if (fixed.minCapacity !== current.minCapacity || action.maxCapacity !== undefined) corrected.push(fixed);
    keptPending.push(fixed);
  };
  for (const action of own) {
    if (desiredNames.has(action.name)) continue;
    const time = atTime(action.schedule);
    const restore = ownership.kindOf(action.name) === 'restore';
    if (time !== undefined && mayHaveFired(time, nowMs)) {
      keep(action, time);
      continue;
    }
    if (action.name === record) continue;
    const pendingRestore = restore && (time === undefined || time > nowMs);
    if (pendingRestore && !(latestDesiredRestore >= (time ?? Infinity))) {
      keptRestores.push(action.name);
      if (time !== undefined) keep(action, time);
    } else if (pendingRestore) replacedRestores.push(action.name);
    else deletions.push(action.name);
  }
  const changed = desired.filter((action) => {
    const current = byName.get(action.name);
    return !current || current.schedule !== action.schedule || current.minCapacity !== action.minCapacity || current.maxCapacity !== undefined;
  });
  const writes = [...changed, ...corrected];
  const put = [...writes.filter((action) => action.kind === 'restore'), ...writes.filter((action) => action.kind === 'raise')];
  const added = changed.filter((action) => !byName.has(action.name)).length;
  return {
    put,
    delete: deletions,
    deleteReplacedRestores: replacedRestores,
    keptRestores,
    unchanged: desired.length - changed.length,
    quotaTight: existing.length + added > ACTIONS_PER_TARGET,
    pending: [...desired, ...keptPending].filter((action) => action.atMs > nowMs - CLOCK_SKEW_MS).sort((a, b) => a.atMs - b.atMs),
  };
}

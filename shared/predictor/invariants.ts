/**
 * The predictor's promises, stated once. Every own action that can still fire must, at the instant it fires:
 * 1. set MinCapacity no lower than the wall the user set as it is now (the registered MinCapacity and the user's
 *    own scheduled actions; a restore sets exactly that wall);
 * 2. set MinCapacity no higher than MaxCapacity as it is now (registered, the user's scheduled MaxCapacity, and
 *    the configured maxCapacity);
 * 3. leave no raise alone: the latest own action that can fire is a restore, and every raise has one after it;
 * 4. touch only own actions (ActionOwnership), and 5. stay within the 200 actions AWS allows per target.
 * 6. A run that cannot write what it planned leaves the target no worse than the wall: writes are ordered so
 *    that a stop at any call leaves 1-3 true (deletes of what is not needed first, restores before raises,
 *    replaced restores deleted last).
 * What is ours is read from the actions themselves: their names (prefix, kind, workload) and the MinCapacity
 * and time each holds. Clocks differ (AWS's and the Lambda's, by up to CLOCK_SKEW_MS), so an own action within
 * that window of the read may or may not have fired: it is neither deleted nor moved, and nothing new is
 * scheduled inside it. Pure.
 */
import type { FloorAction } from './scheduled-actions.ts';

/** How far AWS's clock and the predictor's may differ, and how long a target may be read after the run began. */
export const CLOCK_SKEW_MS = 10 * 60_000;

export interface WallView {
  /** The user's MinCapacity wall at a time (registered and their scheduled actions, without headroom). */
  at(timeMs: number): number;
  /** MaxCapacity as it is now (the lowest of what is registered, scheduled by the user, and configured). */
  readonly maxCapacity: number;
}

/** An own action that can still fire, as the target holds it or as a run means to write it. */
export interface PendingOwnAction {
  readonly name: string;
  readonly atMs: number;
  readonly minCapacity: number;
  readonly kind: 'raise' | 'restore';
}

/** Which of promises 1-3 an action set would break, in words; empty when it holds them. */
export function invariantBreaks(pending: readonly PendingOwnAction[], wall: WallView, raiseInForce: boolean): string[] {
  const breaks: string[] = [];
  const sorted = [...pending].sort((a, b) => a.atMs - b.atMs);
  for (const action of sorted) {
    const wallThen = wall.at(action.atMs);
    if (action.minCapacity < wallThen) breaks.push(`${action.name} would set ${action.minCapacity}, below the wall ${wallThen}`);
    if (action.minCapacity > Math.max(wall.maxCapacity, wallThen))
      breaks.push(`${action.name} would set ${action.minCapacity}, above MaxCapacity ${wall.maxCapacity}`);
  }
  const last = sorted[sorted.length - 1];
  if (last?.kind === 'raise' && last.minCapacity > wall.at(last.atMs)) breaks.push(`${last.name} is a raise with no restore after it`);
  if (!last && raiseInForce) breaks.push('an own raise is in force with no restore pending');
  return breaks;
}

/**
 * Brings an own action within promises 1 and 2 as the walls are now: a restore returns to exactly the wall at
 * its time; a raise is capped at MaxCapacity, and dropped (undefined) when that leaves it no higher than the wall.
 */
export function withinWalls<T extends PendingOwnAction>(action: T, wall: WallView): T | undefined {
  const wallThen = wall.at(action.atMs);
  if (action.kind === 'restore') return action.minCapacity === wallThen ? action : { ...action, minCapacity: wallThen };
  const capped = Math.min(action.minCapacity, Math.max(wall.maxCapacity, wallThen));
  if (capped <= wallThen) return undefined;
  return capped === action.minCapacity ? action : { ...action, minCapacity: capped };
}

/** Whether an action's time is within the clock window of `nowMs`: it may or may not have fired. */
export function mayHaveFired(atMs: number, nowMs: number): boolean {
  return atMs > nowMs - CLOCK_SKEW_MS && atMs <= nowMs + CLOCK_SKEW_MS;
}

export type { FloorAction };

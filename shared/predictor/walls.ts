/**
 * The capacity walls in force without headroom: the target's registered MinCapacity/MaxCapacity and what the
 * user's own (foreign) scheduled actions set, minute by minute. Every raise the predictor writes is above this
 * MinCapacity and every restore returns to exactly it, so no action of ours leaves MinCapacity lower than it
 * would be without headroom. Pure.
 */
import type { WallTimeline } from '../plan/index.ts';
import { runTimes } from './schedule-expression.ts';

const MINUTE_MS = 60_000;
const DAY_MS = 86_400_000;
/** How far back a foreign action's last run is looked for, when the predictor's own raise hides the wall now. */
const LOOKBACK_MS = 35 * DAY_MS;

/** A scheduled action as DescribeScheduledActions reports it. */
export interface ExistingAction {
  readonly name: string;
  readonly schedule: string;
  readonly minCapacity?: number;
  readonly maxCapacity?: number;
  readonly timezone?: string;
  readonly startTimeMs?: number;
  readonly endTimeMs?: number;
}

export interface WallInputs {
  /** MinCapacity/MaxCapacity the target holds now (DescribeScalableTargets). */
  readonly registeredMin: number;
  readonly registeredMax: number;
  /** The MinCapacity the target was declared with (the construct's), if known: the wall when nothing else says. */
  readonly declaredMin?: number;
  /** The most the predictor may schedule (configured), if set. */
  readonly maxCapacity?: number;
  /** The user's scheduled actions on the target. */
  readonly foreign: readonly ExistingAction[];
  /**
   * The predictor's own raise in force now (it ran and nothing has replaced it), if any: then the registered
   * MinCapacity is ours, and the wall without headroom comes from what else is known.
   */
  readonly ownRaiseInForce?: { readonly minCapacity: number };
  /** The predictor's own restores still ahead: each returns to the wall a previous run computed. */
  readonly pendingOwnRestores?: readonly number[];
}

export interface Walls extends WallTimeline {
  /** Why a foreign action was taken as in force throughout (its run times could not be evaluated). */
  readonly notes: readonly string[];
}

/** The walls without headroom from `nowMs` to `untilMs`: MinCapacity changes only where a foreign action runs. */
export function wallsWithoutHeadroom(inputs: WallInputs, nowMs: number, untilMs: number): Walls {
  const notes: string[] = [];
  let alwaysMin = 0;
  let maxCapacity = Math.min(inputs.registeredMax, inputs.maxCapacity ?? inputs.registeredMax);
  const runs: { atMs: number; minCapacity: number }[] = [];
  let lastBeforeNow: { atMs: number; minCapacity: number } | undefined;
  for (const action of inputs.foreign) {
    const times = runTimes(action);
    if (!times.evaluable) {
      // Conservatively in force at every minute: a higher wall only makes raises rarer and restores higher.
      if (action.minCapacity !== undefined) alwaysMin = Math.max(alwaysMin, action.minCapacity);
      if (action.maxCapacity !== undefined) maxCapacity = Math.min(maxCapacity, action.maxCapacity);
      notes.push(`scheduled action ${action.name} (${times.why}) is taken as in force at every minute`);
      continue;
    }
    const ahead = times.between(nowMs, untilMs);
    const before = times.between(nowMs - LOOKBACK_MS, nowMs);
    if (action.maxCapacity !== undefined && (ahead.length > 0 || before.length > 0)) maxCapacity = Math.min(maxCapacity, action.maxCapacity);
    if (action.minCapacity === undefined) continue;
    for (const atMs of ahead) runs.push({ atMs, minCapacity: action.minCapacity });
    const last = before[before.length - 1];
    if (
      last !== undefined &&
      (!lastBeforeNow || last > lastBeforeNow.atMs || (last === lastBeforeNow.atMs && action.minCapacity > lastBeforeNow.minCapacity))
    ) {
      lastBeforeNow = { atMs: last, minCapacity: action.minCapacity };
    }
  }
  // Now: the registered MinCapacity is the wall unless it is our own raise; then take the highest thing known.
  const now = inputs.ownRaiseInForce
    ? Math.max(inputs.declaredMin ?? 0, lastBeforeNow?.minCapacity ?? 0, ...(inputs.pendingOwnRestores ?? []))
    : inputs.registeredMin;
  // Actions running in the same minute run in an unknown order: the minute holds the highest of them.
  const byMinute = new Map<number, number>();
  for (const run of runs) {
    const minute = Math.floor(run.atMs / MINUTE_MS) * MINUTE_MS;
    byMinute.set(minute, Math.max(byMinute.get(minute) ?? 0, run.minCapacity));
  }
  const segments: { startMs: number; endMs: number; minCapacity: number }[] = [];
  let start = nowMs;
  let value = Math.max(now, alwaysMin);
  for (const minute of [...byMinute.keys()].sort((a, b) => a - b)) {
    if (minute > start) segments.push({ startMs: start, endMs: minute, minCapacity: value });
    start = Math.max(start, minute);
    value = Math.max(byMinute.get(minute)!, alwaysMin);
  }
  segments.push({ startMs: start, endMs: Math.max(untilMs, start + MINUTE_MS), minCapacity: value });
  return { segments: mergeEqual(segments), maxCapacity, foreignRunsMs: [...byMinute.keys()].sort((a, b) => a - b), notes };
}

function mergeEqual(segments: { startMs: number; endMs: number; minCapacity: number }[]) {
  const merged: typeof segments = [];
  for (const segment of segments) {
    const last = merged[merged.length - 1];
    if (last && last.minCapacity === segment.minCapacity && last.endMs === segment.startMs)
      merged[merged.length - 1] = { ...last, endMs: segment.endMs };
    else merged.push(segment);
  }
  return merged;
}

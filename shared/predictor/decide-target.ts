import type { QuantileForecast } from '../forecast/index.ts';
import type { FloorPlan } from '../plan/index.ts';
import { lastDays, type RegularSeries } from '../series/regular-series.ts';
import type { PredictorConfig, PredictorTarget } from './config.ts';
import { chooseTodaysFloorSettings, type FloorChoice, type FloorChoiceMemo } from './floor-choice.ts';
import type { ForecastError } from './forecast-error.ts';
import { forecastBreaker, type BreakerDecision, type BreakerMemo } from './forecast-breaker.ts';
import { forecastTarget, planForecast, previousDayError } from './plan-target.ts';
import { Wall } from '../plan/index.ts';
import {
  ActionOwnership,
  ACTIONS_PER_TARGET,
  atTime,
  floorActions,
  reconcile,
  type ExistingAction,
  type Reconciliation,
} from './scheduled-actions.ts';
import { CLOCK_SKEW_MS, invariantBreaks, mayHaveFired, type WallView, withinWalls } from './invariants.ts';
import { runTimes } from './schedule-expression.ts';
import { wallsWithoutHeadroom, type Walls } from './walls.ts';

export { UnusableHistoryError } from './plan-target.ts';

const HOUR_MS = 3_600_000;

/** The scalable target as Application Auto Scaling holds it now. */
export interface TargetState {
  readonly registeredMin: number;
  readonly registeredMax: number;
  readonly scheduledScalingSuspended: boolean;
  readonly existing: readonly ExistingAction[];
  /** When the target was read, on the predictor's clock (targets are read one after another); defaults to now. */
  readonly readAtMs?: number;
}

export interface TargetDecision {
  readonly forecast: QuantileForecast;
  readonly plan: FloorPlan;
  /** The walls in force without headroom the plan was checked against. */
  readonly walls: Walls;
  readonly reconciliation: Reconciliation;
  /** False when the plan must not be written (forecastOnly, kill switch, suspended scheduled scaling). */
  readonly writes: boolean;
  readonly whyNoWrites?: string;
  /** The MinCapacity the plan holds now (for the ScheduledFloor metric). */
  readonly scheduledFloorNow: number;
  /** The error of the forecast the previous day's run made, over the day since. */
  readonly previousError?: ForecastError;
  /** The quantile and utilization the floors were planned with, and why. */
  readonly floorSettings: FloorChoice;
  /** Promises (invariants.ts) the written actions would still break; empty unless something is wrong. */
  readonly invariantBreaks: readonly string[];
  /** The forecast-error breaker: open, the plan raises nothing (reactive scaling carries the target). */
  readonly breaker: BreakerDecision;
}

/** Another workload or predictor already writes scheduled actions on this target: refused, nothing written. */
export class OwnershipConflictError extends Error {
  constructor(workload: string, names: readonly string[]) {
    super(
      `${workload}: the target holds scheduled actions of another headroom owner (${names.slice(0, 3).join(', ')}): refused, nothing written; a target may be managed by one workload of one predictor`,
    );
    this.name = 'OwnershipConflictError';
  }
}

/**
 * The predictor's own raise that is what the target holds, if any: the registered MinCapacity is the value of
 * the latest own action that has surely run, or of one that may have run (within the clock window of the read:
 * it may have fired after the run began, before this target was read), and no user action ran after it.
 * A restore's value is the wall, so only a raise's value hides the wall.
 */
function ownRaiseInForce(
  state: TargetState,
  ownership: ActionOwnership,
  foreign: readonly ExistingAction[],
  readMs: number,
): ExistingAction | undefined {
  const own = state.existing
    .filter((action) => ownership.isOwn(action.name) && atTime(action.schedule) !== undefined)
    .sort((a, b) => atTime(a.schedule)! - atTime(b.schedule)!);
  const surely = own.filter((action) => atTime(action.schedule)! <= readMs - CLOCK_SKEW_MS);
  const candidates = [...surely.slice(-1), ...own.filter((action) => mayHaveFired(atTime(action.schedule)!, readMs))];
  const raise = candidates.reverse().find((action) => ownership.kindOf(action.name) === 'raise' && action.minCapacity === state.registeredMin);
  if (!raise) return undefined;
  const lastMs = atTime(raise.schedule)!;
  const overwritten = foreign.some((action) => {
    const times = runTimes(action);
    return times.evaluable && times.between(lastMs + 1, readMs + 1).length > 0;
  });
  return overwritten ? undefined : raise;
}

/**
 * Forecasts a target's load, plans its floors against the walls in force without headroom (registered
 * MinCapacity/MaxCapacity and the user's scheduled actions) and reconciles them with what it holds. Every raise
 * is above that wall and every restore returns to exactly it; the predictor's actions stay within the
 * 200-per-target quota after the user's own.
 */
export function decideTarget(
  config: PredictorConfig,
  target: PredictorTarget,
  window: RegularSeries,
  state: TargetState,
  nowMs: number,
  /** Today's floor choices a warm predictor already made (chooseTodaysFloorSettings). */
  floorChoices?: FloorChoiceMemo,
  /** Today's breaker decisions a warm predictor already made. */
  breakerDecisions?: BreakerMemo,
): TargetDecision {
  const ownership = new ActionOwnership(config.actionPrefix, target.workload);
  const others = ownership.otherOwners(state.existing);
  if (others.length > 0) throw new OwnershipConflictError(target.workload, others);
  const foreign = state.existing.filter((action) => !ownership.isOwn(action.name));
  const readMs = Math.max(nowMs, state.readAtMs ?? nowMs);
  const inForce = ownRaiseInForce(state, ownership, foreign, readMs);
  const pendingOwnRestores = state.existing
    .filter(
      (action) =>
        ownership.kindOf(action.name) === 'restore' &&
        (atTime(action.schedule) ?? Infinity) > readMs - CLOCK_SKEW_MS &&
        action.minCapacity !== undefined,
    )
    .map((action) => action.minCapacity!);
  // An own raise that may fire (or have fired) within the clock window needs a restore after it, like one in force.
  const raiseMayHold =
    inForce !== undefined ||
    state.existing.some((action) => ownership.kindOf(action.name) === 'raise' && mayHaveFired(atTime(action.schedule) ?? -Infinity, readMs));
  const walls = wallsWithoutHeadroom(
    {
      registeredMin: state.registeredMin,
      registeredMax: state.registeredMax,
      declaredMin: target.minCapacity,
      maxCapacity: target.maxCapacity,
      foreign,
      ownRaiseInForce: inForce && { minCapacity: inForce.minCapacity! },
      pendingOwnRestores,
    },
    nowMs,
    nowMs + (config.horizonHours + 2) * HOUR_MS,
  );
  // Of AWS's 200, the user's own come first; then what stays while the new ones are put (the record of what ran,
  // actions that may have fired, pending restores deleted only after the puts), and one for a lone raise's restore.
  const stayingOwn = state.existing.filter(
    (action) =>
      ownership.isOwn(action.name) &&
      (mayHaveFired(atTime(action.schedule) ?? Infinity, readMs) ||
        (ownership.kindOf(action.name) === 'restore' && (atTime(action.schedule) ?? Infinity) > readMs)),
  ).length;
  const actionBudget = Math.max(0, Math.min(target.actionBudget, ACTIONS_PER_TARGET - foreign.length - stayingOwn) - 1 - (raiseMayHold ? 1 : 0));
  // A tuned target's window reaches back further than historyDays; the forecast reads historyDays, as it always does.
  const forecast = forecastTarget(target, lastDays(window, config.historyDays), config.horizonHours);
  const floorSettings = chooseTodaysFloorSettings(
    config,
    target,
    window,
    { minCapacity: walls.segments[0]!.minCapacity, maxCapacity: walls.maxCapacity },
    actionBudget,
    nowMs,
    floorChoices,
  );
  const planned = planForecast({ ...target, quantile: floorSettings.quantile, targetUtilization: floorSettings.targetUtilization }, forecast, {
    horizonHours: config.horizonHours,
    walls,
    actionBudget,
  });
  const breaker = forecastBreaker(
    lastDays(window, config.historyDays),
    target.timeZone,
    undefined,
    target.calendar,
    breakerDecisions && { cache: breakerDecisions, workload: target.workload },
  );
  // An open breaker plans no raise: what is ahead is deleted, a raise in force gets its restore (floorActions).
  const plan = breaker.state === 'open' ? { steps: [], notes: [...planned.plan.notes, breaker.reason] } : planned.plan;
  const { wallInput } = planned;
  const wall = new Wall(wallInput);
  const wallView: WallView = { at: (timeMs) => wall.at(timeMs), maxCapacity: walls.maxCapacity };
  const desired = floorActions(plan, wallInput, ownership, readMs, state.existing, raiseMayHold).flatMap(
    (action) => withinWalls(action, wallView) ?? [],
  );
  const reconciliation = reconcile(desired, state.existing, ownership, readMs, wallView);
  const whyNoWrites = !config.enabled
    ? 'the predictor is disabled (kill switch)'
    : config.mode === 'forecastOnly'
      ? 'forecastOnly mode'
      : state.scheduledScalingSuspended
        ? 'scheduled scaling is suspended on the target'
        : undefined;
  const current = plan.steps.find((step) => step.startMs <= nowMs && nowMs < step.endMs);
  return {
    forecast,
    plan: { ...plan, notes: [...walls.notes, ...plan.notes] },
    walls,
    reconciliation,
    writes: whyNoWrites === undefined,
    whyNoWrites,
    scheduledFloorNow: current?.minCapacity ?? walls.segments[0]!.minCapacity,
    previousError: previousDayError(lastDays(window, config.historyDays), target.timeZone),
    floorSettings,
    invariantBreaks: invariantBreaks(reconciliation.pending, wallView, inForce !== undefined),
    breaker,
  };
}

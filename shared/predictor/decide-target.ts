import { forecastSeries, type QuantileForecast } from '../forecast/index.ts';
import { planFloors, type FloorPlan } from '../plan/index.ts';
import { gapShare } from '../forecast/gaps.ts';
import { fromFirstDatapoint, type RegularSeries } from '../series/regular-series.ts';
import type { PredictorConfig, PredictorTarget } from './config.ts';
import { forecastError, type ForecastError } from './forecast-error.ts';
import { floorActions, reconcile, type ExistingAction, type Reconciliation } from './scheduled-actions.ts';

/** Scheduled actions AWS allows per scalable target. */
const ACTIONS_PER_TARGET = 200;
const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;
const MIN_HISTORY_MS = 2 * DAY_MS;
const MAX_GAP_SHARE = 0.25;

/** The scalable target as Application Auto Scaling holds it now. */
export interface TargetState {
  readonly registeredMin: number;
  readonly registeredMax: number;
  readonly scheduledScalingSuspended: boolean;
  readonly existing: readonly ExistingAction[];
}

export interface TargetDecision {
  readonly forecast: QuantileForecast;
  readonly plan: FloorPlan;
  readonly reconciliation: Reconciliation;
  /** False when the plan must not be written (forecastOnly, kill switch, suspended scheduled scaling). */
  readonly writes: boolean;
  readonly whyNoWrites?: string;
  /** The floor the plan holds now (for the ScheduledFloor metric). */
  readonly scheduledFloorNow: number;
  /** The error of the forecast the previous day's run made, over the day since. */
  readonly previousError?: ForecastError;
}

/** The history cannot be trusted to raise floors: no raise, no deletion, and the reason is reported. */
export class UnusableHistoryError extends Error {
  constructor(workload: string, detail: string) {
    super(`${workload}: history unusable, no floor raised: ${detail}`);
    this.name = 'UnusableHistoryError';
  }
}

function checkHistory(target: PredictorTarget, history: RegularSeries): void {
  const spanMs = history.values.length * history.stepMs;
  if (spanMs < MIN_HISTORY_MS) throw new UnusableHistoryError(target.workload, `${(spanMs / HOUR_MS).toFixed(0)} h of history, at least 48 h needed`);
  const gaps = gapShare(history.values);
  if (gaps > MAX_GAP_SHARE) throw new UnusableHistoryError(target.workload, `${Math.round(gaps * 100)}% of the history is missing (at most ${MAX_GAP_SHARE * 100}%)`);
  const recentDay = history.values.slice(-Math.round(DAY_MS / history.stepMs));
  if (gapShare(recentDay) > 0.5) throw new UnusableHistoryError(target.workload, 'most of the last day is missing: the metric may have stopped');
}

function previousDayError(history: RegularSeries): ForecastError | undefined {
  const day = Math.round(DAY_MS / history.stepMs);
  if (history.values.length < 4 * day) return undefined;
  const before = { ...history, values: history.values.slice(0, -day) };
  const forecast = forecastSeries(before, { horizonMs: DAY_MS });
  return forecastError(history.values.slice(-day), forecast.p50, before.values, day);
}

/**
 * Forecasts a target's load, plans its floors and reconciles them with what it holds. Only ever raises:
 * floors are clamped to [configured floor, min(configured max, registered MaxCapacity)], every raise has its
 * restore, and the predictor's actions stay within the 200-per-target quota after the user's own.
 */
export function decideTarget(config: PredictorConfig, target: PredictorTarget, window: RegularSeries, state: TargetState, nowMs: number): TargetDecision {
  const history = fromFirstDatapoint(window);
  checkHistory(target, history);
  const forecast = forecastSeries(history, { horizonMs: config.horizonHours * HOUR_MS });
  const foreign = state.existing.filter((action) => !action.name.startsWith(config.actionPrefix)).length;
  const actionBudget = Math.max(0, Math.min(target.actionBudget, ACTIONS_PER_TARGET - foreign));
  const max = Math.max(target.floor, Math.min(target.max, state.registeredMax));
  const plan = planFloors({
    demand: { startMs: forecast.startMs, stepMs: forecast.stepMs, values: forecast[target.quantile] },
    unitThroughput: target.unitThroughput,
    targetUtilization: target.targetUtilization,
    leadTimeMs: target.leadTimeSeconds * 1000,
    floor: target.floor,
    max,
    actionBudget,
    maxDecreasesPerDay: target.maxDecreasesPerDay,
  });
  const desired = floorActions(plan, config.actionPrefix, target.floor, nowMs, state.existing);
  const reconciliation = reconcile(desired, state.existing, config.actionPrefix, nowMs);
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
    plan,
    reconciliation,
    writes: whyNoWrites === undefined,
    whyNoWrites,
    scheduledFloorNow: current?.minCapacity ?? target.floor,
    previousError: previousDayError(history),
  };
}

/**
 * The predictor's planning, from history to floors: the history checks, the forecast (in the workload's time
 * zone), the plan and its budgets. The predictor Lambda (decideTarget) and the simulator's headroom-predictive
 * both call these, so a backtest replays the deployed predictor by construction. Pure.
 */
import type { Calendar } from '../forecast/calendar.ts';
import type { QuantileForecast } from '../forecast/index.ts';
import { gapShare } from '../forecast/gaps.ts';
import type { DecreaseSlot } from '../plan/dynamodb-decreases.ts';
import { planFloors, type FloorPlan, type FloorPlanInput, type WallTimeline } from '../plan/index.ts';
import { fromFirstDatapoint, type RegularSeries } from '../series/regular-series.ts';
import { TARGET_DEFAULTS, type PredictorTarget } from './config.ts';
import { forecastError, type ForecastError } from './forecast-error.ts';
import { forecastInZone } from './local-time.ts';

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;
const MIN_HISTORY_MS = 2 * DAY_MS;
const MAX_GAP_SHARE = 0.25;

/** The history cannot be trusted to raise floors: no raise, no deletion, and the reason is reported. */
export class UnusableHistoryError extends Error {
  constructor(workload: string, detail: string) {
    super(`${workload}: history unusable, no floor raised: ${detail}`);
    this.name = 'UnusableHistoryError';
  }
}

/** What planning needs of a target (the simulator builds it from its parameters). */
export type PlannedTarget = Pick<
  PredictorTarget,
  'workload' | 'unitThroughput' | 'targetUtilization' | 'leadTimeSeconds' | 'quantile' | 'minCapacity' | 'maxCapacity' | 'maxDecreasesPerDay'
> & {
  readonly decreaseSlot?: DecreaseSlot;
  readonly timeZone?: string;
};

export interface PlanSettings {
  readonly horizonHours: number;
  /** The scheduled actions this target's plan may use. */
  readonly actionBudget: number;
  /** The walls in force without headroom; without them, the target's minCapacity/maxCapacity. */
  readonly walls?: WallTimeline;
}

export interface TargetPlan {
  readonly forecast: QuantileForecast;
  readonly plan: FloorPlan;
  /** The walls the plan was made against, as floorChanges reads them. */
  readonly wallInput: Pick<FloorPlanInput, 'minCapacity' | 'walls'>;
}

/** Values a load cannot take (negative, infinite): said with where they are, so the metric can be fixed. */
function impossibleLoad(history: RegularSeries): string | undefined {
  const bad = history.values.flatMap((value, index) => (value < 0 || value === Infinity || value === -Infinity ? [index] : []));
  if (bad.length === 0) return undefined;
  const first = bad[0]!;
  const at = new Date(history.startMs + first * history.stepMs).toISOString();
  return `${bad.length} datapoint(s) of the load are not a load >= 0 (the first, ${history.values[first]}, at ${at}): a load metric counts or rates work, so check its metric and statistic (a delta or a gauge that can go negative is not one)`;
}

function checkHistory(workload: string, history: RegularSeries): void {
  const impossible = impossibleLoad(history);
  if (impossible) throw new UnusableHistoryError(workload, impossible);
  const spanMs = history.values.length * history.stepMs;
  if (spanMs < MIN_HISTORY_MS) throw new UnusableHistoryError(workload, `${(spanMs / HOUR_MS).toFixed(0)} h of history, at least 48 h needed`);
  const gaps = gapShare(history.values);
  if (gaps > MAX_GAP_SHARE)
    throw new UnusableHistoryError(workload, `${Math.round(gaps * 100)}% of the history is missing (at most ${MAX_GAP_SHARE * 100}%)`);
  const recentDay = history.values.slice(-Math.round(DAY_MS / history.stepMs));
  if (gapShare(recentDay) > 0.5) throw new UnusableHistoryError(workload, 'most of the last day is missing: the metric may have stopped');
}

/** Checks the history (from the metric's first datapoint) and forecasts it in the workload's time zone. */
export function forecastTarget(
  target: Pick<PlannedTarget, 'workload' | 'timeZone'> & { readonly calendar?: Calendar },
  window: RegularSeries,
  horizonHours: number,
): QuantileForecast {
  const history = fromFirstDatapoint(window);
  checkHistory(target.workload, history);
  return forecastInZone(history, { horizonMs: horizonHours * HOUR_MS }, target.timeZone ?? TARGET_DEFAULTS.timeZone, target.calendar);
}

/** Plans the floors of a forecast: its `target.quantile`, once, at `target.targetUtilization`, within the budgets. */
export function planForecast(target: PlannedTarget, forecast: QuantileForecast, settings: PlanSettings): TargetPlan {
  const minCapacity = settings.walls ? 0 : (target.minCapacity ?? 0);
  const ceiling = settings.walls ? settings.walls.maxCapacity : (target.maxCapacity ?? Number.MAX_SAFE_INTEGER);
  const wallInput = { minCapacity, walls: settings.walls };
  const plan = planFloors({
    demand: { startMs: forecast.startMs, stepMs: forecast.stepMs, values: forecast[target.quantile] },
    unitThroughput: target.unitThroughput,
    targetUtilization: target.targetUtilization,
    leadTimeMs: target.leadTimeSeconds * 1000,
    minCapacity,
    maxCapacity: Math.max(minCapacity, ceiling),
    walls: settings.walls,
    actionBudget: settings.actionBudget,
    maxDecreasesPerDay: target.maxDecreasesPerDay,
    ...(target.decreaseSlot ? { decreaseSlot: target.decreaseSlot } : {}),
  });
  return { forecast, plan, wallInput };
}

/** The error of the forecast a run a day ago would have made, over the day since. */
export function previousDayError(window: RegularSeries, timeZone: string = TARGET_DEFAULTS.timeZone): ForecastError | undefined {
  const history = fromFirstDatapoint(window);
  const day = Math.round(DAY_MS / history.stepMs);
  if (history.values.length < 4 * day) return undefined;
  const before = { ...history, values: history.values.slice(0, -day) };
  const forecast = forecastInZone(before, { horizonMs: DAY_MS }, timeZone);
  return forecastError(history.values.slice(-day), forecast.p50, before.values, day);
}

/**
 * The quantile and utilization a target's floors are planned with today: chosen by replaying its own last week
 * (chooseFloorSettings) where the target carries a queue worker's model and the history reaches back far enough,
 * else as configured. The choice reads only the history before today (UTC), so it is the same at every run of a
 * day, as the simulator's headroom-predictive replays it. Pure.
 */
import type { RegularSeries } from '../series/regular-series.ts';
import { chooseFloorSettings, type CandidateScore } from '../simulate/floor-tuning.ts';
import type { FloorSettings, PredictorConfig, PredictorTarget } from './config.ts';

const DAY_MS = 86_400_000;

export interface FloorChoice extends FloorSettings {
  readonly chosenBy: 'backtest' | 'configuration';
  readonly reason: string;
  /** What each candidate scored (backtest only). */
  readonly candidates?: readonly CandidateScore[];
}

/**
 * Choices already made today, by target and model: a warm predictor replays each target once a day, not at every
 * run (a replay costs about a second of CPU a target). Datapoints for yesterday that arrive after the first run
 * of the day wait until tomorrow's choice.
 */
export type FloorChoiceMemo = Map<string, FloorChoice>;

/** The part of a window before `endMs`. */
function before(window: RegularSeries, endMs: number): RegularSeries {
  const steps = Math.max(0, Math.floor((endMs - window.startMs) / window.stepMs));
  return { ...window, values: window.values.slice(0, steps) };
}

export function chooseTodaysFloorSettings(
  config: Pick<PredictorConfig, 'horizonHours'>,
  target: PredictorTarget,
  window: RegularSeries,
  /** The walls the floors are planned within. */
  walls: { readonly minCapacity: number; readonly maxCapacity: number },
  actionBudget: number,
  nowMs: number,
  memo?: FloorChoiceMemo,
): FloorChoice {
  const configured = { quantile: target.quantile, targetUtilization: target.targetUtilization };
  const tuning = target.floorTuning;
  if (!tuning) return { ...configured, chosenBy: 'configuration', reason: 'configured (no queue model to replay)' };
  const dayStartMs = Math.floor(nowMs / DAY_MS) * DAY_MS;
  const key = `${dayStartMs}|${JSON.stringify([target.workload, tuning, target.unitThroughput, target.leadTimeSeconds, walls, actionBudget, configured])}`;
  const known = memo?.get(key);
  if (known) return known;
  const choice = replayedChoice(config, target, tuning, before(window, dayStartMs), walls, actionBudget);
  if (memo) {
    for (const old of memo.keys()) if (!old.startsWith(`${dayStartMs}|`)) memo.delete(old);
    memo.set(key, choice);
  }
  return choice;
}

function replayedChoice(
  config: Pick<PredictorConfig, 'horizonHours'>,
  target: PredictorTarget,
  tuning: NonNullable<PredictorTarget['floorTuning']>,
  history: RegularSeries,
  walls: { readonly minCapacity: number; readonly maxCapacity: number },
  actionBudget: number,
): FloorChoice {
  const configured = { quantile: target.quantile, targetUtilization: target.targetUtilization };
  const tuned = chooseFloorSettings(
    history,
    {
      parameters: {
        throughputPerWorker: target.unitThroughput,
        startupMs: tuning.startupSeconds * 1000,
        sloMs: tuning.acceptableLatencySeconds * 1000,
        minCapacity: walls.minCapacity,
        maxCapacity: Math.max(1, walls.minCapacity, walls.maxCapacity),
        scaleOutCooldownMs: tuning.scaleOutCooldownSeconds * 1000,
      },
      reactive: { target: tuning.reactiveTarget, drainShare: tuning.drainShare },
    },
    { leadTimeMs: target.leadTimeSeconds * 1000, horizonHours: config.horizonHours, actionBudget, timeZone: target.timeZone },
  );
  if (!tuned) return { ...configured, chosenBy: 'configuration', reason: 'configured: too little history before today to replay a week' };
  return { ...tuned.chosen, chosenBy: 'backtest', reason: tuned.reason, candidates: tuned.candidates };
}

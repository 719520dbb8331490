/**
 * Chooses a workload's floor settings (the forecast quantile and the utilization floors are planned at) by
 * replaying its own recent history through headroom-predictive once per candidate: the predictor's floors
 * (PredictiveFloors, planned by the predictor's own planning code) under the reactive policy the workload
 * deploys. The cheapest candidate that meets the SLO there wins. The predictor Lambda (decideTarget) and the
 * simulator's headroom-predictive both call this, so a backtest replays the deployed choice. Pure.
 */
import { FLOOR_TUNING_DAYS, type FloorSettings } from '../predictor/config.ts';
import type { RegularSeries } from '../series/regular-series.ts';
import { arrivalsPerMinute, missingMinutes } from './arrivals.ts';
import type { BacklogParameters } from './parameters.ts';
import type { ReactiveOptions } from './policies.ts';
import { PredictiveFloors, type ForecastMemo, type PredictiveOptions } from './predictive-floors.ts';
import { simulateReactive } from './replay.ts';
import { cheapestMeetingSlo } from './slo-choice.ts';

const DAY_MINUTES = 1440;

/**
 * The settings tried: the median or the p90 forecast, served at full utilization or with 15% spare. The floor
 * covers the forecast once; the reactive policy above it catches what the forecast missed.
 */
export const FLOOR_CANDIDATES: readonly FloorSettings[] = [
  { quantile: 'p50', targetUtilization: 1 },
  { quantile: 'p50', targetUtilization: 0.85 },
  { quantile: 'p90', targetUtilization: 1 },
  { quantile: 'p90', targetUtilization: 0.85 },
];

/** The predictor plans from two days of history, so a tuning needs those before the days it replays. */
const LEAST_HISTORY_DAYS = FLOOR_TUNING_DAYS + 2;
/** The replay starts this long before the scored days, reactive alone, so each candidate starts from a settled fleet. */
const WARM_UP_MINUTES = DAY_MINUTES;

/** What a replay needs of the workload: its workers, SLO and walls, and the reactive policy it deploys. */
export interface TunedWorkload {
  readonly parameters: BacklogParameters;
  readonly reactive?: ReactiveOptions;
}

export interface CandidateScore {
  readonly settings: FloorSettings;
  readonly sloViolationMinutes: number;
  /** Worker-hours over the replay (its warm-up day is the same for every candidate). */
  readonly capacityHours: number;
}

export interface FloorTuning {
  readonly chosen: FloorSettings;
  readonly candidates: readonly CandidateScore[];
  /** Why the chosen one won, for the predictor's log line. */
  readonly reason: string;
}

const describe = (settings: FloorSettings) => `${settings.quantile} at ${Math.round(settings.targetUtilization * 100)}%`;

/**
 * Replays the last FLOOR_TUNING_DAYS of `history` (load per second, any step from 10 s to 1 h) for every candidate and
 * picks the cheapest that meets the SLO there: with the fewest SLO-violation minutes any candidate achieved (within
 * UNAVOIDABLE_SLACK where none has zero, shared/simulate/slo-choice.ts). Undefined when the history is shorter than those days plus two.
 * Within a step the load is taken as even: an hourly history cannot show a burst inside the hour.
 */
export function chooseFloorSettings(
  history: RegularSeries,
  workload: TunedWorkload,
  options: Omit<PredictiveOptions, 'quantile' | 'targetUtilization' | 'tuner' | 'planFromMinute' | 'floors'> = {},
  candidates: readonly FloorSettings[] = FLOOR_CANDIDATES,
): FloorTuning | undefined {
  const counts = { ...history, values: history.values.map((perSecond) => perSecond * (history.stepMs / 1000)) };
  const arrivals = arrivalsPerMinute(counts);
  if (arrivals.length < LEAST_HISTORY_DAYS * DAY_MINUTES) return undefined;
  const missing = missingMinutes(counts);
  const planFromMinute = arrivals.length - FLOOR_TUNING_DAYS * DAY_MINUTES;
  const replayFrom = planFromMinute - WARM_UP_MINUTES;
  const forecasts: ForecastMemo = options.forecasts ?? new Map();
  const scores = candidates.map((settings) => {
    const floors = new PredictiveFloors(arrivals, missing, history.startMs, workload.parameters, {
      ...options,
      ...settings,
      planFromMinute,
      forecasts,
    });
    const { service } = simulateReactive(
      'headroom-predictive',
      arrivals.slice(replayFrom),
      missing.slice(replayFrom),
      workload.parameters,
      { floorAt: (minute) => floors.floorAt(replayFrom + minute) },
      workload.reactive ?? {},
      () => {},
    );
    return { settings, sloViolationMinutes: service.violationMinutes, capacityHours: service.capacityMinutes / 60 };
  });
  const { chosen, allowed, fewest } = cheapestMeetingSlo(scores, (score) => score.capacityHours);
  return {
    chosen: chosen.settings,
    candidates: scores,
    reason: `${describe(chosen.settings)}: the cheapest of ${scores.length} candidates (${chosen.capacityHours.toFixed(0)} worker-hours) with at most ${allowed} SLO-violation minutes (the fewest: ${fewest}) over the last ${FLOOR_TUNING_DAYS} days`,
  };
}

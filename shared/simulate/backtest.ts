import type { RegularSeries } from '../series/regular-series.ts';
import { arrivalsPerMinute, missingMinutes } from './arrivals.ts';
import { POLICY_NAMES, validateParameters, type BacklogParameters, type PolicyName } from './parameters.ts';
import type { ReactiveOptions } from './policies.ts';
import { chooseFloorSettings } from './floor-tuning.ts';
import { PredictiveFloors, type ForecastBands, type ForecastMemo, type PredictiveOptions, type TunedDay } from './predictive-floors.ts';
import { PROGRESS_EVERY_MINUTES, simulateOracle, simulateReactive, type PolicyTimeline, type Simulated } from './replay.ts';

export type { PolicyTimeline } from './replay.ts';

export interface PolicyScore {
  readonly name: PolicyName;
  /** Minutes in which a message waited longer than the SLO. */
  readonly sloViolationMinutes: number;
  readonly p99WaitSeconds: number;
  /** Worker-hours paid for, start-up included. */
  readonly capacityHours: number;
  readonly scalingActions: number;
  /** capacityHours / the oracle's (NaN when the oracle was not run or used none). */
  readonly capacityHoursVsOracle: number;
}

export interface BacktestParameters extends BacklogParameters {
  /** Multiplies the trace's load. @default 1 */
  readonly scale?: number;
  /** @default every policy, in POLICY_NAMES order */
  readonly policies?: readonly PolicyName[];
}

export interface BacktestOptions {
  /** Called as the simulation advances; `total` is policies x minutes. */
  readonly onProgress?: (done: number, total: number) => void;
  /** headroom-predictive's settings. @default PredictiveScaling's, with each day's quantile and utilization chosen by chooseFloorSettings */
  readonly predictive?: PredictiveOptions;
  /** headroom-reactive's (and headroom-predictive's reactive part's) settings. @default QueueScaledService's defaults */
  readonly reactive?: ReactiveOptions;
}

export interface BacktestResult {
  readonly parameters: BacklogParameters;
  readonly startMs: number;
  /** Messages arriving each minute, scaled. */
  readonly arrivals: readonly number[];
  readonly policies: readonly PolicyScore[];
  readonly timelines: readonly PolicyTimeline[];
  /** The forecasts headroom-predictive planned from, in messages per second (when it ran). */
  readonly forecast?: ForecastBands;
  /**
   * The floor settings headroom-predictive chose each UTC day by replaying the week before (from the ninth day:
   * until then, the configured ones); empty when pinned.
   */
  readonly floorSettings?: readonly TunedDay[];
}

/**
 * headroom-predictive as the predictor runs a queue workload: unless the quantile or the utilization is pinned,
 * each day's are chosen by replaying the history before it (chooseFloorSettings), the predictor's own choice.
 */
function predictiveSettings(parameters: BacklogParameters, options: BacktestOptions): PredictiveOptions {
  const settings = options.predictive ?? {};
  if (settings.quantile !== undefined || settings.targetUtilization !== undefined || settings.tuner) return settings;
  const workload = { parameters, reactive: options.reactive };
  const forecasts: ForecastMemo = new Map();
  return { ...settings, forecasts, tuner: (history) => chooseFloorSettings(history, workload, { ...settings, forecasts })?.chosen };
}

/**
 * Replays per-minute arrivals through each policy and the model of Application Auto Scaling, and scores them side
 * by side. `missing` marks minutes the load metric has no data for. Pure and deterministic.
 */
export function backtestArrivals(
  arrivals: readonly number[],
  startMs: number,
  parameters: BacklogParameters,
  policies: readonly PolicyName[] = POLICY_NAMES,
  options: BacktestOptions & { readonly missing?: readonly boolean[] } = {},
): BacktestResult {
  validateParameters(parameters);
  const unknown = policies.filter((policy) => !POLICY_NAMES.includes(policy));
  if (unknown.length > 0) throw new RangeError(`unknown policy ${unknown.join(', ')}: use ${POLICY_NAMES.join(', ')}`);
  const missing = options.missing ?? [];
  const total = policies.length * arrivals.length;
  let done = 0;
  const report = (minutes: number) => {
    done = Math.min(total, done + minutes);
    options.onProgress?.(done, total);
  };
  let predictive: PredictiveFloors | undefined;
  const runs = policies.map((name, index) => {
    const tick = () => report(PROGRESS_EVERY_MINUTES);
    let run: Simulated;
    if (name === 'oracle') run = simulateOracle(arrivals, parameters, tick);
    else {
      const floors =
        name === 'headroom-predictive'
          ? (predictive = new PredictiveFloors(arrivals, missing, startMs, parameters, predictiveSettings(parameters, options)))
          : undefined;
      run = simulateReactive(name, arrivals, missing, parameters, floors, options.reactive ?? {}, tick);
    }
    done = (index + 1) * arrivals.length;
    options.onProgress?.(done, total);
    return run;
  });
  const oracleMinutes = runs.find((run) => run.timeline.name === 'oracle')?.service.capacityMinutes;
  const scores = runs.map(({ service, timeline }) => ({
    name: timeline.name,
    sloViolationMinutes: service.violationMinutes,
    p99WaitSeconds: service.p99WaitSeconds(),
    capacityHours: service.capacityMinutes / 60,
    scalingActions: service.scalingActions,
    capacityHoursVsOracle: oracleMinutes ? service.capacityMinutes / oracleMinutes : Number.NaN,
  }));
  return {
    parameters,
    startMs,
    arrivals,
    policies: scores,
    timelines: runs.map((run) => run.timeline),
    ...(predictive ? { forecast: predictive.forecastBands(), floorSettings: predictive.tunedDays } : {}),
  };
}

/**
 * Backtests a load trace (messages arriving per step, any step from 10 s to 1 h; NaN = no data) through the
 * policies asked for. Pure and deterministic.
 */
export function runBacktest(series: RegularSeries, parameters: BacktestParameters, options: BacktestOptions = {}): BacktestResult {
  const { scale = 1, policies = POLICY_NAMES, ...backlog } = parameters;
  if (!(scale > 0 && Number.isFinite(scale))) throw new RangeError(`scale must be a positive number, got ${scale}`);
  return backtestArrivals(arrivalsPerMinute(series, scale), series.startMs, backlog, policies, { ...options, missing: missingMinutes(series) });
}

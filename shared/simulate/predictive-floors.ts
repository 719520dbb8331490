import { InsufficientHistoryError, type QuantileForecast } from '../forecast/index.ts';
import type { FloorPlan } from '../plan/index.ts';
import { DEFAULT_HISTORY_DAYS, TARGET_DEFAULTS, type Quantile } from '../predictor/config.ts';
import { planTarget, UnusableHistoryError } from '../predictor/plan-target.ts';
import type { BacklogParameters } from './parameters.ts';

const HOUR_MINUTES = 60;
const HOUR_MS = 3_600_000;
const HISTORY_HOURS = DEFAULT_HISTORY_DAYS * 24;

/** headroom-predictive's settings; the defaults are PredictiveScaling's. */
export interface PredictiveOptions {
  /** How often the predictor re-plans. @default 60 minutes */
  readonly replanMinutes?: number;
  /** @default 24 */
  readonly horizonHours?: number;
  /** The forecast quantile floors are planned from. @default 'p90' */
  readonly quantile?: Quantile;
  /** @default 0.7 */
  readonly targetUtilization?: number;
  /** How much earlier floors rise than the load they are for. @default the start-up delay, at least 5 minutes */
  readonly leadTimeMs?: number;
  /** @default 100 (of the 200 scheduled actions a scalable target may have) */
  readonly actionBudget?: number;
  /** IANA time zone the load's daily and weekly cycles follow. @default 'UTC' */
  readonly timeZone?: string;
  /** False runs the reactive part alone, to measure what the floors add. @default true */
  readonly floors?: boolean;
}

const DEFAULT_LEAD_TIME_MS = 5 * 60_000;

/** The forecast in force at each minute, in messages per second (NaN before the first forecast). */
export interface ForecastBands {
  readonly p50: readonly number[];
  readonly p90: readonly number[];
  readonly p99: readonly number[];
}

/**
 * headroom's predictor inside the simulator: every `replanMinutes` it plans from the hourly arrivals seen so far
 * (never the future; at most the days the predictor reads by default) with the predictor Lambda's own planning
 * (planTarget: the same history checks, forecast, plan and budgets), and holds the floor in force at each minute
 * until the next re-plan. Where the predictor would plan nothing (history too short or too gappy), so does this.
 */
export class PredictiveFloors {
  private readonly floors: Int32Array;
  private readonly cumulative: Float64Array;
  private readonly missingCumulative: Int32Array;
  private readonly bands: { p50: Float64Array; p90: Float64Array; p99: Float64Array };
  replans = 0;

  constructor(
    arrivals: readonly number[],
    /** Minutes the trace has no data for: an hour mostly missing is a gap in the predictor's history too. */
    missing: readonly boolean[],
    private readonly startMs: number,
    private readonly parameters: BacklogParameters,
    private readonly options: PredictiveOptions = {},
  ) {
    this.floors = new Int32Array(arrivals.length).fill(parameters.minCapacity);
    this.cumulative = new Float64Array(arrivals.length + 1);
    this.missingCumulative = new Int32Array(arrivals.length + 1);
    arrivals.forEach((value, minute) => {
      this.cumulative[minute + 1] = this.cumulative[minute]! + value;
      this.missingCumulative[minute + 1] = this.missingCumulative[minute]! + (missing[minute] ? 1 : 0);
    });
    const empty = () => new Float64Array(arrivals.length).fill(Number.NaN);
    this.bands = { p50: empty(), p90: empty(), p99: empty() };
  }

  /** Re-plans when it is time to; returns the floor for this minute. */
  floorAt(minute: number): number {
    if (this.options.floors === false) return this.parameters.minCapacity;
    if (minute % (this.options.replanMinutes ?? HOUR_MINUTES) === 0) this.replan(minute);
    return this.floors[minute] ?? this.parameters.minCapacity;
  }

  forecastBands(): ForecastBands {
    return { p50: Array.from(this.bands.p50), p90: Array.from(this.bands.p90), p99: Array.from(this.bands.p99) };
  }

  private replan(minute: number): void {
    const completeHours = Math.floor(minute / HOUR_MINUTES);
    const firstHour = Math.max(0, completeHours - HISTORY_HOURS);
    const values: number[] = [];
    for (let hour = firstHour; hour < completeHours; hour++) {
      const [from, to] = [hour * HOUR_MINUTES, (hour + 1) * HOUR_MINUTES];
      const gap = this.missingCumulative[to]! - this.missingCumulative[from]! > HOUR_MINUTES / 2;
      values.push(gap ? Number.NaN : (this.cumulative[to]! - this.cumulative[from]!) / 3600);
    }
    const history = { startMs: this.startMs + firstHour * HOUR_MS, stepMs: HOUR_MS, values };
    let planned: { forecast: QuantileForecast; plan: FloorPlan };
    try {
      planned = planTarget(
        {
          workload: 'headroom-predictive',
          unitThroughput: this.parameters.throughputPerWorker,
          targetUtilization: this.options.targetUtilization ?? TARGET_DEFAULTS.targetUtilization,
          leadTimeSeconds: (this.options.leadTimeMs ?? Math.max(this.parameters.startupMs, DEFAULT_LEAD_TIME_MS)) / 1000,
          quantile: this.options.quantile ?? TARGET_DEFAULTS.quantile,
          minCapacity: this.parameters.minCapacity,
          maxCapacity: this.parameters.maxCapacity,
          timeZone: this.options.timeZone,
        },
        history,
        { horizonHours: this.options.horizonHours ?? 24, actionBudget: this.options.actionBudget ?? TARGET_DEFAULTS.actionBudget },
      );
    } catch (error) {
      // Like the predictor, schedule nothing from a history it would not plan from.
      if (error instanceof UnusableHistoryError || error instanceof InsufficientHistoryError) return;
      throw error;
    }
    const { forecast, plan } = planned;
    this.replans++;
    // The new plan replaces the old from now on; the old one's floors before now stay as they were.
    const minutes = this.floors.length;
    const toMinute = (ms: number) => Math.round((ms - this.startMs) / 60_000);
    this.floors.fill(this.parameters.minCapacity, minute);
    for (const step of plan.steps)
      this.floors.fill(step.minCapacity, Math.max(minute, toMinute(step.startMs)), Math.min(minutes, Math.max(0, toMinute(step.endMs))));
    const stepMinutes = forecast.stepMs / 60_000;
    forecast.p50.forEach((_, index) => {
      const from = Math.max(minute, toMinute(forecast.startMs) + index * stepMinutes);
      const to = Math.min(minutes, from + stepMinutes);
      if (from >= to) return;
      this.bands.p50.fill(forecast.p50[index]!, from, to);
      this.bands.p90.fill(forecast.p90[index]!, from, to);
      this.bands.p99.fill(forecast.p99[index]!, from, to);
    });
  }
}

import type { DecreaseShare } from '../plan/dynamodb-decreases.ts';
import { InsufficientHistoryError, type QuantileForecast } from '../forecast/index.ts';
import { DEFAULT_HISTORY_DAYS, FLOOR_TUNING_DAYS, TARGET_DEFAULTS, type FloorSettings, type Quantile } from '../predictor/config.ts';
import { forecastTarget, planForecast, UnusableHistoryError } from '../predictor/plan-target.ts';
import type { RegularSeries } from '../series/regular-series.ts';
import type { BacklogParameters } from './parameters.ts';

const HOUR_MINUTES = 60;
const DAY_MINUTES = 1440;
const HOUR_MS = 3_600_000;
const HISTORY_HOURS = DEFAULT_HISTORY_DAYS * 24;

/** Chooses a day's floor settings from the hourly load history (per second) before it; undefined keeps the configured ones. */
export type FloorTuner = (history: RegularSeries) => FloorSettings | undefined;

/**
 * Forecasts by the span of load history they were made from (undefined where it was unusable), shared by the
 * replays of one load: a forecast depends only on its history, not on the floor settings being tried.
 */
export type ForecastMemo = Map<string, QuantileForecast | undefined>;

/** headroom-predictive's settings; the defaults are PredictiveScaling's. */
export interface PredictiveOptions {
  /** How often the predictor re-plans. @default 60 minutes */
  readonly replanMinutes?: number;
  /** @default 24 */
  readonly horizonHours?: number;
  /** The forecast quantile floors are planned from. @default TARGET_DEFAULTS.quantile */
  readonly quantile?: Quantile;
  /** @default TARGET_DEFAULTS.targetUtilization */
  readonly targetUtilization?: number;
  /** How much earlier floors rise than the load they are for. @default the start-up delay, at least 5 minutes */
  readonly leadTimeMs?: number;
  /** @default 100 (of the 200 scheduled actions a scalable target may have) */
  readonly actionBudget?: number;
  /** IANA time zone the load's daily and weekly cycles follow. @default 'UTC' */
  readonly timeZone?: string;
  /** False runs the reactive part alone, to measure what the floors add. @default true */
  readonly floors?: boolean;
  /**
   * Picks each UTC day's quantile and utilization from the history before that day, as the predictor does for a
   * workload it can replay (chooseFloorSettings). @default none: quantile and targetUtilization throughout
   */
  readonly tuner?: FloorTuner;
  /** No floor is planned before this minute (a tuning replays only its last days). @default 0 */
  readonly planFromMinute?: number;
  /** Forecasts shared with other replays of the same load. */
  readonly forecasts?: ForecastMemo;
  /** DynamoDB: the target's share of its table's decreases and its hour slot (allocateDecreases). @default none */
  readonly decreases?: DecreaseShare;
}

/** The floor settings a tuner chose, from the UTC day starting at `fromMs`. */
export interface TunedDay {
  readonly fromMs: number;
  readonly settings: FloorSettings;
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
 * (forecastTarget and planForecast: the same history checks, forecast, plan and budgets), and holds the floor in force at each minute until the next re-plan. Where the predictor would plan
 * nothing (history too short or too gappy), so does this. With a tuner, each UTC day's settings are chosen from
 * the history before the day, as the predictor chooses them.
 */
export class PredictiveFloors {
  private readonly floors: Int32Array;
  private readonly cumulative: Float64Array;
  private readonly missingCumulative: Int32Array;
  private readonly bands: { p50: Float64Array; p90: Float64Array; p99: Float64Array };
  private settings: FloorSettings;
  private tunedDay = Number.NaN;
  readonly tunedDays: TunedDay[] = [];
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
    this.settings = {
      quantile: options.quantile ?? TARGET_DEFAULTS.quantile,
      targetUtilization: options.targetUtilization ?? TARGET_DEFAULTS.targetUtilization,
    };
  }

  /** Re-plans when it is time to; returns the floor for this minute. */
  floorAt(minute: number): number {
    if (this.options.floors === false) return this.parameters.minCapacity;
    if (minute % (this.options.replanMinutes ?? HOUR_MINUTES) === 0 && minute >= (this.options.planFromMinute ?? 0)) this.replan(minute);
    return this.floors[minute] ?? this.parameters.minCapacity;
  }

  forecastBands(): ForecastBands {
    return { p50: Array.from(this.bands.p50), p90: Array.from(this.bands.p90), p99: Array.from(this.bands.p99) };
  }

  /** The hourly load per second over the complete hours before `minute`, at most `hours` of them. */
  private historyBefore(minute: number, hours = HISTORY_HOURS): RegularSeries {
    const completeHours = Math.floor(minute / HOUR_MINUTES);
    const firstHour = Math.max(0, completeHours - hours);
    const values: number[] = [];
    for (let hour = firstHour; hour < completeHours; hour++) {
      const [from, to] = [hour * HOUR_MINUTES, (hour + 1) * HOUR_MINUTES];
      const gap = this.missingCumulative[to]! - this.missingCumulative[from]! > HOUR_MINUTES / 2;
      values.push(gap ? Number.NaN : (this.cumulative[to]! - this.cumulative[from]!) / 3600);
    }
    return { startMs: this.startMs + firstHour * HOUR_MS, stepMs: HOUR_MS, values };
  }

  /** Once per UTC day, as the predictor does: the tuner's settings from the history before the day began. */
  private tune(minute: number): void {
    const tuner = this.options.tuner;
    if (!tuner) return;
    const dayStartMinute = minute - Math.floor((((this.startMs / 60_000 + minute) % DAY_MINUTES) + DAY_MINUTES) % DAY_MINUTES);
    if (dayStartMinute === this.tunedDay) return;
    this.tunedDay = dayStartMinute;
    const settings = tuner(this.historyBefore(Math.max(0, dayStartMinute), HISTORY_HOURS + FLOOR_TUNING_DAYS * 24));
    if (!settings) return;
    this.settings = settings;
    this.tunedDays.push({ fromMs: this.startMs + dayStartMinute * 60_000, settings });
  }

  private forecastAt(minute: number): QuantileForecast | undefined {
    const history = this.historyBefore(minute);
    const memo = this.options.forecasts;
    const span = `${history.startMs}+${history.values.length}`;
    if (memo?.has(span)) return memo.get(span);
    let forecast: QuantileForecast | undefined;
    try {
      forecast = forecastTarget({ workload: 'headroom-predictive', timeZone: this.options.timeZone }, history, this.options.horizonHours ?? 24);
    } catch (error) {
      // Like the predictor, schedule nothing from a history it would not plan from.
      if (!(error instanceof UnusableHistoryError || error instanceof InsufficientHistoryError)) throw error;
    }
    memo?.set(span, forecast);
    return forecast;
  }

  private replan(minute: number): void {
    this.tune(minute);
    const forecast = this.forecastAt(minute);
    if (!forecast) return;
    const { plan } = planForecast(
      {
        workload: 'headroom-predictive',
        unitThroughput: this.parameters.throughputPerWorker,
        leadTimeSeconds: (this.options.leadTimeMs ?? Math.max(this.parameters.startupMs, DEFAULT_LEAD_TIME_MS)) / 1000,
        minCapacity: this.parameters.minCapacity,
        maxCapacity: this.parameters.maxCapacity,
        ...this.options.decreases,
        ...this.settings,
      },
      forecast,
      { horizonHours: this.options.horizonHours ?? 24, actionBudget: this.options.actionBudget ?? TARGET_DEFAULTS.actionBudget },
    );
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

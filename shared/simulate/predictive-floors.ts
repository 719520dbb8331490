import { forecastSeries } from '../forecast/index.ts';
import { planFloors } from '../plan/index.ts';
import type { BacklogParameters } from './parameters.ts';

const HOUR_MINUTES = 60;
const MIN_HISTORY_HOURS = 48;
const HISTORY_HOURS = 14 * 24;

export interface PredictiveOptions {
  /** How often the predictor re-plans. @default 60 minutes */
  readonly replanMinutes?: number;
  /** @default 24 */
  readonly horizonHours?: number;
  /** @default 0.8 */
  readonly targetUtilization?: number;
}

/**
 * headroom's predictor inside the simulator: every `replanMinutes` it forecasts from the hourly arrivals seen so
 * far (never the future), plans floors with the same planner the Lambda uses, and returns the floor in force at
 * each minute until the next re-plan.
 */
export class PredictiveFloors {
  private readonly floors = new Map<number, number>();

  constructor(
    private readonly arrivals: readonly number[],
    private readonly startMs: number,
    private readonly parameters: BacklogParameters,
    private readonly options: PredictiveOptions = {},
  ) {}

  /** Re-plans when it is time to; returns the floor for this minute. */
  floorAt(minute: number): number {
    const every = this.options.replanMinutes ?? HOUR_MINUTES;
    if (minute % every === 0) this.replan(minute);
    return this.floors.get(minute) ?? this.parameters.minCapacity;
  }

  private replan(minute: number): void {
    this.floors.clear();
    const completeHours = Math.floor(minute / HOUR_MINUTES);
    if (completeHours < MIN_HISTORY_HOURS) return;
    const firstHour = Math.max(0, completeHours - HISTORY_HOURS);
    const values: number[] = [];
    for (let hour = firstHour; hour < completeHours; hour++) {
      let sum = 0;
      for (let m = hour * HOUR_MINUTES; m < (hour + 1) * HOUR_MINUTES; m++) sum += this.arrivals[m] ?? 0;
      values.push(sum / 3600);
    }
    const history = { startMs: this.startMs + firstHour * 3_600_000, stepMs: 3_600_000, values };
    const forecast = forecastSeries(history, { horizonMs: (this.options.horizonHours ?? 24) * 3_600_000 });
    const plan = planFloors({
      demand: { startMs: forecast.startMs, stepMs: forecast.stepMs, values: forecast.p90 },
      unitThroughput: this.parameters.throughputPerWorker,
      targetUtilization: this.options.targetUtilization ?? 0.8,
      leadTimeMs: this.parameters.startupMs,
      floor: this.parameters.minCapacity,
      max: this.parameters.maxCapacity,
      actionBudget: 200,
    });
    for (const step of plan.steps) {
      const from = Math.max(minute, Math.round((step.startMs - this.startMs) / 60_000));
      const to = Math.round((step.endMs - this.startMs) / 60_000);
      for (let m = from; m < to; m++) this.floors.set(m, step.minCapacity);
    }
  }
}

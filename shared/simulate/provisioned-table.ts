import { TargetTrackingPolicy, ScalingDecider } from './scaling-rules.ts';

/**
 * A DynamoDB table in provisioned mode, by the minute: requests beyond provisioned capacity are throttled (no burst
 * credit is modelled), target tracking keeps consumed / provisioned near the target utilization, and DynamoDB's
 * limit on decreases (at most `decreasesPerDay` a UTC day; AWS allows 4 in the first hour and 1 an hour after, up
 * to 27 a day) holds scale-in back.
 */
export interface ProvisionedTableParameters {
  readonly minCapacity: number;
  readonly maxCapacity: number;
  /** Percent, 20-90. */
  readonly targetUtilizationPercent: number;
  /** @default 27 */
  readonly decreasesPerDay?: number;
  /** A floor per minute (the predictor's), if any. */
  readonly floorAt?: (minute: number) => number;
}

export interface ProvisionedTableScore {
  /** Capacity units requested but throttled, summed over minutes (unit-minutes). */
  readonly throttledUnitMinutes: number;
  readonly minutesWithThrottles: number;
  readonly provisionedUnitHours: number;
  readonly decreases: number;
}

export function simulateProvisionedTable(demandPerMinute: readonly number[], parameters: ProvisionedTableParameters): ProvisionedTableScore {
  const tracking = new TargetTrackingPolicy(parameters.targetUtilizationPercent);
  // Application Auto Scaling's default cooldowns for DynamoDB tables are 0 s.
  const decider = new ScalingDecider({ scaleOutMinutes: 0, scaleInMinutes: 0 });
  const limit = parameters.decreasesPerDay ?? 27;
  let provisioned = parameters.minCapacity;
  let throttled = 0;
  let throttledMinutes = 0;
  let unitMinutes = 0;
  let decreases = 0;
  const decreasesByDay = new Map<number, number>();
  demandPerMinute.forEach((demand, minute) => {
    const floor = Math.max(parameters.minCapacity, parameters.floorAt?.(minute) ?? 0);
    if (provisioned < floor) provisioned = floor;
    const consumed = Math.min(demand, provisioned);
    if (demand > provisioned) {
      throttled += demand - provisioned;
      throttledMinutes++;
    }
    unitMinutes += provisioned;
    tracking.observe(provisioned > 0 ? (100 * consumed) / provisioned : Number.NaN);
    let next = decider.decide(minute, provisioned, [tracking.propose()], [], { min: floor, max: parameters.maxCapacity });
    const day = Math.floor(minute / 1440);
    if (next < provisioned) {
      if ((decreasesByDay.get(day) ?? 0) >= limit) next = provisioned;
      else {
        decreasesByDay.set(day, (decreasesByDay.get(day) ?? 0) + 1);
        decreases++;
      }
    }
    provisioned = next;
  });
  return { throttledUnitMinutes: throttled, minutesWithThrottles: throttledMinutes, provisionedUnitHours: unitMinutes / 60, decreases };
}

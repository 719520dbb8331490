import { TargetTrackingPolicy, ScalingDecider, type Cooldowns, type ScaleInModel } from './scaling-rules.ts';

/**
 * A DynamoDB table in provisioned mode, by the minute: requests beyond provisioned capacity are throttled (no burst
 * credit is modelled), target tracking keeps consumed / provisioned near the target utilization ("Managing
 * throughput capacity automatically with DynamoDB auto scaling", Amazon DynamoDB Developer Guide: auto scaling is
 * an Application Auto Scaling target tracking policy on consumed / provisioned capacity), and DynamoDB's limit on
 * decreases ("Service, account, and table quotas in Amazon DynamoDB": 4 decreases at any time, then one more per
 * hour without one, at most 27 a UTC day; modelled as `decreasesPerDay`) holds scale-in back. Target tracking's
 * scale-in step is unpublished here too: `scaleInModel` as for ECS.
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
  /** @default 'proportional' */
  readonly scaleInModel?: ScaleInModel;
  /** @default TableScaling's: 1 minute out, 15 minutes in (DynamoDB's daily decrease limit makes scale-in precious) */
  readonly cooldowns?: Cooldowns;
}

/** What TableScaling (stacks/table-scaling) deploys by default, so the backtest replays the construct. */
export const TABLE_SCALING_COOLDOWNS: Cooldowns = { scaleOutMinutes: 1, scaleInMinutes: 15 };

export interface ProvisionedTableScore {
  /** Capacity units requested but throttled, summed over minutes (unit-minutes). */
  readonly throttledUnitMinutes: number;
  readonly minutesWithThrottles: number;
  readonly provisionedUnitHours: number;
  readonly decreases: number;
}

export function simulateProvisionedTable(demandPerMinute: readonly number[], parameters: ProvisionedTableParameters): ProvisionedTableScore {
  const tracking = new TargetTrackingPolicy(parameters.targetUtilizationPercent);
  const decider = new ScalingDecider(parameters.cooldowns ?? TABLE_SCALING_COOLDOWNS, parameters.scaleInModel);
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

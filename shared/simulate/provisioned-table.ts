import { decreaseAllowed, DYNAMODB_DECREASE_QUOTA } from '../plan/dynamodb-decreases.ts';
import { TargetTrackingPolicy, ScalingDecider, type Cooldowns, type ScaleInModel } from './scaling-rules.ts';

/**
 * A DynamoDB table in provisioned mode, by the minute: requests beyond provisioned capacity are throttled (no burst
 * credit is modelled), target tracking keeps consumed / provisioned near the target utilization ("Managing
 * throughput capacity automatically with DynamoDB auto scaling", Amazon DynamoDB Developer Guide: auto scaling is
 * an Application Auto Scaling target tracking policy on consumed / provisioned capacity), and DynamoDB's limit on
 * decreases ("Quotas in Amazon DynamoDB": 4 decreases at any time in a UTC day, then one more only after an hour
 * without one, at most 27; decreaseAllowed) holds scale-in back: a scale-in it would refuse does not happen. The
 * table's other scalable target (read or write) draws on the same budget: its decreases are `otherDecreaseMinutes`.
 * Target tracking's scale-in step is unpublished here too: `scaleInModel` as for ECS.
 */
export interface ProvisionedTableParameters {
  readonly minCapacity: number;
  readonly maxCapacity: number;
  /** Percent, 20-90. */
  readonly targetUtilizationPercent: number;
  /** A stricter daily cap than DynamoDB's, to test against. @default 27 (DYNAMODB_DECREASE_QUOTA.perDay) */
  readonly decreasesPerDay?: number;
  /** Minutes (from the trace's start, a UTC midnight) at which other actors decrease the same table. @default none */
  readonly otherDecreaseMinutes?: readonly number[];
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
  /** Scale-ins target tracking wanted that DynamoDB's decrease quota refused. */
  readonly refusedDecreases: number;
}

export function simulateProvisionedTable(demandPerMinute: readonly number[], parameters: ProvisionedTableParameters): ProvisionedTableScore {
  const tracking = new TargetTrackingPolicy(parameters.targetUtilizationPercent);
  const decider = new ScalingDecider(parameters.cooldowns ?? TABLE_SCALING_COOLDOWNS, parameters.scaleInModel);
  const limit = parameters.decreasesPerDay ?? DYNAMODB_DECREASE_QUOTA.perDay;
  const decreaseTimes = (parameters.otherDecreaseMinutes ?? []).map((minute) => minute * 60_000);
  let refused = 0;
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
      const atMs = minute * 60_000;
      if ((decreasesByDay.get(day) ?? 0) >= limit || !decreaseAllowed(decreaseTimes, atMs)) {
        next = provisioned;
        refused++;
      } else {
        decreasesByDay.set(day, (decreasesByDay.get(day) ?? 0) + 1);
        decreaseTimes.push(atMs);
        decreases++;
      }
    }
    provisioned = next;
  });
  return {
    throttledUnitMinutes: throttled,
    minutesWithThrottles: throttledMinutes,
    provisionedUnitHours: unitMinutes / 60,
    decreases,
    refusedDecreases: refused,
  };
}

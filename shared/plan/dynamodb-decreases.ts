/**
 * DynamoDB's quota on capacity decreases, and how the predictor shares it with target tracking.
 *
 * "Quotas in Amazon DynamoDB", Decreasing provisioned throughput
 * (https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/ServiceQuotas.html): a table's or global
 * secondary index's ReadCapacityUnits or WriteCapacityUnits (or both) may be decreased up to four times at any
 * time in a UTC day; after that, one more decrease is allowed if there was none in the past hour, so at most 27 a
 * day. Table and GSI decrease limits are decoupled: each GSI has its own. Application Auto Scaling lowers read and
 * write in separate UpdateTable calls, so the read and write scalable targets of one table (or of one index) draw
 * on one budget, and so does every actor that lowers them: target tracking's scale-ins, the capacity that follows
 * the predictor's restores, the user's own changes.
 */

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;

export const DYNAMODB_DECREASE_QUOTA = {
  /** Decreases allowed at any time in a UTC day. */
  anyTimePerDay: 4,
  /** Beyond those, a decrease needs this long without one. */
  pacingMs: HOUR_MS,
  /** What the two rules allow in a day: 4 in its first hour, one in each of the 23 hours after. */
  perDay: 27,
} as const;

/**
 * Of a resource's 27 decreases a day, the most the predictor's floor drops may cause (summed over its read and
 * write targets); the other 19 are left to target tracking and the user.
 */
export const PREDICTOR_DECREASES_PER_RESOURCE = 8;

/** Whether DynamoDB accepts a decrease at `atMs` on a table (or index) that was decreased at `previousMs`. */
export function decreaseAllowed(previousMs: readonly number[], atMs: number): boolean {
  const dayStart = Math.floor(atMs / DAY_MS) * DAY_MS;
  const today = previousMs.filter((time) => time >= dayStart && time <= atMs);
  if (today.length < DYNAMODB_DECREASE_QUOTA.anyTimePerDay) return true;
  if (today.length >= DYNAMODB_DECREASE_QUOTA.perDay) return false;
  return !previousMs.some((time) => time <= atMs && atMs - time < DYNAMODB_DECREASE_QUOTA.pacingMs);
}

/**
 * The budget a DynamoDB scalable target draws decreases from: `table/<name>` for the table's read and write,
 * `table/<name>/index/<index>` for an index's (the Application Auto Scaling resource id, which is exactly that).
 */
export function decreaseResource(resourceId: string): string {
  return resourceId;
}

/**
 * Which hours a target's plan may lower its floor in: the UTC hours h with h % of === index. Targets sharing a
 * resource get different slots, so their drops are at least an hour apart and never trip the pacing rule together.
 */
export interface DecreaseSlot {
  readonly index: number;
  readonly of: number;
}

export interface DecreaseShare {
  /** The most floor drops a UTC day this target's plan may make. */
  readonly maxDecreasesPerDay: number;
  readonly decreaseSlot: DecreaseSlot;
}

export interface DecreaseClaim {
  readonly workload: string;
  readonly resourceId: string;
  /** A share the user set; the rest of the resource's is split among the targets that set none. */
  readonly maxDecreasesPerDay?: number;
}

export interface DecreaseAllocation {
  readonly shares: ReadonlyMap<string, DecreaseShare>;
  /** Resources whose targets were given more than PREDICTOR_DECREASES_PER_RESOURCE in all, by resource. */
  readonly overCommitted: readonly { readonly resourceId: string; readonly total: number; readonly workloads: readonly string[] }[];
}

/**
 * Splits each resource's PREDICTOR_DECREASES_PER_RESOURCE among the DynamoDB targets that share it (in the order
 * given, the first ones taking any remainder, each at least one), and gives them disjoint hour slots.
 */
export function allocateDecreases(claims: readonly DecreaseClaim[]): DecreaseAllocation {
  const byResource = new Map<string, DecreaseClaim[]>();
  for (const claim of claims) {
    const key = decreaseResource(claim.resourceId);
    byResource.set(key, [...(byResource.get(key) ?? []), claim]);
  }
  const shares = new Map<string, DecreaseShare>();
  const overCommitted: { resourceId: string; total: number; workloads: string[] }[] = [];
  for (const [resourceId, group] of byResource) {
    const fixed = group.reduce((sum, claim) => sum + (claim.maxDecreasesPerDay ?? 0), 0);
    const open = group.filter((claim) => claim.maxDecreasesPerDay === undefined);
    const left = Math.max(0, PREDICTOR_DECREASES_PER_RESOURCE - fixed);
    let given = 0;
    group.forEach((claim, index) => {
      let share = claim.maxDecreasesPerDay;
      if (share === undefined) {
        const rank = open.indexOf(claim);
        share = Math.max(1, Math.floor(left / open.length) + (rank < left % open.length ? 1 : 0));
      }
      given += share;
      shares.set(claim.workload, { maxDecreasesPerDay: share, decreaseSlot: { index, of: group.length } });
    });
    if (given > PREDICTOR_DECREASES_PER_RESOURCE) overCommitted.push({ resourceId, total: given, workloads: group.map((claim) => claim.workload) });
  }
  return { shares, overCommitted };
}

/** The first time at or after `timeMs` that starts an hour of `slot`. */
export function nextSlotStart(timeMs: number, slot: DecreaseSlot): number {
  let hour = Math.ceil(timeMs / HOUR_MS);
  while (((hour % slot.of) + slot.of) % slot.of !== slot.index) hour++;
  return hour * HOUR_MS;
}

/**
 * Turns forecast demand into capacity floors that are safe to schedule: a minimal list of steps, each a raise
 * of the minimum capacity paired with its restore, clamped to the configured floor and maximum and kept within
 * an action budget. Pure and deterministic; all times are epoch milliseconds (UTC).
 */
export interface FloorPlanInput {
  /** Load per step to be served (e.g. a forecast's p90), in load units per second. */
  readonly demand: { readonly startMs: number; readonly stepMs: number; readonly values: readonly number[] };
  /** Load units per second one capacity unit serves at 100% utilization. */
  readonly unitThroughput: number;
  /** The utilization to plan for, in (0, 1]. */
  readonly targetUtilization: number;
  /** Start-up lead time: floors rise this much before the load they are for. */
  readonly leadTimeMs: number;
  /** The configured minimum: never scheduled below, and steps at or below it are not scheduled at all. */
  readonly floor: number;
  /** The configured maximum: never scheduled above. */
  readonly max: number;
  /** The most scheduled actions the plan may use (a raise and its restore count one each). */
  readonly actionBudget: number;
  /** The finest granularity of floor changes. @default 1 hour */
  readonly minStepMs?: number;
  /** DynamoDB: the most capacity decreases (restores and step-downs) per UTC day. @default unlimited */
  readonly maxDecreasesPerDay?: number;
}

export interface FloorStep {
  readonly startMs: number;
  readonly endMs: number;
  readonly minCapacity: number;
}

export interface FloorPlan {
  /** Sorted, non-overlapping; each minCapacity is above the floor and at most the max. */
  readonly steps: readonly FloorStep[];
  readonly notes: readonly string[];
}

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;

/** An input the planner cannot plan with; the message names the field. */
export class FloorPlanInputError extends RangeError {
  constructor(field: string, problem: string) {
    super(`planFloors: ${field} ${problem}`);
    this.name = 'FloorPlanInputError';
  }
}

function requireFinite(field: string, value: number, check: (value: number) => boolean, expectation: string): void {
  if (typeof value !== 'number' || !Number.isFinite(value) || !check(value)) {
    throw new FloorPlanInputError(field, `must be ${expectation}, got ${value}`);
  }
}

function validate(input: FloorPlanInput): void {
  requireFinite('demand.stepMs', input.demand.stepMs, (v) => v > 0, 'a positive number of milliseconds');
  requireFinite('demand.startMs', input.demand.startMs, () => true, 'a finite epoch time in milliseconds');
  input.demand.values.forEach((value, index) => requireFinite(`demand.values[${index}]`, value, (v) => v >= 0, 'a finite load >= 0 (plan from a gap-free forecast)'));
  requireFinite('unitThroughput', input.unitThroughput, (v) => v > 0, 'a positive load per capacity unit');
  requireFinite('targetUtilization', input.targetUtilization, (v) => v > 0 && v <= 1, 'in (0, 1]');
  requireFinite('leadTimeMs', input.leadTimeMs, (v) => v >= 0, 'a duration >= 0');
  requireFinite('floor', input.floor, (v) => Number.isInteger(v) && v >= 0, 'a whole number >= 0');
  requireFinite('max', input.max, (v) => Number.isInteger(v) && v >= input.floor, `a whole number >= floor (${input.floor})`);
  requireFinite('actionBudget', input.actionBudget, (v) => Number.isInteger(v) && v >= 0, 'a whole number >= 0');
  requireFinite('minStepMs', input.minStepMs ?? HOUR_MS, (v) => v > 0, 'a positive number of milliseconds');
  if (input.maxDecreasesPerDay !== undefined) requireFinite('maxDecreasesPerDay', input.maxDecreasesPerDay, (v) => Number.isInteger(v) && v >= 1, 'a whole number >= 1');
}

/** Capacity each grid slot needs: the most any demand step overlapping it needs, once shifted by the lead time. */
function requiredPerSlot(input: FloorPlanInput, gridMs: number): Map<number, number> {
  const { demand } = input;
  const perUnit = input.unitThroughput * input.targetUtilization;
  const slots = new Map<number, number>();
  demand.values.forEach((load, index) => {
    const needed = Math.min(input.max, Math.max(input.floor, Math.ceil(load / perUnit - 1e-9)));
    if (needed <= input.floor) return;
    // Capacity must be up `leadTimeMs` before the load arrives and stay until the load's step ends.
    const from = demand.startMs + index * demand.stepMs - input.leadTimeMs;
    const to = demand.startMs + (index + 1) * demand.stepMs;
    for (let slot = Math.floor(from / gridMs) * gridMs; slot < to; slot += gridMs) {
      slots.set(slot, Math.max(slots.get(slot) ?? 0, needed));
    }
  });
  return slots;
}

function stepsFromSlots(slots: Map<number, number>, gridMs: number): FloorStep[] {
  const steps: FloorStep[] = [];
  for (const slot of [...slots.keys()].sort((a, b) => a - b)) {
    const capacity = slots.get(slot)!;
    const last = steps[steps.length - 1];
    if (last && last.endMs === slot && last.minCapacity === capacity) steps[steps.length - 1] = { ...last, endMs: slot + gridMs };
    else steps.push({ startMs: slot, endMs: slot + gridMs, minCapacity: capacity });
  }
  return steps;
}

/** Merges steps i and i+1 into one spanning both (and any gap between) at the higher capacity: only ever raises. */
function mergeAt(steps: FloorStep[], index: number): FloorStep[] {
  const [a, b] = [steps[index]!, steps[index + 1]!];
  const merged = { startMs: a.startMs, endMs: b.endMs, minCapacity: Math.max(a.minCapacity, b.minCapacity) };
  return [...steps.slice(0, index), merged, ...steps.slice(index + 2)];
}

/** Extra capacity-time a merge adds; ties go to the earliest pair, so the result is deterministic. */
function mergeCost(steps: readonly FloorStep[], index: number, floor: number): number {
  const [a, b] = [steps[index]!, steps[index + 1]!];
  const top = Math.max(a.minCapacity, b.minCapacity);
  return (top - a.minCapacity) * (a.endMs - a.startMs) + (top - b.minCapacity) * (b.endMs - b.startMs) + (top - floor) * (b.startMs - a.endMs);
}

function cheapestMerge(steps: FloorStep[], floor: number, among: (index: number) => boolean): FloorStep[] | undefined {
  let best = -1;
  let bestCost = Infinity;
  for (let index = 0; index + 1 < steps.length; index++) {
    if (!among(index)) continue;
    const cost = mergeCost(steps, index, floor);
    if (cost < bestCost) [best, bestCost] = [index, cost];
  }
  return best < 0 ? undefined : mergeAt(steps, best);
}

/** Decreases a plan makes: each step's end, where the next step does not start higher at that moment. */
function decreaseTimes(steps: readonly FloorStep[]): number[] {
  return steps.filter((step, index) => !(steps[index + 1]?.startMs === step.endMs && steps[index + 1]!.minCapacity >= step.minCapacity)).map((step) => step.endMs);
}

export function planFloors(input: FloorPlanInput): FloorPlan {
  validate(input);
  const notes: string[] = [];
  const gridMs = input.minStepMs ?? HOUR_MS;
  let steps = stepsFromSlots(requiredPerSlot(input, gridMs), gridMs);

  while (steps.length * 2 > input.actionBudget && steps.length > 1) steps = cheapestMerge(steps, input.floor, () => true)!;
  if (steps.length * 2 > input.actionBudget) {
    notes.push(`an action budget of ${input.actionBudget} cannot hold a raise and its restore: no floor scheduled`);
    steps = [];
  }

  if (input.maxDecreasesPerDay !== undefined) {
    const limit = input.maxDecreasesPerDay;
    const overDay = () => {
      const perDay = new Map<number, number>();
      for (const time of decreaseTimes(steps)) perDay.set(Math.floor(time / DAY_MS), (perDay.get(Math.floor(time / DAY_MS)) ?? 0) + 1);
      return [...perDay].find(([, count]) => count > limit)?.[0];
    };
    for (let day = overDay(); day !== undefined; day = overDay()) {
      const merged = cheapestMerge(steps, input.floor, (index) => Math.floor(steps[index]!.endMs / DAY_MS) === day);
      if (!merged) break;
      steps = merged;
    }
    if (overDay() !== undefined) notes.push(`could not keep within ${limit} capacity decreases per day`);
  }
  return { steps, notes };
}

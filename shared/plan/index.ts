/**
 * Turns forecast demand into capacity floors that are safe to schedule: a minimal list of steps, each a raise
 * of MinCapacity paired with its restore, above the wall in force without headroom, at most the maximum, and
 * kept within an action budget. Pure and deterministic; all times are epoch milliseconds (UTC).
 */

import { type DecreaseSlot, nextSlotStart } from './dynamodb-decreases.ts';

/** The MinCapacity in force without headroom over time, and the most capacity that may be scheduled. */
export interface WallTimeline {
  /** Contiguous, sorted; MinCapacity without headroom over each span. */
  readonly segments: readonly { readonly startMs: number; readonly endMs: number; readonly minCapacity: number }[];
  readonly maxCapacity: number;
  /** Minutes (epoch ms) at which the user's own scheduled actions run: they overwrite MinCapacity then. */
  readonly foreignRunsMs: readonly number[];
}

export interface FloorPlanInput {
  /** Load per step to be served (e.g. a forecast's p90), in load units per second. */
  readonly demand: { readonly startMs: number; readonly stepMs: number; readonly values: readonly number[] };
  /** Load units per second one capacity unit serves at 100% utilization. */
  readonly unitThroughput: number;
  /** The utilization to plan for, in (0, 1]. */
  readonly targetUtilization: number;
  /** Start-up lead time: floors rise this much before the load they are for. */
  readonly leadTimeMs: number;
  /** The lowest MinCapacity: steps at or below it are not scheduled at all. */
  readonly minCapacity: number;
  /** The most capacity a step may hold. */
  readonly maxCapacity: number;
  /** The walls without headroom over time (registered and the user's scheduled actions). @default minCapacity throughout */
  readonly walls?: WallTimeline;
  /** The most scheduled actions the plan may use (each raise, re-raise and restore counts one). */
  readonly actionBudget: number;
  /**
   * The finest granularity of floor changes. A floor rises `leadTimeMs` before its demand step and falls where the
   * step ends, so a coarser grid than the scheduled action's minute holds each floor for part of the step before
   * too: a second margin on top of the forecast's own.
   * @default 1 minute (an `at()` scheduled action's resolution)
   */
  readonly minStepMs?: number;
  /** DynamoDB: the most capacity decreases (restores and step-downs) per UTC day. @default unlimited */
  readonly maxDecreasesPerDay?: number;
  /**
   * DynamoDB: the UTC hours this target may lower its floor in (allocateDecreases gives targets sharing a table or
   * index disjoint slots); a drop due in another hour is held, never advanced, until the next hour of the slot.
   * @default any time
   */
  readonly decreaseSlot?: DecreaseSlot;
}

export interface FloorStep {
  readonly startMs: number;
  readonly endMs: number;
  readonly minCapacity: number;
}

/** One MinCapacity write of a plan: a raise (or re-raise after a foreign action) or a restore to the wall. */
export interface FloorChange {
  readonly atMs: number;
  readonly minCapacity: number;
  readonly kind: 'raise' | 'restore';
  /** The start of the step this change belongs to (a restore: of the step it ends). */
  readonly stepStartMs: number;
}

export interface FloorPlan {
  /** Sorted, non-overlapping; each minCapacity is above minCapacity and at most maxCapacity. */
  readonly steps: readonly FloorStep[];
  readonly notes: readonly string[];
}

const MINUTE_MS = 60_000;
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
  input.demand.values.forEach((value, index) =>
    requireFinite(`demand.values[${index}]`, value, (v) => v >= 0, 'a finite load >= 0 (plan from a gap-free forecast)'),
  );
  requireFinite('unitThroughput', input.unitThroughput, (v) => v > 0, 'a positive load per capacity unit');
  requireFinite('targetUtilization', input.targetUtilization, (v) => v > 0 && v <= 1, 'in (0, 1]');
  requireFinite('leadTimeMs', input.leadTimeMs, (v) => v >= 0, 'a duration >= 0');
  requireFinite('minCapacity', input.minCapacity, (v) => Number.isInteger(v) && v >= 0, 'a whole number >= 0');
  requireFinite(
    'maxCapacity',
    input.maxCapacity,
    (v) => Number.isInteger(v) && v >= input.minCapacity,
    `a whole number >= minCapacity (${input.minCapacity})`,
  );
  requireFinite('actionBudget', input.actionBudget, (v) => Number.isInteger(v) && v >= 0, 'a whole number >= 0');
  requireFinite('minStepMs', input.minStepMs ?? MINUTE_MS, (v) => v > 0, 'a positive number of milliseconds');
  if (input.decreaseSlot !== undefined) {
    const { index, of } = input.decreaseSlot;
    requireFinite('decreaseSlot.of', of, (v) => Number.isInteger(v) && v >= 1 && v <= 24, 'a whole number from 1 to 24');
    requireFinite('decreaseSlot.index', index, (v) => Number.isInteger(v) && v >= 0 && v < of, `a whole number from 0 to ${of - 1}`);
  }
  if (input.maxDecreasesPerDay !== undefined)
    requireFinite('maxDecreasesPerDay', input.maxDecreasesPerDay, (v) => Number.isInteger(v) && v >= 1, 'a whole number >= 1');
}

/** The MinCapacity without headroom at a time, and the lowest it is over a span. */
export class Wall {
  constructor(private readonly input: Pick<FloorPlanInput, 'minCapacity' | 'walls'>) {}

  at(timeMs: number): number {
    const segments = this.input.walls?.segments ?? [];
    const segment =
      segments.find((candidate) => candidate.startMs <= timeMs && timeMs < candidate.endMs) ??
      (timeMs < (segments[0]?.startMs ?? 0) ? segments[0] : segments[segments.length - 1]);
    return Math.max(this.input.minCapacity, segment?.minCapacity ?? 0);
  }

  lowestOver(fromMs: number, toMs: number): number {
    let lowest = this.at(fromMs);
    for (const segment of this.input.walls?.segments ?? [])
      if (segment.startMs > fromMs && segment.startMs < toMs) lowest = Math.min(lowest, this.at(segment.startMs));
    return lowest;
  }

  /** The first minute at or after `timeMs` in which no foreign action runs (their order within a minute is unknown). */
  clear(timeMs: number): number {
    const runs = new Set((this.input.walls?.foreignRunsMs ?? []).map((run) => Math.floor(run / MINUTE_MS)));
    let minute = Math.ceil(timeMs / MINUTE_MS);
    while (runs.has(minute)) minute++;
    return minute * MINUTE_MS;
  }
}

function ceilingOf(input: FloorPlanInput): number {
  return Math.min(input.maxCapacity, input.walls?.maxCapacity ?? Number.POSITIVE_INFINITY);
}

/**
 * The steps the demand needs on the grid: each demand step's capacity from `leadTimeMs` before it until it ends
 * (both ends widened to the grid), the most of those overlapping at any time, where it is above the wall.
 */
function requiredSteps(input: FloorPlanInput, gridMs: number): FloorStep[] {
  const { demand } = input;
  const perUnit = input.unitThroughput * input.targetUtilization;
  const wall = new Wall(input);
  const ceiling = ceilingOf(input);
  const down = (timeMs: number) => Math.floor(timeMs / gridMs) * gridMs;
  const up = (timeMs: number) => Math.ceil(timeMs / gridMs) * gridMs;
  const spans = demand.values.map((load, index) => ({
    fromMs: down(demand.startMs + index * demand.stepMs - input.leadTimeMs),
    toMs: up(demand.startMs + (index + 1) * demand.stepMs),
    needed: Math.min(ceiling, Math.ceil(load / perUnit - 1e-9)),
  }));
  // Cut wherever a span or a wall segment starts or ends, so each piece has one need and one lowest wall.
  const cuts = new Set<number>();
  for (const span of spans) cuts.add(span.fromMs).add(span.toMs);
  for (const segment of input.walls?.segments ?? []) cuts.add(down(segment.startMs)).add(up(segment.startMs));
  const times = [...cuts].sort((x, y) => x - y);
  const steps: FloorStep[] = [];
  for (let index = 0; index + 1 < times.length; index++) {
    const [startMs, endMs] = [times[index]!, times[index + 1]!];
    let needed = 0;
    for (const span of spans) if (span.fromMs <= startMs && span.toMs >= endMs) needed = Math.max(needed, span.needed);
    if (needed <= wall.lowestOver(startMs, endMs)) continue;
    const last = steps[steps.length - 1];
    if (last && last.endMs === startMs && last.minCapacity === needed) steps[steps.length - 1] = { ...last, endMs };
    else steps.push({ startMs, endMs, minCapacity: needed });
  }
  return steps;
}

/**
 * The MinCapacity writes that carry out a plan's steps against the walls: a raise at each step's start where it
 * is above the wall, a re-raise after each foreign action that runs inside a step (it overwrites MinCapacity), and
 * a restore to exactly the wall in force where the raises end. Writes never share a minute with a foreign action.
 */
export function floorChanges(
  steps: readonly FloorStep[],
  input: Pick<FloorPlanInput, 'minCapacity' | 'walls'>,
  options: {
    /** Nothing is written before this time: a step that began earlier is raised then. */
    readonly notBeforeMs?: number;
    /** When an earlier run already scheduled a step's raise at this capacity, the time it has. */
    readonly scheduledAt?: (stepStartMs: number, minCapacity: number) => number | undefined;
  } = {},
): FloorChange[] {
  const wall = new Wall(input);
  const runs = input.walls?.foreignRunsMs ?? [];
  const notBefore = options.notBeforeMs ?? Number.NEGATIVE_INFINITY;
  const changes: FloorChange[] = [];
  let raised = false;
  steps.forEach((step, index) => {
    if (step.endMs <= notBefore) return;
    const atMs = options.scheduledAt?.(step.startMs, step.minCapacity) ?? wall.clear(Math.max(step.startMs, notBefore));
    if (step.minCapacity > wall.at(atMs) && atMs < step.endMs) {
      changes.push({ atMs, minCapacity: step.minCapacity, kind: 'raise', stepStartMs: step.startMs });
      raised = true;
    }
    for (const run of runs) {
      const again = wall.clear(run);
      if (run < step.startMs || again <= atMs || again < notBefore || again >= step.endMs || step.minCapacity <= wall.at(again)) continue;
      changes.push({ atMs: again, minCapacity: step.minCapacity, kind: 'raise', stepStartMs: step.startMs });
      raised = true;
    }
    const next = steps[index + 1];
    const nextRaises = next !== undefined && next.startMs === step.endMs && next.minCapacity > wall.at(wall.clear(next.startMs));
    if (raised && !nextRaises) {
      const restoreAt = wall.clear(step.endMs);
      changes.push({ atMs: restoreAt, minCapacity: wall.at(restoreAt), kind: 'restore', stepStartMs: step.startMs });
      raised = false;
    }
  });
  return changes.sort((a, b) => a.atMs - b.atMs);
}

/** Merges steps i and i+1 into one spanning both (and any gap between) at the higher capacity: only ever raises. */
function mergeAt(steps: FloorStep[], index: number): FloorStep[] {
  const [a, b] = [steps[index]!, steps[index + 1]!];
  const merged = { startMs: a.startMs, endMs: b.endMs, minCapacity: Math.max(a.minCapacity, b.minCapacity) };
  return [...steps.slice(0, index), merged, ...steps.slice(index + 2)];
}

/** Extra capacity-time a merge adds; ties go to the earliest pair, so the result is deterministic. */
function mergeCost(steps: readonly FloorStep[], index: number, minCapacity: number): number {
  const [a, b] = [steps[index]!, steps[index + 1]!];
  const top = Math.max(a.minCapacity, b.minCapacity);
  return (top - a.minCapacity) * (a.endMs - a.startMs) + (top - b.minCapacity) * (b.endMs - b.startMs) + (top - minCapacity) * (b.startMs - a.endMs);
}

function cheapestMerge(steps: FloorStep[], minCapacity: number, among: (index: number) => boolean): FloorStep[] | undefined {
  let best = -1;
  let bestCost = Infinity;
  for (let index = 0; index + 1 < steps.length; index++) {
    if (!among(index)) continue;
    const cost = mergeCost(steps, index, minCapacity);
    if (cost < bestCost) [best, bestCost] = [index, cost];
  }
  return best < 0 ? undefined : mergeAt(steps, best);
}

/** Decreases a plan makes: each step's end, where the next step does not start higher at that moment. */
function decreaseTimes(steps: readonly FloorStep[]): number[] {
  return steps
    .filter((step, index) => !(steps[index + 1]?.startMs === step.endMs && steps[index + 1]!.minCapacity >= step.minCapacity))
    .map((step) => step.endMs);
}

/**
 * Holds each decrease until the next hour of the slot: the step that ends before it is extended to it, and merged
 * (at the higher capacity) with any step that starts before then. Only ever raises.
 */
function holdDecreasesToSlot(steps: FloorStep[], slot: DecreaseSlot): FloorStep[] {
  let result = [...steps];
  for (let index = 0; index < result.length; index++) {
    const step = result[index]!;
    const next = result[index + 1];
    if (next?.startMs === step.endMs && next.minCapacity >= step.minCapacity) continue;
    const until = nextSlotStart(step.endMs, slot);
    if (until === step.endMs) continue;
    if (next !== undefined && next.startMs < until) {
      result = mergeAt(result, index);
      index--;
      continue;
    }
    result[index] = { ...step, endMs: until };
  }
  return result;
}

export function planFloors(input: FloorPlanInput): FloorPlan {
  validate(input);
  const notes: string[] = [];
  const gridMs = input.minStepMs ?? MINUTE_MS;
  let steps = requiredSteps(input, gridMs);
  if (input.decreaseSlot) steps = holdDecreasesToSlot(steps, input.decreaseSlot);

  const actions = () => floorChanges(steps, input).length;
  while (actions() > input.actionBudget && steps.length > 1) steps = cheapestMerge(steps, input.minCapacity, () => true)!;
  if (actions() > input.actionBudget) {
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
      const merged = cheapestMerge(steps, input.minCapacity, (index) => Math.floor(steps[index]!.endMs / DAY_MS) === day);
      if (!merged) break;
      steps = merged;
    }
    if (overDay() !== undefined) notes.push(`could not keep within ${limit} capacity decreases per day`);
  }
  return { steps, notes };
}

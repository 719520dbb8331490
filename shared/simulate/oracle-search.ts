/**
 * The oracle's exact search: the cheapest running profile that meets every deadline, start-ups included, by dynamic
 * programming over minutes with states (running workers, backlog), keeping per running count the Pareto front of
 * (cost so far, backlog). Raising the running count costs the start-up delay per worker (it was launched that long
 * before) and is impossible before a start-up delay has passed (only the initial workers run then); stopping is
 * free. A FIFO queue meets every deadline exactly when the backlog at the end of minute t is at most what arrived in
 * the last D minutes (t <= the second-last minute, as a message waiting past the end is not counted).
 *
 * Every state is kept unless another provably does at least as well from there on, so the result is the optimum,
 * not an estimate (test/unit/simulate/oracle.test.ts checks it against enumerating every running sequence). The
 * fronts live in typed arrays, and only every `segmentMinutes`-th minute's fronts are kept on the way forward: the
 * profile is read back one segment at a time, recomputing that segment's back-pointers from its first front, so
 * memory stays within two segments whatever the trace's length (a year of minutes included).
 */
import type { BacklogParameters } from './parameters.ts';
import { deadlineMinutes } from './oracle.ts';

const TOLERANCE = 1e-9;

/** A growable list of (key, backlog, parent) states; fronts are [start, end) ranges of it. */
class Pool {
  key = new Float64Array(1024);
  backlog = new Float64Array(1024);
  parent = new Int32Array(1024);
  length = 0;

  reserve(extra: number): void {
    const needed = this.length + extra;
    if (needed <= this.key.length) return;
    let size = this.key.length;
    while (size < needed) size *= 2;
    const grow = <T extends Float64Array | Int32Array>(array: T, make: (size: number) => T): T => {
      const next = make(size);
      next.set(array.subarray(0, this.length));
      return next;
    };
    this.key = grow(this.key, (n) => new Float64Array(n));
    this.backlog = grow(this.backlog, (n) => new Float64Array(n));
    this.parent = grow(this.parent, (n) => new Int32Array(n));
  }

  /** Appends to the front that started at `start`, keeping it a Pareto front (key rising, backlog falling). */
  pushPareto(start: number, key: number, backlog: number, parent: number): void {
    const last = this.length - 1;
    if (last >= start) {
      if (backlog >= this.backlog[last]! - TOLERANCE) return;
      if (key === this.key[last]) this.length--;
    }
    const at = this.length++;
    this.key[at] = key;
    this.backlog[at] = backlog;
    this.parent[at] = parent;
  }

  push(key: number, backlog: number, parent: number): void {
    const at = this.length++;
    this.key[at] = key;
    this.backlog[at] = backlog;
    this.parent[at] = parent;
  }
}

/** One minute's fronts: states of running count minCapacity + k in [offsets[k], offsets[k + 1]). */
interface Layer {
  readonly offsets: Int32Array;
  readonly cost: Float64Array;
  readonly backlog: Float64Array;
  /** Index of each state's predecessor in the previous minute's layer (-1 before the first minute). */
  readonly parent: Int32Array;
}

/** Merges two key-sorted fronts (keys shifted by `shiftA`, `shiftB`) into `out` as one Pareto front; returns its start. */
function mergePareto(
  out: Pool,
  a: Pool,
  aStart: number,
  aEnd: number,
  shiftA: number,
  b: Pool,
  bStart: number,
  bEnd: number,
  shiftB: number,
): number {
  out.reserve(aEnd - aStart + bEnd - bStart);
  const start = out.length;
  let i = aStart;
  let j = bStart;
  while (i < aEnd || j < bEnd) {
    if (j >= bEnd || (i < aEnd && a.key[i]! + shiftA <= b.key[j]! + shiftB)) {
      out.pushPareto(start, a.key[i]! + shiftA, a.backlog[i]!, a.parent[i]!);
      i++;
    } else {
      out.pushPareto(start, b.key[j]! + shiftB, b.backlog[j]!, b.parent[j]!);
      j++;
    }
  }
  return start;
}

/** Whether the front [start, end) of `pool` holds a state with key <= `key` and backlog <= `backlog`. */
function covers(pool: Pool, start: number, end: number, key: number, backlog: number): boolean {
  let low = start;
  let high = end - 1;
  let found = -1;
  while (low <= high) {
    const middle = (low + high) >> 1;
    if (pool.key[middle]! <= key) {
      found = middle;
      low = middle + 1;
    } else high = middle - 1;
  }
  return found >= 0 && pool.backlog[found]! <= backlog + TOLERANCE;
}

interface Problem {
  readonly arrivals: readonly number[];
  readonly perWorkerMinute: number;
  readonly startup: number;
  readonly minCapacity: number;
  readonly counts: number;
  /** Most backlog allowed at the end of each minute. */
  readonly allowed: Float64Array;
}

/** Scratch space reused from minute to minute. */
class Scratch {
  readonly input = new Pool();
  readonly atOrAbove = new Pool();
  readonly below = new Pool();
  readonly candidates = new Pool();
  readonly sweep = new Pool();
  readonly aboveStart: Int32Array;
  readonly aboveEnd: Int32Array;
  readonly belowStart: Int32Array;
  readonly belowEnd: Int32Array;
  readonly candidateStart: Int32Array;
  readonly candidateEnd: Int32Array;
  readonly keptEnd: Int32Array;

  constructor(counts: number) {
    const make = () => new Int32Array(counts + 1);
    this.aboveStart = make();
    this.aboveEnd = make();
    this.belowStart = make();
    this.belowEnd = make();
    this.candidateStart = make();
    this.candidateEnd = make();
    this.keptEnd = make();
  }
}

/** The layer after `minute`, from the layer before it (undefined before the first minute). */
function step(problem: Problem, minute: number, previous: Layer | undefined, scratch: Scratch): Layer {
  const { counts, minCapacity, perWorkerMinute, startup } = problem;
  const arriving = problem.arrivals[minute]!;
  const { input, atOrAbove, below, candidates, sweep } = scratch;
  const { aboveStart, aboveEnd, belowStart, belowEnd, candidateStart, candidateEnd } = scratch;
  const deadlineLimit = problem.allowed[minute]!;
  /**
   * Running r this minute from a Pareto front (key rising, backlog falling): cost + r, the backlog after r workers'
   * minute. Monotone, so the order is kept; states whose backlog would pass `limit` are a prefix, skipped by binary
   * search, and once one clears the backlog every later one is dearer for nothing.
   */
  const advance = (k: number, from: Pool, start: number, end: number, limit: number) => {
    const running = minCapacity + k;
    const served = running * perWorkerMinute - arriving;
    let low = start;
    let high = end;
    while (low < high) {
      const middle = (low + high) >> 1;
      if (from.backlog[middle]! - served > limit) low = middle + 1;
      else high = middle;
    }
    for (let index = low; index < end; index++) {
      const backlog = Math.max(0, from.backlog[index]! - served);
      candidates.pushPareto(candidateStart[k]!, from.key[index]! + running, backlog, from.parent[index]!);
      if (backlog === 0) break;
    }
  };
  const generate = (limit: number) => {
    candidates.length = 0;
    for (let k = 0; k < counts; k++) {
      const running = minCapacity + k;
      candidateStart[k] = candidates.length;
      if (!previous) {
        candidates.reserve(1);
        const backlog = Math.max(0, arriving - running * perWorkerMinute);
        if (backlog <= limit) candidates.push(running, backlog, -1);
      } else if (!(canStart && k > 0)) {
        candidates.reserve(aboveEnd[k]! - aboveStart[k]!);
        advance(k, atOrAbove, aboveStart[k]!, aboveEnd[k]!, limit);
      } else {
        // Staying or stopping, and starting the difference, as one front.
        sweep.length = 0;
        mergePareto(sweep, atOrAbove, aboveStart[k]!, aboveEnd[k]!, 0, below, belowStart[k - 1]!, belowEnd[k - 1]!, startup * running);
        candidates.reserve(sweep.length);
        advance(k, sweep, 0, sweep.length, limit);
      }
      candidateEnd[k] = candidates.length;
    }
  };
  const canStart = minute >= startup;
  if (previous) {
    // The previous layer as a pool whose parents are the states' own indices.
    input.length = 0;
    input.reserve(previous.cost.length);
    for (let index = 0; index < previous.cost.length; index++) input.push(previous.cost[index]!, previous.backlog[index]!, index);
    const { offsets } = previous;
    // Staying or stopping is free: the best of every front at or above k.
    atOrAbove.length = 0;
    let nextStart = 0;
    let nextEnd = 0;
    for (let k = counts - 1; k >= 0; k--) {
      const start = mergePareto(atOrAbove, input, offsets[k]!, offsets[k + 1]!, 0, atOrAbove, nextStart, nextEnd, 0);
      aboveStart[k] = nextStart = start;
      aboveEnd[k] = nextEnd = atOrAbove.length;
    }
    // Starting costs the start-up per worker: fronts keyed by cost - startup x running, shifted back when used.
    below.length = 0;
    if (canStart) {
      let lastStart = 0;
      let lastEnd = 0;
      for (let k = 0; k < counts; k++) {
        const start = mergePareto(below, input, offsets[k]!, offsets[k + 1]!, -startup * (minCapacity + k), below, lastStart, lastEnd, 0);
        belowStart[k] = lastStart = start;
        belowEnd[k] = lastEnd = below.length;
      }
    }
  }
  generate(deadlineLimit);
  // When no state can meet this minute's deadlines (the load needs more than the maximum), keep them all.
  const feasible = candidates.length > 0;
  if (!feasible) generate(Infinity);
  return withoutDominated(problem, candidates, minute + 1 >= startup, scratch);
}

/**
 * Drops states another running count makes pointless: one with more workers (stopping is free), or one with fewer
 * whose cost plus starting the difference is lower, at no more backlog, can do whatever the state does next.
 * Returns the minute's layer.
 */
function withoutDominated(problem: Problem, candidates: Pool, canStartNext: boolean, scratch: Scratch): Layer {
  const { counts, minCapacity, startup } = problem;
  const { candidateStart, candidateEnd, keptEnd, atOrAbove: above, below } = scratch;
  // Pass 1, from the most workers down: feasible, and not covered by a state with more workers. Kept states are
  // compacted in place at the start of each candidate front.
  above.length = 0;
  let aboveFrontStart = 0;
  let aboveFrontEnd = 0;
  for (let k = counts - 1; k >= 0; k--) {
    let kept = candidateStart[k]!;
    for (let index = candidateStart[k]!; index < candidateEnd[k]!; index++) {
      const key = candidates.key[index]!;
      const backlog = candidates.backlog[index]!;
      if (covers(above, aboveFrontStart, aboveFrontEnd, key, backlog)) continue;
      candidates.key[kept] = key;
      candidates.backlog[kept] = backlog;
      candidates.parent[kept] = candidates.parent[index]!;
      kept++;
    }
    keptEnd[k] = kept;
    aboveFrontStart = mergePareto(above, candidates, candidateStart[k]!, kept, 0, above, aboveFrontStart, aboveFrontEnd, 0);
    aboveFrontEnd = above.length;
  }
  // Pass 2, from the fewest workers up (only once workers can be started): not strictly dearer than a state with
  // fewer workers plus starting the difference, so two states that dominate each other through a free start-up
  // are not both dropped.
  let total = 0;
  for (let k = 0; k < counts; k++) total += keptEnd[k]! - candidateStart[k]!;
  const offsets = new Int32Array(counts + 1);
  const cost = new Float64Array(total);
  const backlogs = new Float64Array(total);
  const parent = new Int32Array(total);
  let size = 0;
  below.length = 0;
  let belowFrontStart = 0;
  let belowFrontEnd = 0;
  for (let k = 0; k < counts; k++) {
    offsets[k] = size;
    const shift = startup * (minCapacity + k);
    for (let index = candidateStart[k]!; index < keptEnd[k]!; index++) {
      const key = candidates.key[index]!;
      const backlog = candidates.backlog[index]!;
      if (canStartNext && covers(below, belowFrontStart, belowFrontEnd, key - shift - 1, backlog)) continue;
      cost[size] = key;
      backlogs[size] = backlog;
      parent[size] = candidates.parent[index]!;
      size++;
    }
    if (canStartNext) {
      belowFrontStart = mergePareto(below, candidates, candidateStart[k]!, keptEnd[k]!, -shift, below, belowFrontStart, belowFrontEnd, 0);
      belowFrontEnd = below.length;
    }
  }
  offsets[counts] = size;
  return size === total
    ? { offsets, cost, backlog: backlogs, parent }
    : { offsets, cost: cost.slice(0, size), backlog: backlogs.slice(0, size), parent: parent.slice(0, size) };
}

/** Index of the cheapest state of a layer (the first, by running count then key, among equals). */
function cheapest(layer: Layer): number {
  let best = -1;
  for (let index = 0; index < layer.cost.length; index++) if (best < 0 || layer.cost[index]! < layer.cost[best]!) best = index;
  return best;
}

function runningOf(layer: Layer, index: number, minCapacity: number): number {
  let k = 0;
  while (layer.offsets[k + 1]! <= index) k++;
  return minCapacity + k;
}

/** The cheapest running profile that meets every deadline, start-ups included (see the file's comment). */
export function cheapestRunningProfile(arrivals: readonly number[], parameters: BacklogParameters, segmentMinutes = 1440): number[] {
  const minutes = arrivals.length;
  if (minutes === 0) return [];
  const deadline = deadlineMinutes(parameters.sloMs);
  const cumulative = new Float64Array(minutes + 1);
  for (let minute = 0; minute < minutes; minute++) cumulative[minute + 1] = cumulative[minute]! + arrivals[minute]!;
  const allowed = new Float64Array(minutes);
  for (let minute = 0; minute < minutes; minute++)
    allowed[minute] = minute <= minutes - 2 ? cumulative[minute + 1]! - cumulative[Math.max(0, minute - deadline + 1)]! + TOLERANCE : Infinity;
  const problem: Problem = {
    arrivals,
    perWorkerMinute: parameters.throughputPerWorker * 60,
    startup: Math.ceil(parameters.startupMs / 60_000),
    minCapacity: parameters.minCapacity,
    counts: parameters.maxCapacity - parameters.minCapacity + 1,
    allowed,
  };
  const scratch = new Scratch(problem.counts);
  // Forward: keep the layer before each segment.
  const segments = Math.ceil(minutes / segmentMinutes);
  const before: Array<Layer | undefined> = [undefined];
  let layer: Layer | undefined;
  for (let minute = 0; minute < minutes; minute++) {
    layer = step(problem, minute, layer, scratch);
    if ((minute + 1) % segmentMinutes === 0 && minute + 1 < minutes) before.push(layer);
  }
  // Backward: recompute each segment's layers from the one before it and follow the back-pointers.
  const running = new Array<number>(minutes);
  let index = cheapest(layer!);
  for (let segment = segments - 1; segment >= 0; segment--) {
    const first = segment * segmentMinutes;
    const last = Math.min(minutes, first + segmentMinutes) - 1;
    const layers: Layer[] = [];
    let current = before[segment];
    for (let minute = first; minute <= last; minute++) layers.push((current = step(problem, minute, current, scratch)));
    for (let minute = last; minute >= first; minute--) {
      const at = layers[minute - first]!;
      running[minute] = runningOf(at, index, problem.minCapacity);
      index = at.parent[index]!;
    }
  }
  return running;
}

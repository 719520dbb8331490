import type { BacklogParameters } from './parameters.ts';

/**
 * The clairvoyant oracle: it knows every arrival in advance, has the same start-up delay, and pays for the fewest
 * worker-minutes (start-ups included) that meet every deadline.
 *
 * A first-in-first-out queue meets every deadline (a message of minute m processed by the end of minute m + D)
 * exactly when the backlog at the end of each minute t is at most what arrived in minutes t - D + 1..t, and the
 * backlog follows from the running workers alone: B(t) = max(0, B(t-1) + a(t) - c x running(t)). So the cheapest
 * plan is a shortest path over states (minute, running, backlog), searched exactly by `cheapestRunningProfile`
 * on small traces; longer ones use `spreadRunningProfile`, a fast stand-in up to ~12% dearer.
 *
 * `leastRunningWorkers` is the bound without start-up costs: the same deadlines as difference constraints on the
 * cumulative running worker-minutes R, R(j) - R(i-1) >= ceil((A(j-D) - A(i-1)) / c), whose least solution (a
 * longest path) no policy that meets the SLO can run below.
 */
export interface OraclePlan {
  /** Workers that must be running each minute. */
  readonly running: readonly number[];
  /** The desired count to set each minute (running plus starting). */
  readonly desired: readonly number[];
  /** Whether the running profile is the exact optimum (small traces) or the spread stand-in. */
  readonly exact: boolean;
}

/** Largest whole number of minutes a message may wait without breaking the SLO (waits are counted in minutes). */
export function deadlineMinutes(sloMs: number): number {
  return Math.floor(sloMs / 60_000 + 1e-9);
}

/** The least running workers per minute that meet every deadline, start-ups free (see above). */
export function leastRunningWorkers(arrivals: readonly number[], parameters: BacklogParameters): number[] {
  const minutes = arrivals.length;
  const perWorkerMinute = parameters.throughputPerWorker * 60;
  const deadline = deadlineMinutes(parameters.sloMs);
  const { minCapacity, maxCapacity } = parameters;
  // work[k + 1] = A(k) / perWorkerMinute: worker-minutes of work arrived by the end of minute k.
  const work = new Float64Array(minutes + 1);
  for (let minute = 0; minute < minutes; minute++) work[minute + 1] = work[minute]! + arrivals[minute]! / perWorkerMinute;
  // cumulative[k + 1] = R(k); R(-1) = 0.
  const cumulative = new Float64Array(minutes + 1);
  // The last minute whose deadline the model can still see broken: a message waiting past the end is not counted.
  const lastDue = minutes - 2;
  for (let pass = 0; pass < 1000; pass++) {
    let changed = false;
    // Running max over k of K_k = R(k) - floor(work(k)), and the least fractional part among the k reaching it.
    let bestK = -Infinity;
    let bestFraction = Infinity;
    for (let j = 0; j < minutes; j++) {
      let level = cumulative[j]! + minCapacity;
      if (j >= deadline && j <= lastDue) {
        const k = j - deadline - 1; // newest i - 1 allowed: i = j - D
        const whole = Math.floor(work[k + 1]! + 1e-9);
        const candidate = cumulative[k + 1]! - whole;
        const fraction = Math.max(0, work[k + 1]! - whole);
        if (candidate > bestK) {
          bestK = candidate;
          bestFraction = fraction;
        } else if (candidate === bestK) bestFraction = Math.min(bestFraction, fraction);
        const due = work[j - deadline + 1]!;
        const dueWhole = Math.floor(due + 1e-9);
        const dueFraction = due - dueWhole;
        level = Math.max(level, dueWhole + bestK + (dueFraction > bestFraction + 1e-9 ? 1 : 0));
      }
      if (level > cumulative[j + 1]!) {
        cumulative[j + 1] = level;
        changed = true;
      }
    }
    // No minute can run more than the maximum: work that needs more is moved earlier.
    for (let j = minutes - 1; j >= 1; j--) {
      const earliest = cumulative[j + 1]! - maxCapacity;
      if (earliest > cumulative[j]!) {
        cumulative[j] = earliest;
        changed = true;
      }
    }
    if (!changed) break;
  }
  const running = new Array<number>(minutes);
  for (let minute = 0; minute < minutes; minute++)
    running[minute] = Math.min(maxCapacity, Math.max(minCapacity, Math.round(cumulative[minute + 1]! - cumulative[minute]!)));
  return running;
}

interface Reached {
  /** Worker-minutes paid so far (start-ups included). */
  readonly cost: number;
  /** Messages waiting at the end of the minute. */
  readonly backlog: number;
  readonly running: number;
  readonly previous: Reached | undefined;
}

/** `reached` sorted by key, keeping only states with less backlog than every cheaper one (the Pareto front). */
function paretoFront(candidates: ReadonlyArray<{ key: number; state: Reached }>): Array<{ key: number; state: Reached }> {
  const front: Array<{ key: number; state: Reached }> = [];
  for (const candidate of candidates) {
    const last = front[front.length - 1];
    if (last && candidate.state.backlog >= last.state.backlog - 1e-9) continue;
    if (last && candidate.key === last.key) front.pop();
    front.push(candidate);
  }
  return front;
}

function mergeByKey<T extends { key: number }>(a: readonly T[], b: readonly T[]): T[] {
  const merged: T[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) merged.push(j >= b.length || (i < a.length && a[i]!.key <= b[j]!.key) ? a[i++]! : b[j++]!);
  return merged;
}

/** Whether `front` (sorted by key, backlog falling) holds a state with key <= `key` and backlog <= `backlog`. */
function covers(front: ReadonlyArray<{ key: number; state: Reached }>, key: number, backlog: number): boolean {
  let low = 0;
  let high = front.length - 1;
  let found = -1;
  while (low <= high) {
    const middle = (low + high) >> 1;
    if (front[middle]!.key <= key) {
      found = middle;
      low = middle + 1;
    } else high = middle - 1;
  }
  return found >= 0 && front[found]!.state.backlog <= backlog + 1e-9;
}

/**
 * Drops states another running count makes pointless: one with more workers (stopping is free), or one with fewer
 * whose cost plus starting the difference is lower, at no more backlog, can do whatever the state does next.
 */
function withoutDominated(
  fronts: ReadonlyArray<Array<{ key: number; state: Reached }> | undefined>,
  minCapacity: number,
  maxCapacity: number,
  startup: number,
  canStartNext: boolean,
) {
  const kept: Array<Array<{ key: number; state: Reached }>> = [];
  let above: Array<{ key: number; state: Reached }> = [];
  for (let running = maxCapacity; running >= minCapacity; running--) {
    const front = fronts[running] ?? [];
    kept[running] = front.filter(({ key, state }) => !covers(above, key, state.backlog));
    above = paretoFront(mergeByKey(kept[running]!, above));
  }
  // Fewer workers can only catch up by starting more, which is impossible before a start-up delay has passed.
  if (!canStartNext) return kept;
  let below: Array<{ key: number; state: Reached }> = [];
  for (let running = minCapacity; running <= maxCapacity; running++) {
    const front = kept[running]!;
    // Strictly cheaper only, so two states that dominate each other through a free start-up are not both dropped.
    kept[running] = front.filter(({ key, state }) => !covers(below, key - startup * running - 1, state.backlog));
    below = paretoFront(
      mergeByKey(
        front.map(({ key, state }) => ({ key: key - startup * running, state })),
        below,
      ),
    );
  }
  return kept;
}

/**
 * The cheapest running profile that meets every deadline, start-ups included: dynamic programming over minutes
 * with states (running workers, backlog), keeping per running count the Pareto front of (cost so far, backlog).
 * Raising the running count costs the start-up delay per worker (it was launched that long before) and is
 * impossible before a start-up delay has passed (only the initial workers run then); stopping is free. A FIFO
 * queue meets every deadline exactly when the backlog at the end of minute t is at most what arrived in the last
 * D minutes (t <= the second-last minute, as a message waiting past the end is not counted).
 */
export function cheapestRunningProfile(arrivals: readonly number[], parameters: BacklogParameters): number[] {
  const minutes = arrivals.length;
  if (minutes === 0) return [];
  const perWorkerMinute = parameters.throughputPerWorker * 60;
  const deadline = deadlineMinutes(parameters.sloMs);
  const startup = Math.ceil(parameters.startupMs / 60_000);
  const { minCapacity, maxCapacity } = parameters;
  const cumulative = [0];
  for (const value of arrivals) cumulative.push(cumulative[cumulative.length - 1]! + value);
  const allowedBacklog = (minute: number) =>
    minute <= minutes - 2 ? cumulative[minute + 1]! - cumulative[Math.max(0, minute - deadline + 1)]! + 1e-9 : Infinity;
  let fronts: Array<Array<{ key: number; state: Reached }>> = [];
  for (let minute = 0; minute < minutes; minute++) {
    const arriving = arrivals[minute]!;
    const next = (running: number, from: ReadonlyArray<{ key: number; state: Reached | undefined }>) =>
      paretoFront(
        from.map(({ key, state }) => ({
          key: key + running,
          state: {
            cost: key + running,
            backlog: Math.max(0, (state?.backlog ?? 0) + arriving - running * perWorkerMinute),
            running,
            previous: state,
          },
        })),
      );
    const candidates: Array<Array<{ key: number; state: Reached }>> = [];
    if (minute === 0)
      for (let running = minCapacity; running <= maxCapacity; running++) candidates[running] = next(running, [{ key: 0, state: undefined }]);
    else {
      // Staying or stopping is free: the best of every front at or above `running`.
      const atOrAbove: Array<Array<{ key: number; state: Reached }>> = [];
      for (let running = maxCapacity; running >= minCapacity; running--)
        atOrAbove[running] = paretoFront(mergeByKey(fronts[running] ?? [], atOrAbove[running + 1] ?? []));
      // Starting costs the start-up per worker: keyed by cost - startup x running, shifted back when used.
      const below: Array<Array<{ key: number; state: Reached }>> = [];
      const canStart = minute >= startup;
      for (let running = minCapacity; running <= maxCapacity && canStart; running++) {
        const shifted = (fronts[running] ?? []).map(({ key, state }) => ({ key: key - startup * running, state }));
        below[running] = paretoFront(mergeByKey(shifted, below[running - 1] ?? []));
      }
      for (let running = minCapacity; running <= maxCapacity; running++) {
        const started = canStart ? (below[running - 1] ?? []).map(({ key, state }) => ({ key: key + startup * running, state })) : [];
        candidates[running] = next(running, mergeByKey(atOrAbove[running] ?? [], started));
      }
    }
    const limit = allowedBacklog(minute);
    const feasible = candidates.map((front) => front?.filter(({ state }) => state.backlog <= limit));
    // When no state can meet this minute's deadlines (the load needs more than the maximum), keep them all.
    fronts = withoutDominated(
      feasible.some((front) => front && front.length > 0) ? feasible : candidates,
      minCapacity,
      maxCapacity,
      startup,
      minute + 1 >= startup,
    );
  }
  let best: Reached | undefined;
  for (const front of fronts) for (const { state } of front ?? []) if (!best || state.cost < best.cost) best = state;
  const running = new Array<number>(minutes);
  for (let minute = minutes - 1, state = best; minute >= 0; minute--, state = state!.previous) running[minute] = state!.running;
  return running;
}

/**
 * A fast stand-in for long traces: each minute, the least steady number of workers that meets every deadline in
 * the SLO window ahead (work spread evenly, never left to its deadline), working whatever is queued. Never cheaper
 * than the exact plan; on the benchmark traces 0-12% dearer (bench/results/simulate.md measures it).
 */
export function spreadRunningProfile(arrivals: readonly number[], parameters: BacklogParameters): number[] {
  const perWorkerMinute = parameters.throughputPerWorker * 60;
  const deadline = deadlineMinutes(parameters.sloMs);
  const cumulative = [0];
  for (const value of arrivals) cumulative.push(cumulative[cumulative.length - 1]! + value);
  // Messages that must be processed by the end of `minute` (those of minute - D and before).
  const dueBy = (minute: number) => cumulative[Math.max(0, Math.min(arrivals.length, minute - deadline + 1))]!;
  const running = new Array<number>(arrivals.length).fill(0);
  let processed = 0;
  for (let minute = 0; minute < arrivals.length; minute++) {
    let level = 0;
    for (let end = minute; end <= minute + deadline; end++)
      level = Math.max(level, (dueBy(end) - processed) / ((end - minute + 1) * perWorkerMinute));
    const workers = Math.min(parameters.maxCapacity, Math.max(parameters.minCapacity, Math.ceil(level - 1e-9)));
    running[minute] = workers;
    processed += Math.min(cumulative[minute + 1]! - processed, workers * perWorkerMinute);
  }
  return running;
}

/** Running profiles up to this many (minute, running count) pairs are planned exactly. */
const EXACT_ORACLE_STATES = 30_000;

/**
 * The oracle's plan: the exact cheapest running profile when the trace is small enough to search, otherwise the
 * spread profile; either made real by launching each worker the start-up delay before it is needed and keeping it
 * through idle gaps no longer than the start-up delay (keeping costs the gap, relaunching costs the delay).
 */
export function oraclePlan(arrivals: readonly number[], parameters: BacklogParameters): OraclePlan {
  const exact = arrivals.length * (parameters.maxCapacity - parameters.minCapacity + 1) <= EXACT_ORACLE_STATES;
  const running = exact ? cheapestRunningProfile(arrivals, parameters) : spreadRunningProfile(arrivals, parameters);
  return { ...launchPlan(running, Math.ceil(parameters.startupMs / 60_000)), exact };
}

/** Launches and keeps the workers a running profile needs, each level of the profile on its own. */
export function launchPlan(running: readonly number[], startup: number): { running: number[]; desired: number[] } {
  const minutes = running.length;
  const kept = new Array<number>(minutes).fill(0);
  const desired = new Array<number>(minutes).fill(0);
  const levels = running.reduce((highest, value) => Math.max(highest, value), 0);
  for (let level = 1; level <= levels; level++) {
    let lastEnd = -1; // the last minute this level's worker ran, -1 before any
    for (let minute = 0; minute < minutes; minute++) {
      if (running[minute]! < level || (minute > 0 && running[minute - 1]! >= level)) continue;
      let end = minute;
      while (end + 1 < minutes && running[end + 1]! >= level) end++;
      // Workers running at minute 0 are there from the start; one needed before a start-up delay has passed
      // must have been there from the start too, as must one whose idle gap is cheaper to keep than to relaunch.
      const keepFrom = minute < startup || (lastEnd >= 0 && minute - lastEnd - 1 <= startup) ? Math.max(0, lastEnd + 1) : minute;
      const launchAt = keepFrom === minute && minute > 0 ? minute - startup : keepFrom;
      for (let m = keepFrom; m <= end; m++) kept[m]!++;
      for (let m = launchAt; m <= end; m++) desired[m]!++;
      lastEnd = end;
      minute = end;
    }
  }
  return { running: kept, desired };
}

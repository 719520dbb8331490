import { cheapestRunningProfile } from './oracle-search.ts';
import type { BacklogParameters } from './parameters.ts';

/**
 * The clairvoyant oracle: it knows every arrival in advance, has the same start-up delay, and pays for the fewest
 * worker-minutes (start-ups included) that meet every deadline.
 *
 * A first-in-first-out queue meets every deadline (a message of minute m processed by the end of minute m + D)
 * exactly when the backlog at the end of each minute t is at most what arrived in minutes t - D + 1..t, and the
 * backlog follows from the running workers alone: B(t) = max(0, B(t-1) + a(t) - c x running(t)). So the cheapest
 * plan is a shortest path over states (minute, running, backlog), searched exactly by `cheapestRunningProfile`
 * (oracle-search.ts) on every trace, whatever its length: the oracle is the optimum, not an estimate of it.
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

/**
 * The oracle's plan: the exact cheapest running profile, made real by launching each worker the start-up delay
 * before it is needed and keeping it through idle gaps no longer than the start-up delay (keeping costs the gap,
 * relaunching costs the delay), which is what the search charges.
 */
export function oraclePlan(arrivals: readonly number[], parameters: BacklogParameters): OraclePlan {
  return launchPlan(cheapestRunningProfile(arrivals, parameters), Math.ceil(parameters.startupMs / 60_000));
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

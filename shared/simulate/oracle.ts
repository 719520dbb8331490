import type { BacklogParameters } from './parameters.ts';

/**
 * The clairvoyant lower bound on cost: it knows every arrival in advance, runs the least steady capacity that
 * meets every message's SLO deadline (first in, first out), and launches workers exactly the start-up delay
 * before they are needed.
 * Returns the desired count to set at each minute.
 */
export function oracleDesired(arrivals: readonly number[], parameters: BacklogParameters): number[] {
  const perWorkerMinute = parameters.throughputPerWorker * 60;
  const slo = Math.floor(parameters.sloMs / 60_000);
  const startup = Math.ceil(parameters.startupMs / 60_000);
  // cumulative[m]: messages that arrived in minutes 0..m-1.
  const cumulative = [0];
  for (const value of arrivals) cumulative.push(cumulative[cumulative.length - 1]! + value);
  const dueBy = (minute: number) => cumulative[Math.max(0, Math.min(arrivals.length, minute - slo + 1))]!;
  const needed = new Array<number>(arrivals.length).fill(0);
  let processed = 0;
  for (let minute = 0; minute < arrivals.length; minute++) {
    // The least steady capacity that meets every deadline in the SLO window ahead: work is spread evenly, never
    // done in a burst at its deadline.
    let level = 0;
    for (let end = minute; end <= minute + slo; end++) level = Math.max(level, (dueBy(end) - processed) / ((end - minute + 1) * perWorkerMinute));
    const workers = Math.min(parameters.maxCapacity, Math.max(parameters.minCapacity, Math.ceil(level - 1e-9)));
    needed[minute] = workers;
    // Started workers work their whole minute: whatever is queued, not only what is due.
    processed += Math.min(cumulative[minute + 1]! - processed, workers * perWorkerMinute);
  }
  // A worker needed at minute m is launched at m - startup and kept until then.
  return needed.map((_, minute) => Math.max(...needed.slice(minute, minute + startup + 1)));
}

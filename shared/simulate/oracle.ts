import type { BacklogParameters } from './parameters.ts';

/**
 * The clairvoyant lower bound on cost: it knows every arrival in advance, works each message as late as the
 * SLO allows (first in, first out), and launches workers exactly the start-up delay before they are needed.
 * Returns the desired count to set at each minute.
 */
export function oracleDesired(arrivals: readonly number[], parameters: BacklogParameters): number[] {
  const perWorkerMinute = parameters.throughputPerWorker * 60;
  const slo = Math.floor(parameters.sloMs / 60_000);
  const startup = Math.ceil(parameters.startupMs / 60_000);
  const needed = new Array<number>(arrivals.length).fill(0);
  let arrived = 0;
  let due = 0;
  let processed = 0;
  for (let minute = 0; minute < arrivals.length; minute++) {
    arrived += arrivals[minute]!;
    if (minute - slo >= 0) due += arrivals[minute - slo]!;
    const owed = Math.max(0, due - processed);
    const workers = Math.min(parameters.maxCapacity, Math.max(parameters.minCapacity, Math.ceil(owed / perWorkerMinute - 1e-9)));
    needed[minute] = workers;
    // Started workers work their whole minute: whatever is queued, not only what is due.
    processed += Math.min(arrived - processed, workers * perWorkerMinute);
  }
  // A worker needed at minute m is launched at m - startup and kept until then.
  return needed.map((_, minute) => Math.max(...needed.slice(minute, minute + startup + 1)));
}

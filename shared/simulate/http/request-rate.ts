import type { RegularSeries } from '../../series/regular-series.ts';

const MINUTE_MS = 60_000;

/**
 * Requests arriving in each minute of a trace of requests per step (any step from 1 minute to 1 hour), read as
 * a request rate: each step's rate holds at the step's middle and the rate between middles is interpolated
 * linearly, since a web service's load ramps within a coarse step rather than jumping at its edges (a step
 * spread evenly over its minutes would make every 30-minute boundary a step load). Gaps are 0 requests and
 * are reported by `missingMinutes`.
 */
export function requestsPerMinute(trace: RegularSeries): number[] {
  const { stepMs, values } = trace;
  if (!(stepMs >= MINUTE_MS && stepMs <= 3_600_000 && stepMs % MINUTE_MS === 0))
    throw new RangeError(`the trace's step must be whole minutes from 1 minute to 1 hour, got ${stepMs / 1000} s`);
  const span = stepMs / MINUTE_MS;
  const rate = values.map((value) => (Number.isFinite(value) && value > 0 ? value / span : 0));
  const minutes = values.length * span;
  const requests = new Array<number>(minutes);
  for (let minute = 0; minute < minutes; minute++) {
    const step = Math.floor(minute / span);
    if (!Number.isFinite(values[step]!)) {
      requests[minute] = 0;
      continue;
    }
    // Position of the minute's middle relative to the step middles.
    const position = (minute + 0.5) / span - 0.5;
    const left = Math.floor(position);
    const weight = position - left;
    const at = (index: number) => (index < 0 || index >= rate.length || !Number.isFinite(values[index]!) ? rate[step]! : rate[index]!);
    requests[minute] = (1 - weight) * at(left) + weight * at(left + 1);
  }
  return requests;
}

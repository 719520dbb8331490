import { responseTimes } from './mmc.ts';

/** The SLO is on the p99: at most this share of requests may be slower. */
export const P99_TAIL = 0.01;

/**
 * The saturation rate of a task that serves one request at a time, from the rate one task serves with its p99
 * within the SLO: an M/M/1 response time is exponential with rate mu - lambda, so its p99 is ln(100) / (mu - lambda)
 * and mu = lambda + ln(100) / SLO.
 */
export function serviceRateFromSloRate(sloRatePerTask: number, sloSeconds: number): number {
  return sloRatePerTask + Math.log(1 / P99_TAIL) / sloSeconds;
}

/**
 * The requests per second per task a fleet of `tasks` serves with its p99 within the SLO, given what one task
 * serves within it (`sloRatePerTask`, a load test of one task). A pooled fleet behind a load balancer that routes
 * by least outstanding requests is one M/M/c queue (c = tasks), and a queue with more servers waits less at the
 * same utilization, so the per-task rate rises with the fleet (50 requests/s at saturation, 500 ms p99: 40.8 for
 * one task, 45.3 for two, 48.1 for five). Assumes tasks serving one request at a time with exponential service
 * times; for one task it is `sloRatePerTask` itself.
 */
export function fleetSloRatePerTask(sloRatePerTask: number, sloSeconds: number, tasks: number): number {
  if (!(sloRatePerTask > 0 && Number.isFinite(sloRatePerTask))) throw new RangeError(`sloRatePerTask must be a positive rate, got ${sloRatePerTask}`);
  if (!(sloSeconds > 0)) throw new RangeError(`sloSeconds must be positive, got ${sloSeconds}`);
  if (!(Number.isInteger(tasks) && tasks >= 1)) throw new RangeError(`tasks must be a whole number >= 1, got ${tasks}`);
  if (tasks === 1) return sloRatePerTask;
  const serviceRate = serviceRateFromSloRate(sloRatePerTask, sloSeconds);
  const meets = (perTask: number) => responseTimes(tasks, tasks * perTask, serviceRate).exceedance(sloSeconds) <= P99_TAIL;
  // The fleet serves at least what one task does per task (more servers never wait longer) and less than saturation.
  let low = sloRatePerTask;
  let high = serviceRate;
  for (let step = 0; step < 50; step++) {
    const middle = (low + high) / 2;
    if (meets(middle)) low = middle;
    else high = middle;
  }
  return low;
}

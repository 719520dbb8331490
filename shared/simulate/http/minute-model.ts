import { P99_TAIL } from '../../request-scaling/fleet-rate.ts';
import { responseTimes } from '../../request-scaling/mmc.ts';
import type { HttpParameters } from './parameters.ts';

/** What one minute of requests does to a service with `running` tasks. */
export interface MinuteOutcome {
  readonly served: number;
  /** Requests beyond what the tasks can serve (utilization >= 1): timeouts and 5xx. */
  readonly dropped: number;
  /** Offered load over capacity (can exceed 1); NaN with no task. */
  readonly utilization: number;
  /** The share of served requests slower than the SLO (1 when the minute drops requests). */
  readonly overSloShare: number;
  /** p99 response time in ms (Infinity when the minute drops requests). */
  readonly p99Ms: number;
}

/**
 * The M/M/c model of one task fleet (see shared/request-scaling/mmc.ts), evaluated per minute as if the minute were in steady state:
 * a quasi-static approximation, good while a minute is long against the response times it models.
 */
export class HttpServiceModel {
  readonly concurrency: number;
  /** One server's service rate, requests per second. */
  readonly serviceRate: number;
  readonly sloSeconds: number;

  constructor(readonly parameters: HttpParameters) {
    this.concurrency = parameters.concurrencyPerTask ?? 1;
    this.serviceRate = parameters.requestsPerSecondPerTask / this.concurrency;
    this.sloSeconds = parameters.sloMs / 1000;
  }

  /** Whether `tasks` tasks serve `arrivalRate` with the p99 within the SLO. */
  meetsSlo(tasks: number, arrivalRate: number): boolean {
    if (arrivalRate <= 0) return true;
    if (tasks < 1 || arrivalRate >= tasks * this.parameters.requestsPerSecondPerTask) return false;
    return responseTimes(tasks * this.concurrency, arrivalRate, this.serviceRate).exceedance(this.sloSeconds) <= P99_TAIL;
  }

  /** The fewest tasks that serve `arrivalRate` with the p99 within the SLO. */
  leastTasks(arrivalRate: number): number {
    if (arrivalRate <= 0) return 0;
    let tasks = Math.max(1, Math.floor(arrivalRate / this.parameters.requestsPerSecondPerTask));
    while (!this.meetsSlo(tasks, arrivalRate)) tasks++;
    return tasks;
  }

  /**
   * The requests per second one task serves with its p99 within the SLO: what a load test of one task at the SLO
   * measures, and what RequestScaledService's `requestsPerSecondPerTask` asks for.
   */
  sloRatePerTask(): number {
    let low = 0;
    let high = this.parameters.requestsPerSecondPerTask;
    for (let step = 0; step < 50; step++) {
      const middle = (low + high) / 2;
      if (this.meetsSlo(1, middle)) low = middle;
      else high = middle;
    }
    return low;
  }

  /** One minute of `requests` arriving at `tasks` started tasks. */
  serve(requests: number, tasks: number): MinuteOutcome {
    const arrivalRate = requests / 60;
    const capacityRate = tasks * this.parameters.requestsPerSecondPerTask;
    if (requests <= 0) return { served: 0, dropped: 0, utilization: tasks > 0 ? 0 : Number.NaN, overSloShare: 0, p99Ms: 0 };
    if (arrivalRate >= capacityRate) {
      const served = capacityRate * 60;
      return {
        served,
        dropped: requests - served,
        utilization: tasks > 0 ? arrivalRate / capacityRate : Number.NaN,
        overSloShare: 1,
        p99Ms: Number.POSITIVE_INFINITY,
      };
    }
    const times = responseTimes(tasks * this.concurrency, arrivalRate, this.serviceRate);
    return {
      served: requests,
      dropped: 0,
      utilization: arrivalRate / capacityRate,
      overSloShare: times.exceedance(this.sloSeconds),
      p99Ms: 1000 * times.quantile(1 - P99_TAIL),
    };
  }
}

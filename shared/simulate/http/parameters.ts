import { SimulationInputError } from '../parameters.ts';

/** What an HTTP backtest models: the tasks behind the load balancer, the latency SLO and the walls. */
export interface HttpParameters {
  /** Requests per second one task serves when saturated (its service rate): what a load test to failure shows. */
  readonly requestsPerSecondPerTask: number;
  /**
   * Requests one task works on at once (servers per task in the M/M/c model); the mean service time is
   * concurrency / requestsPerSecondPerTask.
   * @default 1
   */
  readonly concurrencyPerTask?: number;
  /** Time from launching a task to it taking requests (image pull, start, health checks). */
  readonly startupMs: number;
  /** The latency SLO: a minute whose p99 response time is over it is an SLO violation. */
  readonly sloMs: number;
  readonly minCapacity: number;
  readonly maxCapacity: number;
}

export const HTTP_POLICY_NAMES = ['cpu-target-tracking', 'request-count-tracking', 'headroom-reactive', 'headroom', 'oracle'] as const;
export type HttpPolicyName = (typeof HTTP_POLICY_NAMES)[number];

export function validateHttpParameters(parameters: HttpParameters): void {
  const check = (field: keyof HttpParameters, ok: boolean, expectation: string) => {
    if (!ok) throw new SimulationInputError(field, `must be ${expectation}, got ${parameters[field]}`);
  };
  check(
    'requestsPerSecondPerTask',
    parameters.requestsPerSecondPerTask > 0 && Number.isFinite(parameters.requestsPerSecondPerTask),
    'a positive number of requests per second',
  );
  const concurrency = parameters.concurrencyPerTask ?? 1;
  check('concurrencyPerTask', Number.isInteger(concurrency) && concurrency >= 1 && concurrency <= 10_000, 'a whole number from 1 to 10000');
  check('startupMs', parameters.startupMs >= 0 && Number.isFinite(parameters.startupMs), 'a duration >= 0');
  check('sloMs', parameters.sloMs > 0 && parameters.sloMs <= 3_600_000, 'a duration above 0 and at most 1 hour');
  check('minCapacity', Number.isInteger(parameters.minCapacity) && parameters.minCapacity >= 0, 'a whole number >= 0');
  check(
    'maxCapacity',
    Number.isInteger(parameters.maxCapacity) && parameters.maxCapacity >= Math.max(1, parameters.minCapacity) && parameters.maxCapacity <= 10_000,
    'a whole number >= minCapacity, >= 1 and at most 10000',
  );
  const meanServiceMs = (1000 * concurrency) / parameters.requestsPerSecondPerTask;
  // p99 of an exponential service time alone is ln(100) = 4.6 mean service times: no capacity meets a tighter SLO.
  if (meanServiceMs * Math.log(100) >= parameters.sloMs) {
    throw new SimulationInputError(
      'sloMs',
      `(${parameters.sloMs} ms) is under the p99 of the service time alone (${(meanServiceMs * Math.log(100)).toFixed(0)} ms for a mean of ${meanServiceMs.toFixed(0)} ms), so no number of tasks meets it`,
    );
  }
}

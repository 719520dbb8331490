import { ServiceModel } from './service-model.ts';
import type { BacklogParameters } from './parameters.ts';

/**
 * Lambda's SQS poller, as documented (AWS Lambda Developer Guide, "Understanding Lambda's scaling behavior for SQS
 * event sources" / "Using Lambda with Amazon SQS", https://docs.aws.amazon.com/lambda/latest/dg/with-sqs.html:
 * "Lambda starts with five concurrent batches ... and adds up to 300 more instances per minute"; "Configuring
 * maximum concurrency for Amazon SQS event sources": MaximumConcurrency 2-1000 caps the concurrent invocations the
 * event source mapping makes): it starts with 5 concurrent executions, adds up to 300 a minute while messages wait,
 * never exceeds the maximum concurrency, and shrinks when there is less to do. There is no Application Auto Scaling
 * policy to choose here: the poller is the controller, so the same question the ECS scoreboard asks (capacity vs
 * the oracle, SLO minutes) is answered for its two settings, maximum concurrency and the ramp it cannot change.
 * Each concurrent execution works like a worker with no start-up delay beyond the ramp (cold starts are inside the
 * per-message time).
 */
export interface LambdaConsumerParameters {
  /** Messages one concurrent execution handles per second. */
  readonly throughputPerInstance: number;
  /** The event source mapping's MaximumConcurrency (2-1000). */
  readonly maxConcurrency: number;
  readonly sloMs: number;
}

const INITIAL_CONCURRENCY = 5;
const RAMP_PER_MINUTE = 300;

export interface LambdaConsumerScore {
  readonly sloViolationMinutes: number;
  readonly p99WaitSeconds: number;
  /** Concurrent-execution hours (what Lambda bills duration on, at full use). */
  readonly concurrencyHours: number;
  readonly peakConcurrency: number;
}

export function simulateLambdaConsumer(arrivals: readonly number[], parameters: LambdaConsumerParameters): LambdaConsumerScore {
  if (!(parameters.maxConcurrency >= 2 && parameters.maxConcurrency <= 1000))
    throw new RangeError(`maxConcurrency must be 2-1000, got ${parameters.maxConcurrency}`);
  const asService: BacklogParameters = {
    throughputPerWorker: parameters.throughputPerInstance,
    startupMs: 0,
    sloMs: parameters.sloMs,
    minCapacity: 0,
    maxCapacity: parameters.maxConcurrency,
  };
  const service = new ServiceModel(asService, 0);
  let concurrency = 0;
  let peak = 0;
  let busyMinutes = 0;
  const perInstanceMinute = parameters.throughputPerInstance * 60;
  for (let minute = 0; minute < arrivals.length; minute++) {
    const waiting = service.backlog + arrivals[minute]!;
    const wanted = Math.min(parameters.maxConcurrency, Math.ceil(waiting / perInstanceMinute - 1e-9));
    // Scale up by at most the documented ramp; scale down at once when there is less to do.
    concurrency = wanted > concurrency ? Math.min(wanted, Math.max(INITIAL_CONCURRENCY, concurrency + RAMP_PER_MINUTE)) : wanted;
    concurrency = Math.min(concurrency, parameters.maxConcurrency);
    service.setDesired(concurrency, minute);
    const { processed } = service.step(minute, arrivals[minute]!);
    peak = Math.max(peak, concurrency);
    busyMinutes += processed / perInstanceMinute;
  }
  return {
    sloViolationMinutes: service.violationMinutes,
    p99WaitSeconds: service.p99WaitSeconds(),
    concurrencyHours: busyMinutes / 60,
    peakConcurrency: peak,
  };
}

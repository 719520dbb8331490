import { CONSUMER_KIT_METRICS, HEADROOM_METRICS } from '../metrics/contract.ts';
import { MetricName } from '../metrics/names.ts';

/**
 * What one of headroom's own functions costs per run for one workload it serves: the custom metrics it publishes
 * for the workload (each with the `Workload` dimension alone, so one metric each) and the requests it makes. The
 * constructs record these in the template (see stacks/common/footprint.ts) and the cost model prices them.
 */
export interface ProducerFootprint {
  readonly kind: 'backlog-publisher' | 'predictor' | 'consumer-kit';
  readonly workload: string;
  /** Logical ID of the function that publishes, in the same template. */
  readonly function: string;
  /** Custom metric names published for this workload. */
  readonly metrics: readonly string[];
  /** Per scheduled run of the function, for this workload (0 for the event-driven consumer kit). */
  readonly perRun: RunFootprint;
}

export interface RunFootprint {
  /** Metrics requested from GetMetricData at every run (billed per metric requested). */
  readonly getMetricDataMetrics: number;
  /** Metrics requested from GetMetricData at most once every `everyMinutes` (kept between runs). */
  readonly refreshedReads?: { readonly metrics: number; readonly everyMinutes: number };
  /** SQS API requests (GetQueueAttributes). */
  readonly sqsRequests: number;
  /** Datums put with PutMetricData; requests are counted per run from the sum over the function's workloads. */
  readonly putMetricDataDatums: number;
  /** Lambda run time this workload adds to the run, in milliseconds (whole numbers: CloudFormation metadata takes no fractions). */
  readonly lambdaMs: number;
  /** Log bytes this workload adds to the run (the per-workload log line). */
  readonly logBytes: number;
}

/** How often the publisher reads a consumer's measured time again (functions/backlog-publisher/measured-time-cache.ts). */
export const MEASURED_REFRESH_MINUTES = 5;

/**
 * A function's fixed cost per run whatever it serves: its invocation, start-up and the run's summary log. Measured
 * orders of magnitude (`npm run bench -- functions predictor`), rounded up: the cost model prefers to overstate
 * headroom's own bill.
 */
export const FUNCTION_BASE_RUN = { lambdaMs: 500, logBytes: 1_000 } as const;

/** How a source's RequiredCapacityPerTask inputs are read: not at all, arrivals only, or arrivals and measured time. */
export type DemandReads = 'none' | 'arrivals' | 'arrivals-and-measured';

/**
 * The backlog publisher's per-source share of a run: the metrics it publishes for the source, GetQueueAttributes,
 * the queue's NumberOfMessagesSent every run and the consumers' measured time (Sum and SampleCount) every
 * MEASURED_REFRESH_MINUTES when the source publishes RequiredCapacityPerTask.
 */
export function backlogPublisherFootprint(workload: string, fn: string, metrics: readonly string[], demand: DemandReads): ProducerFootprint {
  return {
    kind: 'backlog-publisher',
    workload,
    function: fn,
    metrics,
    perRun: {
      getMetricDataMetrics: demand === 'none' ? 0 : 1,
      ...(demand === 'arrivals-and-measured' ? { refreshedReads: { metrics: 2, everyMinutes: MEASURED_REFRESH_MINUTES } } : {}),
      sqsRequests: 1,
      putMetricDataDatums: metrics.length,
      lambdaMs: 20,
      logBytes: 0,
    },
  };
}

/**
 * The predictor's per-target share of a run: one history query, its per-target metrics (the contract's) and log line. Floor tuning
 * replays the simulator on the first run of a day (~0.75 s a target, `npm run bench -- predictor`); spread over an
 * hourly schedule that is ~0.03 s a run, and a run's own forecast and plan ~0.05 s.
 */
export function predictorFootprint(workload: string, fn: string, floorTuning: boolean): ProducerFootprint {
  const metrics = HEADROOM_METRICS.filter((entry) => entry.producer === 'predictor').map((entry) => entry.metricName);
  return {
    kind: 'predictor',
    workload,
    function: fn,
    metrics,
    perRun: {
      getMetricDataMetrics: 1,
      sqsRequests: 0,
      putMetricDataDatums: metrics.length,
      lambdaMs: 50 + (floorTuning ? 30 : 0),
      logBytes: 600,
    },
  };
}

/**
 * The consumer kit's metrics (published as EMF in the function's own log, so no PutMetricData request); what it
 * logs grows with traffic, which the template does not know, so the model leaves the consumers' logs out.
 */
export function consumerKitFootprint(workload: string, fn: string): ProducerFootprint {
  return {
    kind: 'consumer-kit',
    workload,
    function: fn,
    metrics: CONSUMER_KIT_METRICS.map((entry) => entry.metricName),
    perRun: { getMetricDataMetrics: 0, sqsRequests: 0, putMetricDataDatums: 0, lambdaMs: 0, logBytes: 0 },
  };
}

/** The publisher's own failure count (EMF, with Powertools' `service` dimension): one metric for all its sources. */
export function publisherFailuresFootprint(workload: string, fn: string): ProducerFootprint {
  return {
    kind: 'backlog-publisher',
    workload,
    function: fn,
    metrics: [MetricName.backlogPublishFailures],
    perRun: { getMetricDataMetrics: 0, sqsRequests: 0, putMetricDataDatums: 0, lambdaMs: 0, logBytes: 0 },
  };
}

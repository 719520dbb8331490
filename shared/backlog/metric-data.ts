import { MetricName, WORKLOAD_DIMENSION } from '../metrics/names.ts';
import { backlogPerTask, queueBacklog, type QueueDepth } from './backlog-per-task.ts';
import { backlogWithoutCapacity, requiredCapacity, requiredCapacityPerTask, type QueueDemand } from './required-capacity.ts';

/** One CloudWatch datum, shaped like PutMetricData's MetricDatum so a handler passes it through unchanged. */
export interface BacklogDatum {
  readonly MetricName: string;
  readonly Dimensions: readonly { readonly Name: string; readonly Value: string }[];
  readonly Timestamp: Date;
  readonly Value: number;
  readonly Unit: 'Count' | 'Count/Second' | 'Milliseconds' | 'None';
  /**
   * Standard resolution. High resolution (1) would buy nothing: the publisher runs once a minute, and Application
   * Auto Scaling's target tracking and step alarms evaluate 1-minute periods; CloudWatch keeps 1-second data for
   * 3 hours only (https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/publishingMetrics.html#high-resolution-metrics).
   */
  readonly StorageResolution: 60;
}

/** The metrics the publisher computes for every source. */
export const BACKLOG_METRICS: readonly string[] = [MetricName.backlogPerTask, MetricName.queueBacklog, MetricName.runningCapacity];

/** The metrics it computes for a source that publishes RequiredCapacityPerTask. */
export const PUBLISHER_METRICS: readonly string[] = [
  ...BACKLOG_METRICS,
  MetricName.requiredCapacityPerTask,
  MetricName.requiredCapacity,
  MetricName.arrivalRate,
  MetricName.timePerMessage,
  MetricName.backlogWithoutCapacity,
];

/** What the publisher read for one source: both halves, or it publishes nothing for it. */
export interface BacklogReading {
  readonly workload: string;
  readonly depth: QueueDepth;
  readonly countDelayed: boolean;
  readonly runningCapacity: number;
  /** The capacity asked for (ECS desired count; a Lambda consumer's is what runs). */
  readonly desiredCapacity: number;
  /** Present when the source publishes RequiredCapacityPerTask: what it is computed from, backlog aside. */
  readonly demand?: Omit<QueueDemand, 'backlog'>;
  /** The metrics to publish, when not all those computed. */
  readonly metrics?: readonly string[];
}

/**
 * One source's datums at `timestamp`: BacklogPerTask, QueueBacklog and RunningCapacity; with a demand also
 * RequiredCapacityPerTask (the default scaling signal), RequiredCapacity, ArrivalRate, TimePerMessage (the blended
 * value used) and BacklogWithoutCapacity (scale from zero); of these, only `reading.metrics` when it is given.
 */
export function backlogDatums(reading: BacklogReading, timestamp: Date): BacklogDatum[] {
  const datums = computedDatums(reading, timestamp);
  const wanted = reading.metrics;
  return wanted ? datums.filter((datum) => wanted.includes(datum.MetricName)) : datums;
}

function computedDatums(reading: BacklogReading, timestamp: Date): BacklogDatum[] {
  const backlog = queueBacklog(reading.depth, reading.countDelayed);
  const datum = (metricName: string, value: number, unit: BacklogDatum['Unit'] = 'Count'): BacklogDatum => ({
    MetricName: metricName,
    Dimensions: [{ Name: WORKLOAD_DIMENSION, Value: reading.workload }],
    Timestamp: timestamp,
    Value: value,
    Unit: unit,
    StorageResolution: 60,
  });
  const datums = [
    datum(MetricName.backlogPerTask, backlogPerTask(backlog, reading.runningCapacity)),
    datum(MetricName.queueBacklog, backlog),
    datum(MetricName.runningCapacity, reading.runningCapacity),
  ];
  if (!reading.demand) return datums;
  const required = requiredCapacity({ ...reading.demand, backlog });
  return [
    ...datums,
    datum(MetricName.requiredCapacityPerTask, requiredCapacityPerTask(required, reading.runningCapacity), 'None'),
    datum(MetricName.requiredCapacity, required, 'None'),
    datum(MetricName.arrivalRate, reading.demand.arrivalsPerSecond, 'Count/Second'),
    datum(MetricName.timePerMessage, reading.demand.timePerMessageMs, 'Milliseconds'),
    datum(MetricName.backlogWithoutCapacity, backlogWithoutCapacity(backlog, reading.desiredCapacity), 'None'),
  ];
}

/** PutMetricData's per-call limits. */
export const PUT_METRIC_DATA_LIMITS = { maxDatums: 1000, maxRequestBytes: 1_000_000 } as const;

/** Room left in a request for the action, version and namespace fields around the datums. */
const REQUEST_ENVELOPE_BYTES = 1_000;

/**
 * An upper bound of a datum's share of a PutMetricData request body. Whatever the SDK's wire protocol (JSON
 * today, query-style form fields before), every field costs under 60 bytes of name and punctuation, and
 * escaping or encoding one UTF-16 unit costs at most 9 bytes (`\u001f` in JSON, `%E2%82%AC` for a form-encoded €).
 */
export function datumRequestBytes(datum: BacklogDatum): number {
  const fieldBytes = 60;
  const valueBytes = (text: string): number => fieldBytes + 9 * text.length;
  return (
    valueBytes(datum.MetricName) +
    datum.Dimensions.reduce((sum, dimension) => sum + valueBytes(dimension.Name) + valueBytes(dimension.Value), 0) +
    valueBytes(datum.Timestamp.toISOString()) +
    valueBytes(String(datum.Value)) +
    valueBytes(datum.Unit) +
    valueBytes(String(datum.StorageResolution))
  );
}

/**
 * Splits datums into PutMetricData calls within its limits (1,000 datums, 1 MB), keeping each source's
 * datums in one call so a failed call loses whole sources, never half of one.
 */
export function batchDatums(
  datumsBySource: readonly (readonly BacklogDatum[])[],
  limits: { readonly maxDatums: number; readonly maxRequestBytes: number } = PUT_METRIC_DATA_LIMITS,
): BacklogDatum[][] {
  const batches: BacklogDatum[][] = [];
  let current: BacklogDatum[] = [];
  let currentBytes = REQUEST_ENVELOPE_BYTES;
  for (const source of datumsBySource) {
    const sourceBytes = source.reduce((sum, datum) => sum + datumRequestBytes(datum), 0);
    if (source.length > limits.maxDatums || REQUEST_ENVELOPE_BYTES + sourceBytes > limits.maxRequestBytes) {
      throw new Error(`one source's ${source.length} datums (${sourceBytes} bytes) cannot fit a single PutMetricData call`);
    }
    if (current.length + source.length > limits.maxDatums || currentBytes + sourceBytes > limits.maxRequestBytes) {
      batches.push(current);
      current = [];
      currentBytes = REQUEST_ENVELOPE_BYTES;
    }
    current.push(...source);
    currentBytes += sourceBytes;
  }
  if (current.length > 0) batches.push(current);
  return batches;
}

import { MetricName, WORKLOAD_DIMENSION } from '../metrics/names.ts';
import { backlogPerTask, queueBacklog, type QueueDepth } from './backlog-per-task.ts';

/** One CloudWatch datum, shaped like PutMetricData's MetricDatum so a handler passes it through unchanged. */
export interface BacklogDatum {
  readonly MetricName: string;
  readonly Dimensions: readonly { readonly Name: string; readonly Value: string }[];
  readonly Timestamp: Date;
  readonly Value: number;
  readonly Unit: 'Count';
  /** 1 = high resolution, so target tracking and step scaling can react within the minute. */
  readonly StorageResolution: 1;
}

/** What the publisher read for one source: both halves, or it publishes nothing for it. */
export interface BacklogReading {
  readonly workload: string;
  readonly depth: QueueDepth;
  readonly countDelayed: boolean;
  readonly runningCapacity: number;
}

/** The three datums of one source: BacklogPerTask, QueueBacklog and RunningCapacity, all at `timestamp`. */
export function backlogDatums(reading: BacklogReading, timestamp: Date): BacklogDatum[] {
  const backlog = queueBacklog(reading.depth, reading.countDelayed);
  const datum = (metricName: string, value: number): BacklogDatum => ({
    MetricName: metricName,
    Dimensions: [{ Name: WORKLOAD_DIMENSION, Value: reading.workload }],
    Timestamp: timestamp,
    Value: value,
    Unit: 'Count',
    StorageResolution: 1,
  });
  return [
    datum(MetricName.backlogPerTask, backlogPerTask(backlog, reading.runningCapacity)),
    datum(MetricName.queueBacklog, backlog),
    datum(MetricName.runningCapacity, reading.runningCapacity),
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

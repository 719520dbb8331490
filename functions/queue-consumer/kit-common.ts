import type { SQSRecord } from 'aws-lambda';
import { WORKLOAD_VARIABLE } from '../../shared/metrics/names.ts';

/** What both consumer kits (Lambda and worker) read from the environment and measure the same way. */
export { WORKLOAD_VARIABLE };

/**
 * How long a message waited on the queue before this delivery began: from SentTimestamp (when SQS accepted it)
 * to now, so a redelivered message counts its earlier attempts. Clocks a little apart never make it negative.
 */
export function messageWaitMs(record: SQSRecord, nowMs: number): number | undefined {
  const sentAt = Number(record.attributes?.SentTimestamp);
  if (!Number.isFinite(sentAt) || sentAt <= 0) return undefined;
  return Math.max(0, nowMs - sentAt);
}

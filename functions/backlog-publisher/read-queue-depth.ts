import { GetQueueAttributesCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type { QueueDepth } from '../../shared/backlog/index.ts';
import { errorReason, readFailure, readValue, type SourceResult } from './source-result.ts';

const DEPTH_ATTRIBUTES = ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible', 'ApproximateNumberOfMessagesDelayed'] as const;

/** Visible, in-flight and delayed message counts of one queue. */
export async function readQueueDepth(sqs: SQSClient, queueUrl: string): Promise<SourceResult<QueueDepth>> {
  try {
    const { Attributes: attributes = {} } = await sqs.send(
      new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: [...DEPTH_ATTRIBUTES] }),
    );
    const counts = DEPTH_ATTRIBUTES.map((name) => Number(attributes[name]));
    const missing = DEPTH_ATTRIBUTES.filter((_, index) => !Number.isFinite(counts[index]));
    if (missing.length > 0) return readFailure(`GetQueueAttributes returned no ${missing.join(', ')}`);
    const [visible, inFlight, delayed] = counts as [number, number, number];
    return readValue({ visible, inFlight, delayed });
  } catch (error) {
    return readFailure(errorReason(error));
  }
}

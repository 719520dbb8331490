import { type Duration, Stack, Token } from 'aws-cdk-lib';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { InvalidPropError, isToken } from './prop-validation.ts';

/** SQS keeps a message 4 days unless told otherwise (CreateQueue, MessageRetentionPeriod). */
const DEFAULT_RETENTION_SECONDS = 345_600;

/**
 * Refuses a latency SLO longer than the queue keeps a message: SQS deletes it first, so a breach is a lost message
 * rather than a late one, and no alarm on its age sees it. An imported queue's retention is unknown at synth.
 */
export function requireLatencyWithinRetention(construct: string, queue: sqs.IQueue, acceptableLatency: Duration, queueProp = 'queue'): void {
  if (!(queue instanceof sqs.Queue) || isToken(acceptableLatency)) return;
  const retention = Stack.of(queue).resolve((queue.node.defaultChild as sqs.CfnQueue).messageRetentionPeriod) ?? DEFAULT_RETENTION_SECONDS;
  if (typeof retention !== 'number' || Token.isUnresolved(retention)) return;
  if (acceptableLatency.toMilliseconds() > retention * 1000) {
    throw new InvalidPropError(
      construct,
      'acceptableLatency',
      `(${acceptableLatency.toHumanString()}) is longer than ${queueProp}'s message retention (${retention} seconds): SQS deletes a message before it has waited that long, so a breach is a lost message, not a late one`,
      `Lower acceptableLatency below the retention, or raise the queue's retentionPeriod.`,
    );
  }
}

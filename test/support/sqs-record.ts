import type { SQSRecord } from 'aws-lambda';

export interface SqsRecordFields {
  readonly messageId: string;
  readonly body: string;
  /** @default `handle-${messageId}` */
  readonly receiptHandle?: string;
  /** The system attributes SQS sent with the message; missing ones get a first receive's values. */
  readonly attributes?: Partial<SQSRecord['attributes']>;
  /** @default '' */
  readonly md5OfBody?: string;
  /** @default a queue named `orders` in us-east-1 */
  readonly queueArn?: string;
}

/** One record of the SQS event Lambda's poller builds, for handlers run in-process. */
export function sqsRecord(fields: SqsRecordFields): SQSRecord {
  const queueArn = fields.queueArn ?? 'arn:aws:sqs:us-east-1:123456789012:orders';
  return {
    messageId: fields.messageId,
    receiptHandle: fields.receiptHandle ?? `handle-${fields.messageId}`,
    body: fields.body,
    attributes: { ApproximateReceiveCount: '1', SentTimestamp: '0', SenderId: 'local', ApproximateFirstReceiveTimestamp: '0', ...fields.attributes },
    messageAttributes: {},
    md5OfBody: fields.md5OfBody ?? '',
    eventSource: 'aws:sqs',
    eventSourceARN: queueArn,
    awsRegion: queueArn.split(':')[3]!,
  };
}

export {
  createQueueConsumer,
  WORKLOAD_VARIABLE,
  type QueueConsumerHandler,
  type QueueConsumerOptions,
  type RecordHandler,
} from './create-queue-consumer.ts';
export {
  DeadlineExceededError,
  IDEMPOTENCY_TABLE_VARIABLE,
  MalformedMessageError,
  QueueConsumerConfigError,
  RecordHandlerRejectedError,
} from './errors.ts';
export type { IdempotencyProvider, QueueConsumerIdempotencyOptions } from './idempotency.ts';
// dynamoDBIdempotency lives in './idempotency.ts': import it from there so consumers without it stay small.

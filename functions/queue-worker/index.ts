export {
  createQueueWorker,
  type QueueWorker,
  type QueueWorkerOptions,
  type WorkerContext,
  type WorkerRecordHandler,
  type WorkerSummary,
} from './create-queue-worker.ts';
export { QueueWorkerConfigError, TaskProtectionError, WorkerStoppingError } from './errors.ts';
export { ECS_AGENT_URI_VARIABLE, TaskProtectionClient, type TaskProtectionStatus } from './task-protection-client.ts';
export type { TaskProtectionOptions } from './task-protection.ts';
export { MalformedMessageError, RecordHandlerRejectedError } from '../queue-consumer/errors.ts';
export type { IdempotencyProvider } from '../queue-consumer/idempotency.ts';
// dynamoDBIdempotency: import it from 'cdk-headroom/consumer/idempotency' (the same provider serves both kits).

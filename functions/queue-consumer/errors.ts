/** Where QueueConsumerFunction names the consumer's idempotency table. */
export const IDEMPOTENCY_TABLE_VARIABLE = 'HEADROOM_IDEMPOTENCY_TABLE';

/** A message body the consumer's `parse` option rejected. Reported failed, so SQS moves it to the DLQ in the end. */
export class MalformedMessageError extends Error {
  override readonly name = 'MalformedMessageError';
  constructor(messageId: string, cause: unknown) {
    super(`message ${messageId} has a body the consumer cannot parse: ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
  }
}

/** A record not finished before the function's timeout (less the safety margin). Reported failed, so SQS redelivers it. */
export class DeadlineExceededError extends Error {
  override readonly name = 'DeadlineExceededError';
}

/** The consumer kit was configured in a way that cannot work; the message names the option or variable to fix. */
export class QueueConsumerConfigError extends Error {
  override readonly name = 'QueueConsumerConfigError';
}

/**
 * The record handler threw (or rejected with) something that is not an Error: `undefined`, `null`, a string.
 * The record fails like any other, instead of the batch machinery crashing on `error.message`.
 */
export class RecordHandlerRejectedError extends Error {
  override readonly name = 'RecordHandlerRejectedError';
  constructor(thrown: unknown) {
    super(`the record handler failed with ${thrown === undefined ? 'undefined' : (JSON.stringify(thrown) ?? String(thrown))} instead of an Error`, {
      cause: thrown,
    });
  }
}

/** What a failed record is reported with: the handler's own Error, or a RecordHandlerRejectedError around anything else. */
export function asError(thrown: unknown): Error {
  return thrown instanceof Error ? thrown : new RecordHandlerRejectedError(thrown);
}

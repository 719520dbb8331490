/** The worker kit was configured in a way that cannot work; the message names the option to fix. */
export class QueueWorkerConfigError extends Error {
  override readonly name = 'QueueWorkerConfigError';
}

/** The reason a handler's AbortSignal carries when the worker stops before the handler finished. */
export class WorkerStoppingError extends Error {
  override readonly name = 'WorkerStoppingError';
}

/** The ECS agent's task-protection endpoint refused or failed a request; `code` is its Reason or Code. */
export class TaskProtectionError extends Error {
  override readonly name = 'TaskProtectionError';
  constructor(
    message: string,
    readonly code: string,
  ) {
    super(message);
  }
}

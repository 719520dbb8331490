import type { Context } from 'aws-lambda';
import { DeadlineExceededError } from './errors.ts';

/**
 * The point, one safety margin before the function's timeout, after which a record can no longer be
 * reported: records not started by then are not started, records still running are reported failed (SQS
 * redelivers them) so the batch response goes out before Lambda stops the function and loses it, and the
 * batch's AbortSignal fires so handlers that honour it stop their work instead of running on unseen.
 */
export class BatchDeadline {
  private readonly deadlineAt: number;
  private readonly expired: Promise<never>;
  private readonly controller = new AbortController();
  private timer: NodeJS.Timeout | undefined;

  constructor(
    context: Pick<Context, 'getRemainingTimeInMillis'>,
    safetyMarginMs: number,
    private readonly now: () => number = performance.now.bind(performance),
  ) {
    const budgetMs = context.getRemainingTimeInMillis() - safetyMarginMs;
    this.deadlineAt = this.now() + budgetMs;
    // One timer per batch, shared by its records.
    this.expired = new Promise<never>((_, reject) => {
      this.timer = setTimeout(
        () => {
          const error = new DeadlineExceededError(`still running ${safetyMarginMs} ms before the function's timeout`);
          this.controller.abort(error);
          reject(error);
        },
        Math.max(budgetMs, 0),
      );
    });
    this.expired.catch(() => undefined);
  }

  /** Aborted when the deadline passes, with a DeadlineExceededError as its reason. */
  get signal(): AbortSignal {
    return this.controller.signal;
  }

  /** Runs `work` unless the deadline has passed, and gives up on it (rejecting) if the deadline passes first. */
  run<T>(work: () => Promise<T>): Promise<T> {
    if (this.now() >= this.deadlineAt) {
      return Promise.reject(new DeadlineExceededError("not started: too close to the function's timeout"));
    }
    return Promise.race([work(), this.expired]);
  }

  /** Stops the timer once the batch is answered. */
  cancel(): void {
    clearTimeout(this.timer);
  }
}

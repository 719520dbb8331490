import type { Context } from 'aws-lambda';
import { DeadlineExceededError } from './errors.ts';

/**
 * The point, one safety margin before the function's timeout, after which a record can no longer be
 * reported: records not started by then are not started, and records still running are reported failed
 * (SQS redelivers them) so the batch response goes out before Lambda stops the function and loses it.
 */
export class BatchDeadline {
  private readonly deadlineAt: number;
  private readonly expired: Promise<never>;
  private timer: NodeJS.Timeout | undefined;

  constructor(context: Pick<Context, 'getRemainingTimeInMillis'>, safetyMarginMs: number, private readonly now: () => number = performance.now.bind(performance)) {
    const budgetMs = context.getRemainingTimeInMillis() - safetyMarginMs;
    this.deadlineAt = this.now() + budgetMs;
    // One timer per batch, shared by its records.
    this.expired = new Promise<never>((_, reject) => {
      this.timer = setTimeout(() => reject(new DeadlineExceededError(`still running ${safetyMarginMs} ms before the function's timeout`)), Math.max(budgetMs, 0));
    });
    this.expired.catch(() => undefined);
  }

  /** Runs `work` unless the deadline has passed, and gives up on it (rejecting) if the deadline passes first. */
  run<T>(work: () => Promise<T>): Promise<T> {
    if (this.now() >= this.deadlineAt) {
      return Promise.reject(new DeadlineExceededError('not started: too close to the function\'s timeout'));
    }
    return Promise.race([work(), this.expired]);
  }

  /** Stops the timer once the batch is answered. */
  cancel(): void {
    clearTimeout(this.timer);
  }
}

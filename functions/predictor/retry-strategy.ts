import { StandardRetryStrategy } from '@smithy/core/retry';

type Token = Parameters<StandardRetryStrategy['refreshRetryTokenForRetry']>[0];
type ErrorInfo = Parameters<StandardRetryStrategy['refreshRetryTokenForRetry']>[1];

/**
 * The SDK's standard retry (backoff with jitter on throttling, 5xx and timeouts), except that it does not retry
 * LimitExceededException: the SDK counts it as throttling, but for Application Auto Scaling it means a quota
 * (200 scheduled actions per target) that no wait will lift.
 */
export class QuotaAwareRetryStrategy extends StandardRetryStrategy {
  constructor(maxAttempts: number) {
    super(maxAttempts);
  }

  override async refreshRetryTokenForRetry(token: Token, errorInfo: ErrorInfo): Promise<Token> {
    if ((errorInfo.error as { name?: string } | undefined)?.name === 'LimitExceededException') throw errorInfo.error;
    return super.refreshRetryTokenForRetry(token, errorInfo);
  }
}

export const PREDICTOR_MAX_ATTEMPTS = 4;

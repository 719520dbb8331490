import type { Context } from 'aws-lambda';

/** A Lambda context whose clock runs down from `remainingMs`, as Lambda's does, for handlers run in-process. */
export function lambdaContext(remainingMs = 30_000): Context {
  const endsAt = Date.now() + remainingMs;
  return {
    callbackWaitsForEmptyEventLoop: true,
    functionName: 'consumer',
    functionVersion: '$LATEST',
    invokedFunctionArn: 'arn:aws:lambda:us-east-1:123456789012:function:consumer',
    memoryLimitInMB: '512',
    awsRequestId: `request-${Math.random().toString(36).slice(2, 10)}`,
    logGroupName: '/aws/lambda/consumer',
    logStreamName: 'local',
    getRemainingTimeInMillis: () => endsAt - Date.now(),
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  };
}

import { GetMetricDataCommand, type CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { GetFunctionConcurrencyCommand, type LambdaClient } from '@aws-sdk/client-lambda';
import { errorReason, readFailure, readValue, type SourceResult } from './source-result.ts';

/** How far back to look for Lambda's own ConcurrentExecutions datapoints (they arrive a minute or two late). */
export const CONCURRENCY_LOOKBACK_MS = 5 * 60_000;

/**
 * Running capacity of Lambda consumers: the latest 1-minute Maximum of Lambda's own `ConcurrentExecutions`
 * metric, i.e. how many instances were actually busy, not a cap that may never be reached. Lambda emits no
 * datapoint for a minute without invocations, so no datapoint in the lookback means 0 running. Because a
 * missing datapoint also looks like that for a function that does not exist, each function is first
 * confirmed with GetFunctionConcurrency; a function that cannot be confirmed is a failed read.
 */
export async function readLambdaConcurrency(
  cloudwatch: CloudWatchClient,
  lambda: LambdaClient,
  functionNames: readonly string[],
  now: Date,
): Promise<Map<string, SourceResult<number>>> {
  const results = new Map<string, SourceResult<number>>();
  const unique = [...new Set(functionNames)];
  if (unique.length === 0) return results;
  const confirmed = await Promise.all(unique.map((functionName) => confirmFunction(lambda, functionName)));
  const readable = unique.filter((functionName, index) => {
    const failure = confirmed[index];
    if (failure !== undefined) results.set(functionName, readFailure(failure));
    return failure === undefined;
  });
  // GetMetricData takes 500 queries per call.
  for (let start = 0; start < readable.length; start += 500) {
    const chunk = readable.slice(start, start + 500);
    try {
      const latest = await latestConcurrency(cloudwatch, chunk, now);
      chunk.forEach((functionName, index) => results.set(functionName, readValue(latest[index] ?? 0)));
    } catch (error) {
      for (const functionName of chunk) results.set(functionName, readFailure(errorReason(error)));
    }
  }
  return results;
}

async function confirmFunction(lambda: LambdaClient, functionName: string): Promise<string | undefined> {
  try {
    await lambda.send(new GetFunctionConcurrencyCommand({ FunctionName: functionName }));
    return undefined;
  } catch (error) {
    return `could not confirm Lambda function ${functionName}: ${errorReason(error)}`;
  }
}

async function latestConcurrency(cloudwatch: CloudWatchClient, functionNames: readonly string[], now: Date): Promise<(number | undefined)[]> {
  const latest: (number | undefined)[] = functionNames.map(() => undefined);
  let nextToken: string | undefined;
  do {
    const response = await cloudwatch.send(
      new GetMetricDataCommand({
        StartTime: new Date(now.getTime() - CONCURRENCY_LOOKBACK_MS),
        EndTime: now,
        ScanBy: 'TimestampDescending',
        NextToken: nextToken,
        MetricDataQueries: functionNames.map((functionName, index) => ({
          Id: `f${index}`,
          ReturnData: true,
          MetricStat: {
            Metric: { Namespace: 'AWS/Lambda', MetricName: 'ConcurrentExecutions', Dimensions: [{ Name: 'FunctionName', Value: functionName }] },
            Period: 60,
            Stat: 'Maximum',
          },
        })),
      }),
    );
    for (const result of response.MetricDataResults ?? []) {
      const index = Number(result.Id?.slice(1));
      const timestamps = result.Timestamps ?? [];
      const values = result.Values ?? [];
      // Newest first (TimestampDescending), so a query's first page holds its latest datapoint; keep that one.
      const newest = timestamps.reduce((best, timestamp, at) => (best < 0 || timestamp > timestamps[best]! ? at : best), -1);
      if (newest >= 0 && Number.isInteger(index) && latest[index] === undefined) latest[index] = values[newest];
    }
    nextToken = response.NextToken;
  } while (nextToken);
  return latest;
}

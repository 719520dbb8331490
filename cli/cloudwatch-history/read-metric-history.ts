import { type CloudWatchClient, GetMetricDataCommand } from '@aws-sdk/client-cloudwatch';
import { fromPoints, type RegularSeries } from '../../shared/series/regular-series.ts';

export interface MetricHistoryRequest {
  readonly namespace: string;
  readonly metricName: string;
  readonly dimensions: Readonly<Record<string, string>>;
  /** @default 'Sum' */
  readonly stat?: string;
  readonly periodSeconds: number;
  readonly days: number;
  readonly now: Date;
}

/**
 * A user's metric history through the SDK (GetMetricData, NextToken paging), as counts per period, or per the
 * metric's own step when it is published less often.
 */
export async function readMetricHistory(cloudwatch: CloudWatchClient, request: MetricHistoryRequest): Promise<RegularSeries> {
  const periodMs = request.periodSeconds * 1000;
  const endMs = Math.floor(request.now.getTime() / periodMs) * periodMs;
  const startMs = endMs - request.days * 86_400_000;
  const points: Array<{ timestampMs: number; value: number }> = [];
  let nextToken: string | undefined;
  try {
    do {
      const page = await cloudwatch.send(
        new GetMetricDataCommand({
          StartTime: new Date(startMs),
          EndTime: new Date(endMs),
          ScanBy: 'TimestampAscending',
          NextToken: nextToken,
          MetricDataQueries: [
            {
              Id: 'load',
              MetricStat: {
                Metric: {
                  Namespace: request.namespace,
                  MetricName: request.metricName,
                  Dimensions: Object.entries(request.dimensions).map(([Name, Value]) => ({ Name, Value })),
                },
                Period: request.periodSeconds,
                Stat: request.stat ?? 'Sum',
              },
            },
          ],
        }),
      );
      const result = page.MetricDataResults?.[0];
      result?.Timestamps?.forEach((timestamp, index) => points.push({ timestampMs: timestamp.getTime(), value: result.Values![index]! }));
      nextToken = page.NextToken;
    } while (nextToken);
  } catch (error) {
    const name = (error as Error).name;
    if (name === 'CredentialsProviderError' || /credential/i.test((error as Error).message)) {
      throw new Error('no AWS credentials were found: set AWS_PROFILE (or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY) and AWS_REGION', {
        cause: error,
      });
    }
    if (/region is missing/i.test((error as Error).message))
      throw new Error('no AWS Region is set: set AWS_REGION (or a region in your AWS_PROFILE)', { cause: error });
    throw error;
  }
  const described = `${request.namespace} ${request.metricName} ${JSON.stringify(request.dimensions)}`;
  if (points.length < 2)
    throw new Error(
      `the metric ${described} has ${points.length} datapoint(s) in the last ${request.days} day(s): check its namespace, name and dimensions`,
    );
  // A metric published less often than the period asked for (hourly points read at 1 minute, or history older
  // than CloudWatch keeps at that resolution) is read at its own step, not as a minute of load and 59 of gaps.
  const times = points.map((point) => point.timestampMs).sort((a, b) => a - b);
  let spacing = Infinity;
  for (let index = 1; index < times.length; index++)
    if (times[index]! > times[index - 1]!) spacing = Math.min(spacing, times[index]! - times[index - 1]!);
  return fromPoints(points, Math.max(periodMs, Number.isFinite(spacing) ? spacing : periodMs));
}

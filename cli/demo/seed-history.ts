import { type CloudWatchClient, PutMetricDataCommand, type MetricDatum } from '@aws-sdk/client-cloudwatch';
import type { RegularSeries } from '../../shared/series/regular-series.ts';

export interface MetricSpec {
  readonly namespace: string;
  readonly metricName: string;
  readonly dimensions: ReadonlyArray<{ readonly Name: string; readonly Value: string }>;
}

/** PutMetricData's limit per call. */
const DATUMS_PER_CALL = 1000;

/**
 * Writes a load series into CloudWatch as per-step sums (arrivals per second x step seconds), the way a queue's
 * NumberOfMessagesSent would have recorded it. Gaps stay gaps.
 */
export async function seedMetricHistory(cloudwatch: CloudWatchClient, metric: MetricSpec, load: RegularSeries): Promise<number> {
  const stepSeconds = load.stepMs / 1000;
  const datums: MetricDatum[] = [];
  load.values.forEach((perSecond, index) => {
    if (!Number.isFinite(perSecond)) return;
    datums.push({
      MetricName: metric.metricName,
      Dimensions: [...metric.dimensions],
      Timestamp: new Date(load.startMs + index * load.stepMs),
      Value: Math.round(perSecond * stepSeconds),
      Unit: 'Count',
    });
  });
  for (let start = 0; start < datums.length; start += DATUMS_PER_CALL) {
    await cloudwatch.send(new PutMetricDataCommand({ Namespace: metric.namespace, MetricData: datums.slice(start, start + DATUMS_PER_CALL) }));
  }
  return datums.length;
}

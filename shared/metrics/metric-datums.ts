/**
 * Raw samples turned into PutMetricData datums: distinct values with their counts (Values/Counts), so CloudWatch
 * keeps the distribution and percentile statistics work on the published metric.
 * https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_MetricDatum.html (Values: up to 150
 * distinct values per datum) and https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_PutMetricData.html
 * (up to 1,000 datums per request).
 */
export const MAX_VALUES_PER_DATUM = 150;
export const MAX_DATUMS_PER_REQUEST = 1000;

export interface Dimension {
  readonly Name: string;
  readonly Value: string;
}

/** The fields of the SDK's MetricDatum this module fills (kept SDK-free: shared/ imports no AWS SDK). */
export interface MetricDatumShape {
  readonly MetricName: string;
  readonly Dimensions: Dimension[];
  readonly Timestamp: Date;
  readonly Unit: 'Milliseconds' | 'Count';
  readonly Values: number[];
  readonly Counts: number[];
  readonly StorageResolution: 60;
}

/** Datums for one metric's samples, values rounded to whole units, at most 150 distinct values each. */
export function sampleDatums(
  metricName: string,
  samples: readonly number[],
  unit: MetricDatumShape['Unit'],
  dimensions: Dimension[],
  timestamp: Date,
): MetricDatumShape[] {
  const counts = new Map<number, number>();
  for (const sample of samples) {
    if (!Number.isFinite(sample)) continue;
    const value = Math.max(0, Math.round(sample));
    counts.set(value, (counts.get(value) ?? 0) + 1);
  }
  const entries = [...counts.entries()].sort((a, b) => a[0] - b[0]);
  const datums: MetricDatumShape[] = [];
  for (let start = 0; start < entries.length; start += MAX_VALUES_PER_DATUM) {
    const chunk = entries.slice(start, start + MAX_VALUES_PER_DATUM);
    datums.push({
      MetricName: metricName,
      Dimensions: dimensions,
      Timestamp: timestamp,
      Unit: unit,
      Values: chunk.map(([value]) => value),
      Counts: chunk.map(([, count]) => count),
      StorageResolution: 60,
    });
  }
  return datums;
}

/** Datums split into PutMetricData-sized requests. */
export function requestsOf<T>(datums: readonly T[]): T[][] {
  const requests: T[][] = [];
  for (let start = 0; start < datums.length; start += MAX_DATUMS_PER_REQUEST) requests.push(datums.slice(start, start + MAX_DATUMS_PER_REQUEST));
  return requests;
}

/**
 * Raw samples turned into PutMetricData datums: distinct values with their counts (Values/Counts), so CloudWatch
 * keeps the distribution and percentile statistics work on the published metric.
 * https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_MetricDatum.html (Values: up to 150
 * distinct values per datum) and https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_PutMetricData.html
 * (up to 1,000 datums per request).
 */
import { headroomMetricContract, type MetricUnitName } from './contract.ts';

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
  readonly Unit: MetricUnitName;
  readonly Values: number[];
  readonly Counts: number[];
  readonly StorageResolution: number;
}

/**
 * Datums for one of headroom's metrics, shaped by its entry in the metric contract (unit, storage resolution and
 * exactly its dimension set, in the contract's order), values rounded to whole units, at most 150 distinct each.
 * Throws when `dimensionValues` does not name exactly the contract's dimensions: a datum with another set is a
 * different metric that nothing reads.
 */
export function sampleDatums(
  metricName: string,
  samples: readonly number[],
  dimensionValues: Readonly<Record<string, string>>,
  timestamp: Date,
): MetricDatumShape[] {
  const contract = headroomMetricContract(metricName);
  if (!contract) throw new Error(`${metricName} is not in the metric contract (shared/metrics/contract.ts)`);
  const given = Object.keys(dimensionValues).sort();
  if (given.join() !== [...contract.dimensions].sort().join())
    throw new Error(`${metricName} is published with dimensions {${contract.dimensions.join(', ')}}, not {${given.join(', ')}}`);
  const dimensions: Dimension[] = contract.dimensions.map((name) => ({ Name: name, Value: dimensionValues[name]! }));
  const unit = contract.unit;
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
      StorageResolution: contract.storageResolution,
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

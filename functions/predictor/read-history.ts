import { GetMetricDataCommand, type CloudWatchClient, type MetricDataQuery } from '@aws-sdk/client-cloudwatch';
import { FLOOR_TUNING_DAYS, type PredictorConfig, type PredictorTarget } from '../../shared/predictor/config.ts';
import type { RegularSeries } from '../../shared/series/regular-series.ts';

/** GetMetricData's limits per call. */
const MAX_QUERIES = 500;
const MAX_DATAPOINTS = 100_800;

export interface HistoryRead {
  /** Load per second per target workload, on a regular grid; missing periods are gaps. */
  readonly series: Map<string, RegularSeries>;
  /** Targets whose history could not be read, and why. */
  readonly failures: Map<string, string>;
  readonly calls: number;
}

interface QuerySlot {
  readonly workload: string;
  readonly query: MetricDataQuery;
  readonly perSecond: boolean;
}

/**
 * Reads every target's load history in as few GetMetricData calls as the limits allow (500 queries and
 * 100,800 datapoints a call, NextToken paging). The newest period is still filling, so the history ends at
 * the start of the current period. A target's load is the sum of its metrics; Sum statistics become per second.
 */
export async function readLoadHistory(cloudwatch: CloudWatchClient, config: PredictorConfig, nowMs: number): Promise<HistoryRead> {
  const periodMs = config.periodSeconds * 1000;
  const endMs = Math.floor(nowMs / periodMs) * periodMs;
  // A target the predictor tunes replays its last FLOOR_TUNING_DAYS before today, each with historyDays behind it.
  const tuningDays = config.targets.some((target) => target.floorTuning) ? FLOOR_TUNING_DAYS + 1 : 0;
  const startMs = endMs - (config.historyDays + tuningDays) * 86_400_000;
  const points = (endMs - startMs) / periodMs;
  const slots: QuerySlot[] = config.targets.flatMap((target: PredictorTarget, t) =>
    target.load.map((metric, m) => ({
      workload: target.workload,
      perSecond: metric.stat === 'Sum',
      query: {
        Id: `t${t}m${m}`,
        ReturnData: true,
        MetricStat: {
          Metric: {
            Namespace: metric.namespace,
            MetricName: metric.metricName,
            Dimensions: Object.entries(metric.dimensions).map(([Name, Value]) => ({ Name, Value })),
          },
          Period: config.periodSeconds,
          Stat: metric.stat,
        },
      },
    })),
  );
  const perCall = Math.max(1, Math.min(MAX_QUERIES, Math.floor(MAX_DATAPOINTS / points)));
  const values = new Map<string, Map<number, number>>();
  const failures = new Map<string, string>();
  let calls = 0;
  /** Reads one chunk of queries, every page; throws what GetMetricData throws. */
  const readChunk = async (chunk: readonly QuerySlot[]) => {
    let nextToken: string | undefined;
    do {
      const page = await cloudwatch.send(
        new GetMetricDataCommand({
          StartTime: new Date(startMs),
          EndTime: new Date(endMs),
          MetricDataQueries: chunk.map((slot) => slot.query),
          NextToken: nextToken,
          ScanBy: 'TimestampAscending',
        }),
      );
      calls++;
      for (const result of page.MetricDataResults ?? []) {
        const slot = chunk.find((candidate) => candidate.query.Id === result.Id)!;
        if (result.StatusCode === 'PartialData' && !page.NextToken)
          failures.set(slot.workload, `GetMetricData returned partial data for ${slot.query.Id}`);
        const byTime = values.get(slot.query.Id!) ?? new Map<number, number>();
        result.Timestamps?.forEach((timestamp, index) =>
          byTime.set(timestamp.getTime(), result.Values![index]! / (slot.perSecond ? config.periodSeconds : 1)),
        );
        values.set(slot.query.Id!, byTime);
      }
      nextToken = page.NextToken;
    } while (nextToken);
  };
  const fail = (chunk: readonly QuerySlot[], error: unknown) => {
    for (const slot of chunk) failures.set(slot.workload, `GetMetricData failed: ${(error as Error).name}: ${(error as Error).message}`);
  };
  for (let start = 0; start < slots.length; start += perCall) {
    const chunk = slots.slice(start, start + perCall);
    try {
      await readChunk(chunk);
    } catch (error) {
      // One target's query GetMetricData rejects fails the whole call: read each workload of the chunk on its own,
      // so only the one at fault fails (the SDK has already retried what throttling and 5xx were).
      const workloads = [...new Set(chunk.map((slot) => slot.workload))];
      if (workloads.length === 1) {
        fail(chunk, error);
        continue;
      }
      for (const workload of workloads) {
        const own = chunk.filter((slot) => slot.workload === workload);
        for (const slot of own) values.delete(slot.query.Id!);
        try {
          await readChunk(own);
        } catch (alone) {
          fail(own, alone);
        }
      }
    }
  }
  const series = new Map<string, RegularSeries>();
  config.targets.forEach((target, t) => {
    if (failures.has(target.workload)) return;
    const grid = Array.from({ length: points }, (_, index) => {
      const time = startMs + index * periodMs;
      let total = 0;
      for (let m = 0; m < target.load.length; m++) {
        const value = values.get(`t${t}m${m}`)?.get(time);
        // A period some metric did not report is a gap, never a zero.
        if (value === undefined) return Number.NaN;
        total += value;
      }
      return total;
    });
    series.set(target.workload, { startMs, stepMs: periodMs, values: grid });
  });
  return { series, failures, calls };
}

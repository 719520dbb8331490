import { GetMetricDataCommand, type CloudWatchClient, type MetricDataQuery } from '@aws-sdk/client-cloudwatch';
import {
  arrivalsPerSecond,
  ARRIVAL_WINDOW_MINUTES,
  blendedTimePerMessageMs,
  type BacklogSourceConfig,
  type MeasuredTimePerMessage,
  type QueueDemand,
  type RequiredCapacityConfig,
} from '../../shared/backlog/index.ts';
import { errorReason, readFailure, readValue, type SourceResult } from './source-result.ts';
import { MeasuredTimeCache } from './measured-time-cache.ts';

/** How far back the consumers' measured time per message is averaged: long enough for a few hundred samples at low rates. */
export const MEASURED_LOOKBACK_MS = 15 * 60_000;

/** GetMetricData takes 500 queries a call; each source asks for up to three. */
const SOURCES_PER_CALL = 160;

type DemandSource = BacklogSourceConfig & { readonly requiredCapacity: RequiredCapacityConfig };

/** The queue name in an SQS queue URL (its last path segment): the QueueName dimension of AWS/SQS metrics. */
export function queueName(queueUrl: string): string {
  return queueUrl.slice(queueUrl.lastIndexOf('/') + 1);
}

/**
 * What RequiredCapacityPerTask is computed from, besides the backlog, for every source that publishes it: the
 * arrival rate from the queue's own NumberOfMessagesSent (AWS/SQS, Sum per minute, the minutes of the last ten
 * that have a datapoint: SQS publishes each minute a little late) and the time per message, the declared value
 * blended with the consumers' measured one (read again only when `measuredTimes` holds none fresh). Metrics are
 * read in as few GetMetricData calls as its 500-query limit allows; a call that fails is a failed read for its
 * sources, so nothing is published for them (never a zero).
 */
export async function readQueueDemand(
  cloudwatch: CloudWatchClient,
  sources: readonly BacklogSourceConfig[],
  now: Date,
  measuredTimes: MeasuredTimeCache = new MeasuredTimeCache(),
): Promise<Map<string, SourceResult<Omit<QueueDemand, 'backlog'>>>> {
  const results = new Map<string, SourceResult<Omit<QueueDemand, 'backlog'>>>();
  const demandSources = sources.filter((source): source is DemandSource => source.requiredCapacity !== undefined);
  for (let start = 0; start < demandSources.length; start += SOURCES_PER_CALL) {
    const chunk = demandSources.slice(start, start + SOURCES_PER_CALL);
    try {
      const kept = chunk.map((source) => measuredTimes.fresh(measuredKey(source), now.getTime()));
      const values = await readSums(
        cloudwatch,
        chunk.flatMap((source, index) => queries(source, index, kept[index] === undefined)),
        now,
      );
      chunk.forEach((source, index) => {
        const config = source.requiredCapacity;
        const sent = values.get(`sent${index}`) ?? [];
        const measured = kept[index] ? kept[index].measured : measuredFrom(values, index);
        if (!kept[index]) measuredTimes.keep(measuredKey(source), now.getTime(), measured);
        results.set(
          source.workload,
          readValue({
            arrivalsPerSecond: arrivalsPerSecond(sent),
            timePerMessageMs: blendedTimePerMessageMs(config.timePerMessageMs, measured),
            drainBudgetMs: config.drainBudgetMs,
          }),
        );
      });
    } catch (error) {
      for (const source of chunk) results.set(source.workload, readFailure(`GetMetricData (arrivals, time per message): ${errorReason(error)}`));
    }
  }
  return results;
}

function measuredKey(source: DemandSource): string {
  return `${source.workload} ${JSON.stringify(source.requiredCapacity.measuredTimePerMessage ?? null)}`;
}

function measuredFrom(values: ReadonlyMap<string, number[]>, index: number): MeasuredTimePerMessage | undefined {
  const total = sum(values.get(`time${index}`) ?? []);
  const samples = sum(values.get(`samples${index}`) ?? []);
  return samples > 0 ? { meanMs: total / samples, samples } : undefined;
}

function queries(source: DemandSource, index: number, readMeasured: boolean): MetricDataQuery[] {
  const sent: MetricDataQuery = {
    Id: `sent${index}`,
    ReturnData: true,
    MetricStat: {
      Metric: { Namespace: 'AWS/SQS', MetricName: 'NumberOfMessagesSent', Dimensions: [{ Name: 'QueueName', Value: queueName(source.queueUrl) }] },
      Period: 60,
      Stat: 'Sum',
    },
  };
  const measured = source.requiredCapacity.measuredTimePerMessage;
  if (!measured || !readMeasured) return [sent];
  const metric = {
    Namespace: measured.namespace,
    MetricName: measured.metricName,
    Dimensions: measured.dimensions.map(({ name, value }) => ({ Name: name, Value: value })),
  };
  return [
    sent,
    { Id: `time${index}`, ReturnData: true, MetricStat: { Metric: metric, Period: 60, Stat: 'Sum' } },
    { Id: `samples${index}`, ReturnData: true, MetricStat: { Metric: metric, Period: 60, Stat: 'SampleCount' } },
  ];
}

/** Each query's datapoints within its window (arrivals: the last ten minutes; measured time: the last fifteen), all pages. */
async function readSums(cloudwatch: CloudWatchClient, metricQueries: MetricDataQuery[], now: Date): Promise<Map<string, number[]>> {
  const values = new Map<string, number[]>();
  const arrivalsFrom = now.getTime() - ARRIVAL_WINDOW_MINUTES * 60_000;
  let nextToken: string | undefined;
  do {
    const response = await cloudwatch.send(
      new GetMetricDataCommand({
        StartTime: new Date(now.getTime() - MEASURED_LOOKBACK_MS),
        EndTime: now,
        MetricDataQueries: metricQueries,
        NextToken: nextToken,
      }),
    );
    for (const result of response.MetricDataResults ?? []) {
      const id = result.Id ?? '';
      const timestamps = result.Timestamps ?? [];
      const kept = (result.Values ?? []).filter((_, at) => !id.startsWith('sent') || (timestamps[at]?.getTime() ?? 0) >= arrivalsFrom);
      values.set(id, [...(values.get(id) ?? []), ...kept]);
    }
    nextToken = response.NextToken;
  } while (nextToken);
  return values;
}

const sum = (values: readonly number[]) => values.reduce((total, value) => total + value, 0);

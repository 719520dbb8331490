import type { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { PutMetricDataCommand } from '@aws-sdk/client-cloudwatch';
import type { ECSClient } from '@aws-sdk/client-ecs';
import type { LambdaClient } from '@aws-sdk/client-lambda';
import type { SQSClient } from '@aws-sdk/client-sqs';
import {
  backlogDatums,
  batchDatums,
  type BacklogDatum,
  type BacklogPublisherConfig,
  type BacklogSourceConfig,
  type EcsServiceRef,
} from '../../shared/backlog/index.ts';
import { mapConcurrently } from './map-concurrently.ts';
import { ecsCapacityOf, readEcsCapacity, type EcsCapacity } from './read-ecs-capacity.ts';
import { readLambdaConcurrency } from './read-lambda-capacity.ts';
import { MeasuredTimeCache } from './measured-time-cache.ts';
import { readQueueDemand } from './read-queue-demand.ts';
import { readQueueDepth } from './read-queue-depth.ts';
import { errorReason, readFailure, readValue, type SourceResult } from './source-result.ts';

export interface BacklogPublisherClients {
  readonly sqs: SQSClient;
  readonly ecs: ECSClient;
  readonly lambda: LambdaClient;
  readonly cloudwatch: CloudWatchClient;
}

export interface SourceFailure {
  readonly workload: string;
  readonly reason: string;
}

export interface PublishOutcome {
  /** Workloads whose metrics CloudWatch accepted. */
  readonly published: readonly string[];
  /** Sources nothing was published for, and why. */
  readonly failures: readonly SourceFailure[];
  readonly putMetricDataCalls: number;
}

/** Queues read at once: enough to finish hundreds of sources in a few seconds, few enough to stay under SQS's API rate. */
const QUEUE_READ_CONCURRENCY = 16;

/**
 * One publisher run: read every source's queue depth and consumer capacity (and, for sources that publish
 * RequiredCapacityPerTask, the arrival rate and time per message), then publish the sources that were read in
 * full. A source missing any part is published nowhere (never as zero) and reported.
 */
export async function publishBacklog(
  config: BacklogPublisherConfig,
  clients: BacklogPublisherClients,
  now: Date,
  measuredTimes: MeasuredTimeCache = new MeasuredTimeCache(),
): Promise<PublishOutcome> {
  const ecsServices: EcsServiceRef[] = config.sources.flatMap((source) => (source.consumer.kind === 'ecs' ? [source.consumer] : []));
  const functionNames = config.sources.flatMap((source) => (source.consumer.kind === 'lambda' ? [source.consumer.functionName] : []));
  const [depths, ecsCounts, lambdaConcurrency, demands] = await Promise.all([
    mapConcurrently(config.sources, QUEUE_READ_CONCURRENCY, (source) => readQueueDepth(clients.sqs, source.queueUrl)),
    ecsServices.length > 0 ? readEcsCapacity(clients.ecs, ecsServices) : new Map<string, SourceResult<EcsCapacity>>(),
    readLambdaConcurrency(clients.cloudwatch, clients.lambda, functionNames, now),
    readQueueDemand(clients.cloudwatch, config.sources, now, measuredTimes),
  ]);

  const failures: SourceFailure[] = [];
  const readSources: { workload: string; datums: BacklogDatum[] }[] = [];
  config.sources.forEach((source, index) => {
    const depth = depths[index]!;
    const capacity = consumerCapacity(source, ecsCounts, lambdaConcurrency);
    const demand = source.requiredCapacity ? demands.get(source.workload) : undefined;
    if (!depth.ok) failures.push({ workload: source.workload, reason: `queue ${source.queueUrl}: ${depth.reason}` });
    else if (!capacity.ok) failures.push({ workload: source.workload, reason: capacity.reason });
    else if (demand && !demand.ok) failures.push({ workload: source.workload, reason: demand.reason });
    else {
      const reading = {
        workload: source.workload,
        depth: depth.value,
        countDelayed: source.countDelayed,
        runningCapacity: capacity.value.running,
        desiredCapacity: capacity.value.desired,
        ...(demand?.ok ? { demand: demand.value } : {}),
        ...(source.metrics ? { metrics: source.metrics } : {}),
      };
      readSources.push({ workload: source.workload, datums: backlogDatums(reading, now) });
    }
  });

  const published: string[] = [];
  const batches = batchDatums(readSources.map((source) => source.datums));
  await Promise.all(
    batches.map(async (batch) => {
      const workloads = [...new Set(batch.map((datum) => datum.Dimensions[0]!.Value))];
      try {
        await clients.cloudwatch.send(
          new PutMetricDataCommand({
            Namespace: config.namespace,
            MetricData: batch.map((datum) => ({ ...datum, Dimensions: [...datum.Dimensions] })),
          }),
        );
        published.push(...workloads);
      } catch (error) {
        failures.push(...workloads.map((workload) => ({ workload, reason: `PutMetricData: ${errorReason(error)}` })));
      }
    }),
  );
  return { published, failures, putMetricDataCalls: batches.length };
}

/** Running and desired capacity; a Lambda consumer's desired capacity is what runs (its poller decides, not a desired count). */
function consumerCapacity(
  source: BacklogSourceConfig,
  ecsCounts: Map<string, SourceResult<EcsCapacity>>,
  lambdaConcurrency: Map<string, SourceResult<number>>,
): SourceResult<EcsCapacity> {
  if (source.consumer.kind === 'ecs') return ecsCapacityOf(ecsCounts, source.consumer);
  const concurrency =
    lambdaConcurrency.get(source.consumer.functionName) ?? readFailure<number>(`Lambda function ${source.consumer.functionName} was not read`);
  return concurrency.ok ? readValue({ running: concurrency.value, desired: concurrency.value }) : concurrency;
}

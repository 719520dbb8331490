import { CloudWatchClient, GetMetricStatisticsCommand } from '@aws-sdk/client-cloudwatch';
import { GetQueueUrlCommand, PurgeQueueCommand, SendMessageBatchCommand, SQSClient } from '@aws-sdk/client-sqs';
import { Logger } from '@aws-lambda-powertools/logger';
import { createOrderWorker } from '../../functions/demo-worker/order-worker.ts';
import { DEFAULT_NAMESPACE, MetricName, WORKLOAD_DIMENSION } from '../../shared/metrics/names.ts';

const ORDERS = 40;

/**
 * The reference app's Fargate worker, run in-process against the deployed worker queue (moto runs no containers):
 * the worker kit consumes real orders, leaves a malformed one for redelivery and the DLQ, and publishes the metrics
 * QueueScaledService reads, which are then read back from CloudWatch.
 */
export async function demoWorkerKit(workerQueueName: string, workload: string, log: (line: string) => void): Promise<void> {
  const sqs = new SQSClient({ useQueueUrlAsEndpoint: false });
  const { QueueUrl: queueUrl } = await sqs.send(new GetQueueUrlCommand({ QueueName: workerQueueName }));
  // The backlog sent for the publisher above is not orders: start the worker on a queue of real ones.
  await sqs.send(new PurgeQueueCommand({ QueueUrl: queueUrl }));
  const bodies = [
    ...Array.from({ length: ORDERS }, (_, n) =>
      JSON.stringify({ orderId: `order-${n}`, lines: [{ sku: 'widget', quantity: 1 + (n % 3), unitPrice: 2.5 }] }),
    ),
    '{"orderId": "broken", "lines": "not a list"}',
  ];
  for (let start = 0; start < bodies.length; start += 10)
    await sqs.send(
      new SendMessageBatchCommand({
        QueueUrl: queueUrl,
        Entries: bodies.slice(start, start + 10).map((MessageBody, index) => ({ Id: `o${index}`, MessageBody })),
      }),
    );
  const worker = createOrderWorker({
    queueUrl: queueUrl!,
    workload,
    workMs: 25,
    concurrency: 10,
    waitTimeSeconds: 1,
    stopSignals: [],
    taskProtection: false,
    logger: new Logger({ logLevel: 'SILENT' }),
  });
  const began = performance.now();
  const done = worker.run();
  while (worker.summary.processed < ORDERS || worker.summary.failed < 1) {
    if (performance.now() - began > 60_000) break;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  const seconds = (performance.now() - began) / 1000;
  const summary = await worker.stop();
  await done;
  log(
    `worker kit (the reference Fargate worker, in-process): ${summary.processed} orders handled in ${seconds.toFixed(1)} s at concurrency 10, ${summary.failed} malformed order left on the queue for redelivery (the DLQ after 5 receives)`,
  );
  const cloudwatch = new CloudWatchClient({});
  const { Datapoints = [] } = await cloudwatch.send(
    new GetMetricStatisticsCommand({
      Namespace: DEFAULT_NAMESPACE,
      MetricName: MetricName.messageProcessingTime,
      Dimensions: [{ Name: WORKLOAD_DIMENSION, Value: workload }],
      StartTime: new Date(Date.now() - 600_000),
      EndTime: new Date(Date.now() + 60_000),
      Period: 60,
      Statistics: ['SampleCount', 'Average'],
    }),
  );
  const samples = Datapoints.reduce((sum, point) => sum + (point.SampleCount ?? 0), 0);
  const average = Datapoints.reduce((sum, point) => sum + (point.Average ?? 0) * (point.SampleCount ?? 0), 0) / Math.max(1, samples);
  log(
    `  read back from CloudWatch: ${MetricName.messageProcessingTime} {${WORKLOAD_DIMENSION}=${workload}} ${samples} samples, average ${average.toFixed(0)} ms: the measured time per message QueueScaledService blends with its declared one`,
  );
}

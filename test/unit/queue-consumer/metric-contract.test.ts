import type { SQSEvent } from 'aws-lambda';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { CONSUMER_KIT_METRICS, HEADROOM_NAMESPACE } from '../../../shared/metrics/contract.ts';
import { createQueueConsumer } from '../../../functions/queue-consumer/index.ts';
import { lambdaContext } from '../../support/lambda-context.ts';
import { sqsRecord } from '../../support/sqs-record.ts';

vi.stubEnv('POWERTOOLS_LOG_LEVEL', 'SILENT');

interface EmfDocument {
  readonly _aws: { CloudWatchMetrics: { Namespace: string; Dimensions: string[][]; Metrics: { Name: string; Unit: string }[] }[] };
  readonly [key: string]: unknown;
}

/** The EMF documents Powertools wrote to stdout while `run` ran: what CloudWatch Logs turns into metrics. */
async function emfDuring(run: () => Promise<unknown>): Promise<EmfDocument[]> {
  const stdout = vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
  try {
    await run();
    return stdout.mock.calls
      .map(([chunk]) => String(chunk))
      .filter((line) => line.includes('"_aws"'))
      .map((line) => JSON.parse(line) as EmfDocument);
  } finally {
    stdout.mockRestore();
  }
}

afterEach(() => vi.restoreAllMocks());

const event: SQSEvent = {
  Records: [
    sqsRecord({ messageId: 'ok', body: 'ok', attributes: { SentTimestamp: String(Date.now() - 1000) } }),
    sqsRecord({ messageId: 'bad', body: 'bad', attributes: { SentTimestamp: String(Date.now() - 2000) } }),
  ],
};

describe('the Lambda consumer kit against the metric contract', () => {
  // As deployed by QueueConsumerFunction: Powertools' service name set, the workload from the environment.
  const env = { POWERTOOLS_SERVICE_NAME: 'orders-consumer', HEADROOM_WORKLOAD: 'orders' };

  it('emits every consumer-kit metric of the contract with exactly its dimension set, unit and namespace', async () => {
    vi.stubEnv('POWERTOOLS_SERVICE_NAME', 'orders-consumer');
    const handler = createQueueConsumer(
      (body) => {
        if (body === 'bad') throw new Error('refused');
      },
      { env },
    );
    const documents = await emfDuring(() => handler(event, lambdaContext(30_000)));
    const emitted = documents.flatMap((document) =>
      document._aws.CloudWatchMetrics.flatMap((directive) =>
        directive.Metrics.map((metric) => ({
          name: metric.Name,
          unit: metric.Unit,
          namespace: directive.Namespace,
          // EMF: each dimension set is a list of keys whose values are the document's top-level fields.
          dimensionSets: directive.Dimensions.map((set) => [...set].sort()),
          workload: document.Workload,
        })),
      ),
    );
    for (const contract of CONSUMER_KIT_METRICS) {
      const metric = emitted.find((entry) => entry.name === contract.metricName);
      expect(metric, `${contract.metricName} emitted`).toBeDefined();
      expect(metric!.namespace).toBe(HEADROOM_NAMESPACE);
      expect(metric!.dimensionSets).toEqual([[...contract.dimensions].sort()]);
      expect(metric!.unit).toBe(contract.unit);
      expect(metric!.workload).toBe('orders');
    }
  });

  it('publishes raw per-message values for the metrics whose percentiles the contract allows', async () => {
    const handler = createQueueConsumer(() => undefined, { env });
    const [document] = await emfDuring(() => handler(event, lambdaContext(30_000)));
    for (const contract of CONSUMER_KIT_METRICS.filter((entry) => entry.percentiles)) {
      expect(document![contract.metricName], contract.metricName).toHaveLength(event.Records.length);
    }
  });
});

import { setTimeout as sleep } from 'node:timers/promises';
import { CloudWatchClient, GetMetricStatisticsCommand, ListMetricsCommand } from '@aws-sdk/client-cloudwatch';
import { CreateQueueCommand, GetQueueAttributesCommand, ReceiveMessageCommand, SendMessageBatchCommand, SQSClient } from '@aws-sdk/client-sqs';
import { describe, expect, it, vi } from 'vitest';
import { createQueueWorker, type QueueWorker, WorkerStoppingError } from '../../functions/queue-worker/index.ts';
import { uniqueName } from '../support/names.ts';

// The worker kit's loop against moto's SQS and CloudWatch: real visibility timeouts, redrive and FIFO groups.
// Failures here are on purpose: keep their logs out of the test output.
vi.stubEnv('POWERTOOLS_LOG_LEVEL', 'SILENT');

const sqs = new SQSClient({});
const cloudWatch = new CloudWatchClient({});

interface Queue {
  readonly queueUrl: string;
  readonly deadLetterQueueUrl: string;
}

async function queueWithDeadLetters(options: { visibilityTimeout: number; maxReceiveCount?: number; fifo?: boolean }): Promise<Queue> {
  const name = uniqueName('worker');
  const suffix = options.fifo ? '.fifo' : '';
  const fifoAttributes = options.fifo ? { FifoQueue: 'true', ContentBasedDeduplication: 'true' } : {};
  const { QueueUrl: deadLetterQueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: `${name}-dlq${suffix}`, Attributes: fifoAttributes }));
  const { Attributes } = await sqs.send(new GetQueueAttributesCommand({ QueueUrl: deadLetterQueueUrl, AttributeNames: ['QueueArn'] }));
  const { QueueUrl: queueUrl } = await sqs.send(
    new CreateQueueCommand({
      QueueName: `${name}${suffix}`,
      Attributes: {
        ...fifoAttributes,
        VisibilityTimeout: String(options.visibilityTimeout),
        RedrivePolicy: JSON.stringify({ deadLetterTargetArn: Attributes!.QueueArn, maxReceiveCount: options.maxReceiveCount ?? 5 }),
      },
    }),
  );
  return { queueUrl: queueUrl!, deadLetterQueueUrl: deadLetterQueueUrl! };
}

async function send(queueUrl: string, bodies: readonly string[], groupOf?: (body: string) => string): Promise<void> {
  for (let start = 0; start < bodies.length; start += 10) {
    const batch = bodies.slice(start, start + 10);
    await sqs.send(
      new SendMessageBatchCommand({
        QueueUrl: queueUrl,
        Entries: batch.map((body, index) => ({ Id: `m${index}`, MessageBody: body, ...(groupOf ? { MessageGroupId: groupOf(body) } : {}) })),
      }),
    );
  }
}

async function depth(queueUrl: string): Promise<{ visible: number; inFlight: number }> {
  const { Attributes = {} } = await sqs.send(
    new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'] }),
  );
  return { visible: Number(Attributes.ApproximateNumberOfMessages), inFlight: Number(Attributes.ApproximateNumberOfMessagesNotVisible) };
}

/** Every body a plain receive gets from the queue now (no long poll), leaving them invisible. */
async function drainBodies(queueUrl: string): Promise<string[]> {
  const bodies: string[] = [];
  for (;;) {
    const { Messages = [] } = await sqs.send(new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 0 }));
    if (Messages.length === 0) return bodies;
    bodies.push(...Messages.map((message) => message.Body!));
  }
}

async function until(condition: () => boolean | Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
  const giveUpAt = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > giveUpAt) throw new Error(`timed out waiting for ${what}`);
    await sleep(50);
  }
}

const quick = { waitTimeSeconds: 1, stopSignals: [] as NodeJS.Signals[], metrics: false as const, taskProtection: false as const };

describe('the worker kit against SQS (moto)', () => {
  it('handles every message once, never more than `concurrency` at a time, and deletes what it handled', async () => {
    const queue = await queueWithDeadLetters({ visibilityTimeout: 30 });
    await send(
      queue.queueUrl,
      Array.from({ length: 40 }, (_, index) => `m${index}`),
    );
    let running = 0;
    let mostAtOnce = 0;
    const handled: string[] = [];
    const worker = createQueueWorker(
      async (body) => {
        running += 1;
        mostAtOnce = Math.max(mostAtOnce, running);
        await sleep(20);
        handled.push(body);
        running -= 1;
      },
      { ...quick, queueUrl: queue.queueUrl, concurrency: 4 },
    );
    const done = worker.run();
    await until(() => handled.length === 40, 30_000, '40 messages handled');
    const summary = await worker.stop();
    await done;
    expect(new Set(handled).size).toBe(40);
    expect(mostAtOnce).toBeLessThanOrEqual(4);
    expect(mostAtOnce).toBeGreaterThan(1);
    expect(summary).toMatchObject({ received: 40, processed: 40, failed: 0, released: 0 });
    expect(await depth(queue.queueUrl)).toEqual({ visible: 0, inFlight: 0 });
  });

  it('leaves a poison message for redelivery until SQS moves it to the dead-letter queue, and handles the rest', async () => {
    const queue = await queueWithDeadLetters({ visibilityTimeout: 2, maxReceiveCount: 3 });
    await send(queue.queueUrl, ['ok-1', 'poison', 'ok-2', 'not-an-error']);
    const attempts = new Map<string, number>();
    const worker = createQueueWorker(
      async (body) => {
        attempts.set(body, (attempts.get(body) ?? 0) + 1);
        if (body === 'poison') throw new Error('cannot handle this one');
        // A handler that throws something that is not an Error fails its message like any other.
        if (body === 'not-an-error') throw undefined;
      },
      { ...quick, queueUrl: queue.queueUrl },
    );
    const done = worker.run();
    await until(async () => (await visibleCount(queue.deadLetterQueueUrl)) === 2, 40_000, 'both failing messages in the DLQ');
    await worker.stop();
    await done;
    // Tried exactly maxReceiveCount times each before SQS dead-lettered them; never dropped.
    expect(attempts.get('poison')).toBe(3);
    expect(attempts.get('not-an-error')).toBe(3);
    expect(attempts.get('ok-1')).toBe(1);
    expect(attempts.get('ok-2')).toBe(1);
    expect((await drainBodies(queue.deadLetterQueueUrl)).sort()).toEqual(['not-an-error', 'poison']);
    expect(await depth(queue.queueUrl)).toEqual({ visible: 0, inFlight: 0 });
  }, 60_000);

  it('extends the visibility of a job longer than the visibility timeout, so no one else receives it meanwhile', async () => {
    const queue = await queueWithDeadLetters({ visibilityTimeout: 2 });
    await send(queue.queueUrl, ['long-job']);
    let runs = 0;
    const worker = createQueueWorker(
      async () => {
        runs += 1;
        await sleep(6_000);
      },
      { ...quick, queueUrl: queue.queueUrl, heartbeatIntervalSeconds: 0.5 },
    );
    const done = worker.run();
    await until(() => runs === 1, 10_000, 'the job to start');
    // Three times the visibility timeout later, a second consumer still gets nothing: the heartbeat holds it.
    const stolen: string[] = [];
    const watchUntil = Date.now() + 5_000;
    while (Date.now() < watchUntil) {
      stolen.push(...(await drainBodies(queue.queueUrl)));
      await sleep(250);
    }
    await until(() => worker.summary.processed === 1, 10_000, 'the job to finish');
    const summary = await worker.stop();
    await done;
    expect(stolen).toEqual([]);
    expect(runs).toBe(1);
    // A 6 s job under a 2 s visibility timeout needs repeated extensions.
    expect(summary.heartbeats).toBeGreaterThanOrEqual(2);
    expect(await depth(queue.queueUrl)).toEqual({ visible: 0, inFlight: 0 });
  }, 30_000);

  it('on SIGTERM stops receiving, finishes what it can within the stop timeout and gives the rest back at once', async () => {
    const queue = await queueWithDeadLetters({ visibilityTimeout: 60 });
    await send(queue.queueUrl, ['quick-1', 'quick-2', 'stuck']);
    const started = new Set<string>();
    let stuckAbortReason: unknown;
    const worker: QueueWorker = createQueueWorker(
      async (body, _record, _context, signal) => {
        started.add(body);
        if (body !== 'stuck') return sleep(300);
        // Ignores nothing: waits until the worker aborts it.
        await new Promise<void>((resolve) => signal.addEventListener('abort', () => resolve()));
        stuckAbortReason = signal.reason;
      },
      { ...quick, queueUrl: queue.queueUrl, stopSignals: ['SIGTERM'], stopTimeoutMs: 1_500 },
    );
    const done = worker.run();
    await until(() => started.size === 3, 10_000, 'all three messages to start');
    process.kill(process.pid, 'SIGTERM');
    const summary = await done;
    // Sent once the worker has stopped: nothing receives it. (One sent while the stop aborts a long poll in flight may
    // be taken by that poll and stay invisible for its visibility timeout: docs/worker-kit.md.)
    await send(queue.queueUrl, ['sent-after-sigterm']);
    expect(summary).toMatchObject({ received: 3, processed: 2, released: 1 });
    expect(stuckAbortReason).toBeInstanceOf(WorkerStoppingError);
    // The visibility timeout is 60 s, yet the given-back message is visible now, with the new one never received.
    expect((await drainBodies(queue.queueUrl)).sort()).toEqual(['sent-after-sigterm', 'stuck']);
    expect(process.listenerCount('SIGTERM')).toBe(0);
  }, 30_000);

  it('keeps the order of a FIFO message group after a failure, and does not hold up the other groups', async () => {
    const queue = await queueWithDeadLetters({ visibilityTimeout: 2, fifo: true });
    const bodies = ['a1', 'a2', 'a3', 'b1', 'b2', 'c1'];
    await send(queue.queueUrl, bodies, (body) => body[0]!);
    const seen: string[] = [];
    let a2Failures = 0;
    const worker = createQueueWorker(
      async (body) => {
        seen.push(body);
        if (body === 'a2' && a2Failures === 0) {
          a2Failures += 1;
          throw new Error('a2 fails once');
        }
      },
      { ...quick, queueUrl: queue.queueUrl },
    );
    const done = worker.run();
    await until(() => worker.summary.processed === 6, 20_000, 'every message handled');
    await worker.stop();
    await done;
    const handledOf = (group: string) => seen.filter((body) => body.startsWith(group));
    expect(handledOf('a')).toEqual(['a1', 'a2', 'a2', 'a3']);
    expect(handledOf('b')).toEqual(['b1', 'b2']);
    expect(handledOf('c')).toEqual(['c1']);
    // b and c did not wait for a2's redelivery.
    expect(seen.indexOf('b2')).toBeLessThan(seen.lastIndexOf('a2'));
    expect(await depth(queue.queueUrl)).toEqual({ visible: 0, inFlight: 0 });
  }, 30_000);
});

describe('the worker kit publishing to CloudWatch (moto)', () => {
  it('publishes the consumer metrics with exactly the dimension set {Workload}, as value/count arrays', async () => {
    const queue = await queueWithDeadLetters({ visibilityTimeout: 30 });
    await send(queue.queueUrl, ['a', 'b', 'c', 'fail']);
    const workload = uniqueName('worker-metrics');
    const namespace = uniqueName('HeadroomTest');
    const worker = createQueueWorker(
      async (body) => {
        await sleep(body === 'a' ? 50 : 5);
        if (body === 'fail') throw new Error('fails');
      },
      { ...quick, queueUrl: queue.queueUrl, workload, metrics: { namespace, flushIntervalMs: 60_000 } },
    );
    const done = worker.run();
    await until(() => worker.summary.processed === 3 && worker.summary.failed === 1, 10_000, 'the messages handled');
    await worker.stop(); // flushes what is left
    await done;
    const { Metrics = [] } = await cloudWatch.send(new ListMetricsCommand({ Namespace: namespace }));
    expect(Metrics.map((metric) => metric.MetricName).sort()).toEqual([
      'MessageProcessingTime',
      'MessageWaitTime',
      'MessagesFailed',
      'MessagesProcessed',
    ]);
    for (const metric of Metrics) expect(metric.Dimensions).toEqual([{ Name: 'Workload', Value: workload }]);
    const statistics = async (MetricName: string) =>
      (
        await cloudWatch.send(
          new GetMetricStatisticsCommand({
            Namespace: namespace,
            MetricName,
            Dimensions: [{ Name: 'Workload', Value: workload }],
            StartTime: new Date(Date.now() - 600_000),
            EndTime: new Date(Date.now() + 60_000),
            Period: 60,
            Statistics: ['Sum', 'SampleCount', 'Maximum'],
          }),
        )
      ).Datapoints ?? [];
    const sum = (points: Awaited<ReturnType<typeof statistics>>, field: 'Sum' | 'SampleCount') =>
      points.reduce((total, point) => total + (point[field] ?? 0), 0);
    expect(sum(await statistics('MessagesProcessed'), 'Sum')).toBe(3);
    expect(sum(await statistics('MessagesFailed'), 'Sum')).toBe(1);
    // One sample per handled message, the distribution kept (the slow message is the maximum).
    const processing = await statistics('MessageProcessingTime');
    expect(sum(processing, 'SampleCount')).toBe(3);
    expect(Math.max(...processing.map((point) => point.Maximum ?? 0))).toBeGreaterThanOrEqual(50);
    expect(sum(await statistics('MessageWaitTime'), 'SampleCount')).toBe(4);
  });
});

async function visibleCount(queueUrl: string): Promise<number> {
  return (await depth(queueUrl)).visible;
}

import { CreateTableCommand, DynamoDBClient, ScanCommand } from '@aws-sdk/client-dynamodb';
import {
  ChangeMessageVisibilityBatchCommand,
  CreateQueueCommand,
  DeleteMessageBatchCommand,
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
  SendMessageBatchCommand,
  SQSClient,
  type Message,
} from '@aws-sdk/client-sqs';
import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { describe, expect, it, vi } from 'vitest';
import { createQueueConsumer, type QueueConsumerHandler } from '../../functions/queue-consumer/index.ts';
import { dynamoDBIdempotency } from '../../functions/queue-consumer/idempotency.ts';
import { uniqueName } from '../support/names.ts';
import { lambdaContext } from '../support/lambda-context.ts';
import { sqsRecord } from '../support/sqs-record.ts';

// Thousands of deliveries here fail on purpose: keep their logs and EMF out of the test output.
vi.stubEnv('POWERTOOLS_LOG_LEVEL', 'SILENT');
vi.stubEnv('POWERTOOLS_METRICS_DISABLED', 'true');

const sqs = new SQSClient({});
const dynamodb = new DynamoDBClient({});

async function idempotencyTable(): Promise<string> {
  const TableName = uniqueName('idempotency');
  await dynamodb.send(
    new CreateTableCommand({
      TableName,
      AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
      KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
      BillingMode: 'PAY_PER_REQUEST',
    }),
  );
  return TableName;
}

// The demo worker names its idempotency table from the environment at module init, as in Lambda.
vi.stubEnv('HEADROOM_IDEMPOTENCY_TABLE', await idempotencyTable());
const { handler: demoWorker } = await import('../../functions/demo-worker/handler.ts');

interface QueuePair {
  readonly queueUrl: string;
  readonly queueArn: string;
  readonly deadLetterQueueUrl: string;
}

/** A queue whose messages move to a dead-letter queue after `maxReceiveCount` receives (a real moto redrive policy). */
async function queueWithDeadLetters(maxReceiveCount = 5, fifo = false): Promise<QueuePair> {
  const name = uniqueName('consumer');
  const suffix = fifo ? '.fifo' : '';
  const fifoAttributes = fifo ? { FifoQueue: 'true', ContentBasedDeduplication: 'true' } : {};
  const { QueueUrl: deadLetterQueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: `${name}-dlq${suffix}`, Attributes: fifoAttributes }));
  const { Attributes } = await sqs.send(new GetQueueAttributesCommand({ QueueUrl: deadLetterQueueUrl, AttributeNames: ['QueueArn'] }));
  const { QueueUrl: queueUrl } = await sqs.send(
    new CreateQueueCommand({
      QueueName: `${name}${suffix}`,
      Attributes: {
        ...fifoAttributes,
        VisibilityTimeout: '30',
        RedrivePolicy: JSON.stringify({ deadLetterTargetArn: Attributes!.QueueArn, maxReceiveCount }),
      },
    }),
  );
  const { Attributes: own } = await sqs.send(new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ['QueueArn'] }));
  return { queueUrl: queueUrl!, queueArn: own!.QueueArn!, deadLetterQueueUrl: deadLetterQueueUrl! };
}

async function send(queueUrl: string, bodies: readonly string[]): Promise<void> {
  const batches: string[][] = [];
  for (let start = 0; start < bodies.length; start += 10) batches.push(bodies.slice(start, start + 10));
  for (let start = 0; start < batches.length; start += 20) {
    await Promise.all(
      batches
        .slice(start, start + 20)
        .map((batch) =>
          sqs.send(
            new SendMessageBatchCommand({ QueueUrl: queueUrl, Entries: batch.map((body, index) => ({ Id: `m${index}`, MessageBody: body })) }),
          ),
        ),
    );
  }
}

/** The SQS event Lambda's poller builds from received messages. */
function sqsEvent(messages: readonly Message[], queueArn: string): SQSEvent {
  return {
    Records: messages.map((message) =>
      sqsRecord({
        messageId: message.MessageId!,
        body: message.Body!,
        receiptHandle: message.ReceiptHandle!,
        md5OfBody: message.MD5OfBody!,
        attributes: message.Attributes,
        queueArn,
      }),
    ),
  };
}

interface PollResult {
  readonly received: readonly Message[];
  readonly failedIds: readonly string[];
}

/**
 * One cycle of Lambda's SQS poller, run in-process: receive up to ten messages, invoke the handler, delete
 * what it did not report failed. A failed invocation returns the whole batch. Failed messages are made visible
 * again at once (ChangeMessageVisibility 0) instead of after the visibility timeout, to keep the test fast.
 */
async function pollOnce(queue: QueuePair, handler: QueueConsumerHandler): Promise<PollResult> {
  const { Messages: received = [] } = await sqs.send(
    new ReceiveMessageCommand({ QueueUrl: queue.queueUrl, MaxNumberOfMessages: 10, MessageSystemAttributeNames: ['All'], WaitTimeSeconds: 0 }),
  );
  if (received.length === 0) return { received, failedIds: [] };
  let response: SQSBatchResponse;
  try {
    response = await handler(sqsEvent(received, queue.queueArn), lambdaContext());
  } catch {
    response = { batchItemFailures: received.map((message) => ({ itemIdentifier: message.MessageId! })) };
  }
  const failedIds = response.batchItemFailures.map((failure) => failure.itemIdentifier);
  const succeeded = received.filter((message) => !failedIds.includes(message.MessageId!));
  const failed = received.filter((message) => failedIds.includes(message.MessageId!));
  await Promise.all([
    succeeded.length > 0 &&
      sqs.send(
        new DeleteMessageBatchCommand({
          QueueUrl: queue.queueUrl,
          Entries: succeeded.map((message, index) => ({ Id: `d${index}`, ReceiptHandle: message.ReceiptHandle! })),
        }),
      ),
    failed.length > 0 &&
      sqs.send(
        new ChangeMessageVisibilityBatchCommand({
          QueueUrl: queue.queueUrl,
          Entries: failed.map((message, index) => ({ Id: `v${index}`, ReceiptHandle: message.ReceiptHandle!, VisibilityTimeout: 0 })),
        }),
      ),
  ]);
  return { received, failedIds };
}

async function queueDepth(queueUrl: string): Promise<number> {
  const { Attributes = {} } = await sqs.send(
    new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'] }),
  );
  return Number(Attributes.ApproximateNumberOfMessages) + Number(Attributes.ApproximateNumberOfMessagesNotVisible);
}

/**
 * Polls until the queue is empty; returns how many receive cycles ran. One poller: moto 5.2.1 can hand the
 * same messages to two concurrent receives, leaving the first receiver's receipt handles stale.
 */
async function drain(queue: QueuePair, handler: QueueConsumerHandler): Promise<number> {
  let cycles = 0;
  for (let idle = 0; idle < 2 && cycles < 10_000; ) {
    const { received } = await pollOnce(queue, handler);
    cycles += 1;
    idle = received.length === 0 && (await queueDepth(queue.queueUrl)) === 0 ? idle + 1 : 0;
  }
  return cycles;
}

async function receiveAll(queueUrl: string): Promise<Message[]> {
  const all: Message[] = [];
  for (;;) {
    const { Messages = [] } = await sqs.send(new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10, VisibilityTimeout: 300 }));
    if (Messages.length === 0) return all;
    all.push(...Messages);
  }
}

const order = (orderId: string): string => JSON.stringify({ orderId, lines: [{ sku: 'tea', quantity: 2, unitPrice: 3.5 }] });

describe('the queue consumer kit on real moto queues', () => {
  it('drains a queue, handling every message and deleting it', async () => {
    const queue = await queueWithDeadLetters();
    const bodies = Array.from({ length: 35 }, (_, index) => `job-${index}`);
    await send(queue.queueUrl, bodies);
    const handled: string[] = [];
    await drain(
      queue,
      createQueueConsumer((body) => handled.push(body), { env: {} }),
    );
    expect(handled.sort()).toEqual([...bodies].sort());
    expect(await queueDepth(queue.queueUrl)).toBe(0);
    expect(await queueDepth(queue.deadLetterQueueUrl)).toBe(0);
  });

  it('redelivers exactly the records the handler failed on', async () => {
    const queue = await queueWithDeadLetters();
    await send(
      queue.queueUrl,
      Array.from({ length: 10 }, (_, index) => `job-${index}`),
    );
    const failOnce = new Set(['job-2', 'job-5', 'job-7']);
    const handler = createQueueConsumer(
      (body, record) => {
        if (failOnce.has(body) && record.attributes.ApproximateReceiveCount === '1') throw new Error('downstream refused');
      },
      { env: {} },
    );
    const first = await pollOnce(queue, handler);
    expect(first.received).toHaveLength(10);
    const failedBodies = first.received.filter((message) => first.failedIds.includes(message.MessageId!)).map((message) => message.Body);
    expect(failedBodies.sort()).toEqual([...failOnce].sort());

    const second = await pollOnce(queue, handler);
    expect(second.received.map((message) => message.MessageId).sort()).toEqual([...first.failedIds].sort());
    expect(second.received.map((message) => message.Attributes?.ApproximateReceiveCount)).toEqual(['2', '2', '2']);
    expect(second.failedIds).toEqual([]);
    expect(await queueDepth(queue.queueUrl)).toBe(0);
  });

  it('moves a malformed message to the dead-letter queue after maxReceiveCount receives, and handles the rest once', async () => {
    const queue = await queueWithDeadLetters(5);
    await send(queue.queueUrl, ['{"orderId": "poison", "lines": [', order('o-1'), order('o-2')]);
    const poisonReceives: string[] = [];
    let cycles = 0;
    while ((await queueDepth(queue.queueUrl)) > 0 && cycles < 20) {
      const { received, failedIds } = await pollOnce(queue, demoWorker);
      for (const message of received) if (failedIds.includes(message.MessageId!)) poisonReceives.push(message.Attributes!.ApproximateReceiveCount!);
      cycles += 1;
    }
    expect(poisonReceives).toEqual(['1', '2', '3', '4', '5']);
    const deadLetters = await receiveAll(queue.deadLetterQueueUrl);
    expect(deadLetters.map((message) => message.Body)).toEqual(['{"orderId": "poison", "lines": [']);
  });

  it('runs a message handled once, then redelivered, only once (idempotency in DynamoDB)', async () => {
    const queue = await queueWithDeadLetters();
    const tableName = await idempotencyTable();
    await send(queue.queueUrl, ['charge card 42']);
    let charges = 0;
    const handler = createQueueConsumer(
      () => {
        charges += 1;
        return { charged: true };
      },
      { env: {}, idempotency: dynamoDBIdempotency({ tableName }) },
    );
    // A delivery whose delete never happened, as when an invocation finishes just after its visibility timeout.
    const { Messages = [] } = await sqs.send(
      new ReceiveMessageCommand({ QueueUrl: queue.queueUrl, MessageSystemAttributeNames: ['All'], VisibilityTimeout: 0 }),
    );
    expect(await handler(sqsEvent(Messages, queue.queueArn), lambdaContext())).toEqual({ batchItemFailures: [] });
    const redelivery = await pollOnce(queue, handler);
    expect(redelivery.received.map((message) => message.Attributes?.ApproximateReceiveCount)).toEqual(['2']);
    expect(redelivery.failedIds).toEqual([]);
    expect(charges).toBe(1);
    const { Items = [] } = await dynamodb.send(new ScanCommand({ TableName: tableName }));
    expect(Items.map((item) => item.status?.S)).toEqual(['COMPLETED']);
  });

  it('handles a message whose result is too large for a DynamoDB item, storing a marker instead of failing', async () => {
    const queue = await queueWithDeadLetters();
    const tableName = await idempotencyTable();
    await send(queue.queueUrl, ['export the report']);
    let runs = 0;
    const handler = createQueueConsumer(
      () => {
        runs += 1;
        return { report: 'x'.repeat(500_000) };
      },
      { env: {}, idempotency: dynamoDBIdempotency({ tableName }) },
    );
    const { failedIds } = await pollOnce(queue, handler);
    expect(failedIds).toEqual([]);
    expect(runs).toBe(1);
    const { Items = [] } = await dynamodb.send(new ScanCommand({ TableName: tableName }));
    expect(Items.map((item) => item.status?.S)).toEqual(['COMPLETED']);
    expect(Items[0]!.data?.M?.resultNotStored?.S).toBe("the handler's result is 500013 bytes as JSON, over 350000");
  });

  it('loses none of 2,000 messages under random failures: each is handled or dead-lettered', async () => {
    const queue = await queueWithDeadLetters(5);
    const total = 2000;
    // Every 97th message is malformed and can never succeed; the rest fail 30% of deliveries at random.
    const bodies = Array.from({ length: total }, (_, index) => (index % 97 === 0 ? `{"broken": ${index}` : JSON.stringify({ n: index })));
    let seed = 20250301;
    const random = (): number => {
      seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
      return seed / 2 ** 31;
    };
    const handledTimes = new Map<number, number>();
    let deliveries = 0;
    const handler = createQueueConsumer(
      (message: { n: number }) => {
        deliveries += 1;
        if (random() < 0.3) throw new Error('random failure');
        handledTimes.set(message.n, (handledTimes.get(message.n) ?? 0) + 1);
      },
      { env: {}, parse: JSON.parse },
    );
    // Sent and drained in waves of 100: moto's receive slows with the number of messages it holds (about 0.5 ms
    // each per call), so 2,000 at once would take minutes; every message still makes real receive cycles.
    let cycles = 0;
    for (let start = 0; start < total; start += 100) {
      await send(queue.queueUrl, bodies.slice(start, start + 100));
      cycles += await drain(queue, handler);
    }

    const deadLettered = (await receiveAll(queue.deadLetterQueueUrl)).map((message) => message.Body!);
    const handled = [...handledTimes.keys()].map((n) => JSON.stringify({ n }));
    expect(handled.length + deadLettered.length).toBe(total);
    expect(new Set([...handled, ...deadLettered])).toEqual(new Set(bodies));
    expect([...handledTimes.values()].every((times) => times >= 1)).toBe(true);
    // All 21 malformed bodies are dead-lettered, and so are the valid ones that failed five times in a row.
    expect(deadLettered.filter((body) => body.startsWith('{"broken"'))).toHaveLength(21);
    expect(deliveries).toBeGreaterThan(total);
    expect(cycles).toBeGreaterThan(Math.ceil(deliveries / 10));
    expect(await queueDepth(queue.queueUrl)).toBe(0);
  }, 120_000);

  it('keeps a FIFO group in order: a failed first message holds back the rest of its group until it succeeds', async () => {
    const queue = await queueWithDeadLetters(5, true);
    expect(queue.queueArn.endsWith('.fifo')).toBe(true);
    // Group a = a1, a2, a3 and group b = b1, b2, sent interleaved; a1 fails on its first delivery.
    const sends = [
      ['a', 'a1'],
      ['b', 'b1'],
      ['a', 'a2'],
      ['b', 'b2'],
      ['a', 'a3'],
    ];
    await sqs.send(
      new SendMessageBatchCommand({
        QueueUrl: queue.queueUrl,
        Entries: sends.map(([group, body], index) => ({ Id: `m${index}`, MessageBody: body, MessageGroupId: group })),
      }),
    );
    const handled: string[] = [];
    const handler = createQueueConsumer(
      (body, record) => {
        if (body === 'a1' && record.attributes.ApproximateReceiveCount === '1') throw new Error('downstream refused');
        handled.push(body);
      },
      { env: {}, skipGroupOnError: true },
    );
    const first = await pollOnce(queue, handler);
    const bodyOf = (id: string) => first.received.find((message) => message.MessageId === id)!.Body;
    // Whatever moto handed out of group a in the first receive, none of it was handled after a1 failed.
    expect(first.failedIds.map(bodyOf)).toContain('a1');
    expect(handled.filter((body) => body.startsWith('a'))).toEqual([]);
    await drain(queue, handler);
    expect(handled.filter((body) => body.startsWith('a'))).toEqual(['a1', 'a2', 'a3']);
    expect(handled.filter((body) => body.startsWith('b'))).toEqual(['b1', 'b2']);
    expect(await queueDepth(queue.deadLetterQueueUrl)).toBe(0);
  });

  it('with skipGroupOnError false, fails every record after the first failure on a FIFO queue, and still loses none', async () => {
    const queue = await queueWithDeadLetters(5, true);
    const sends = [
      ['b', 'b0'],
      ['a', 'a1'],
      ['b', 'b1'],
      ['a', 'a2'],
      ['a', 'a3'],
    ];
    await sqs.send(
      new SendMessageBatchCommand({
        QueueUrl: queue.queueUrl,
        Entries: sends.map(([group, body], index) => ({ Id: `m${index}`, MessageBody: body, MessageGroupId: group })),
      }),
    );
    const handled: string[] = [];
    const handler = createQueueConsumer(
      (body, record) => {
        if (body === 'a1' && record.attributes.ApproximateReceiveCount === '1') throw new Error('downstream refused');
        handled.push(body);
      },
      { env: {}, skipGroupOnError: false },
    );
    const first = await pollOnce(queue, handler);
    const bodies = first.received.map((message) => message.Body);
    const failedBodies = bodies.filter((_, index) => first.failedIds.includes(first.received[index]!.MessageId!));
    expect(failedBodies).toEqual(bodies.slice(bodies.indexOf('a1')));
    await drain(queue, handler);
    expect(handled.filter((body) => body.startsWith('a'))).toEqual(['a1', 'a2', 'a3']);
    expect(handled.filter((body) => body.startsWith('b'))).toEqual(['b0', 'b1']);
  });

  it("by default, a poison message in one FIFO group sends none of the other groups' messages to the DLQ", async () => {
    const queue = await queueWithDeadLetters(5, true);
    // The case: one poison message first, then 4 messages in each of 3 other groups.
    const sends = [['p', 'poison'], ...['x', 'y', 'z'].flatMap((group) => [1, 2, 3, 4].map((n) => [group, `${group}${n}`]))];
    await sqs.send(
      new SendMessageBatchCommand({
        QueueUrl: queue.queueUrl,
        Entries: sends.slice(0, 10).map(([group, body], index) => ({ Id: `m${index}`, MessageBody: body, MessageGroupId: group })),
      }),
    );
    await sqs.send(
      new SendMessageBatchCommand({
        QueueUrl: queue.queueUrl,
        Entries: sends.slice(10).map(([group, body], index) => ({ Id: `n${index}`, MessageBody: body, MessageGroupId: group })),
      }),
    );
    const handled: string[] = [];
    const handler = createQueueConsumer(
      (body) => {
        if (body === 'poison') throw new Error('never works');
        handled.push(body);
      },
      { env: {} },
    );
    await drain(queue, handler);
    expect(handled.sort()).toEqual(
      sends
        .slice(1)
        .map(([, body]) => body!)
        .sort(),
    );
    expect((await receiveAll(queue.deadLetterQueueUrl)).map((message) => message.Body)).toEqual(['poison']);
  });
});

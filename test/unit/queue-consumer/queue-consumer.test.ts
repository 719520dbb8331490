import { Logger } from '@aws-lambda-powertools/logger';
import type { SQSEvent, SQSRecord } from 'aws-lambda';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createQueueConsumer, DeadlineExceededError, QueueConsumerConfigError } from '../../../functions/queue-consumer/index.ts';
import { dynamoDBIdempotency } from '../../../functions/queue-consumer/idempotency.ts';
import { lambdaContext } from '../../support/lambda-context.ts';
import { sqsRecord } from '../../support/sqs-record.ts';

// The kit logs every failure; these tests make many on purpose.
vi.stubEnv('POWERTOOLS_LOG_LEVEL', 'SILENT');
// The consumers under test read this environment, not the worker's.
const noEnv = {};

const record = (messageId: string, body = JSON.stringify({ id: messageId })): SQSRecord => sqsRecord({ messageId, body });

const batch = (...ids: string[]): SQSEvent => ({ Records: ids.map((id) => record(id)) });


const failedIds = (response: { batchItemFailures: { itemIdentifier: string }[] }): string[] => response.batchItemFailures.map((failure) => failure.itemIdentifier).sort();

/** The EMF documents the consumer wrote while `run` ran. */
async function emfDuring(run: () => Promise<unknown>): Promise<Record<string, unknown>[]> {
  const stdout = vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
  try {
    await run();
    return stdout.mock.calls.map(([chunk]) => String(chunk)).filter((line) => line.includes('"_aws"')).map((line) => JSON.parse(line) as Record<string, unknown>);
  } finally {
    stdout.mockRestore();
  }
}

afterEach(() => vi.restoreAllMocks());

describe('createQueueConsumer', () => {
  it('reports exactly the records whose handler threw', async () => {
    const handler = createQueueConsumer(async (body) => {
      if (body.includes('"b"') || body.includes('"d"')) throw new Error('downstream refused');
    }, { env: noEnv });
    expect(failedIds(await handler(batch('a', 'b', 'c', 'd'), lambdaContext(30_000)))).toEqual(['b', 'd']);
  });

  it('reports a body its parser rejects as failed, and still handles the others', async () => {
    const handled: unknown[] = [];
    const handler = createQueueConsumer((message: { id: string }) => handled.push(message.id), { parse: JSON.parse, env: noEnv });
    const event = { Records: [record('good'), record('broken', '{"id": "broken"'), record('also-good')] };
    expect(failedIds(await handler(event, lambdaContext(30_000)))).toEqual(['broken']);
    expect(handled.sort()).toEqual(['also-good', 'good']);
  });

  it('fails the whole invocation when every record fails, so SQS returns them all', async () => {
    const handler = createQueueConsumer(() => Promise.reject(new Error('down')), { env: noEnv });
    await expect(handler(batch('a', 'b'), lambdaContext(30_000))).rejects.toThrow(/All records failed processing/);
  });

  it('publishes the processing time of each message and the processed and failed counts', async () => {
    const handler = createQueueConsumer(async (body) => {
      if (body.includes('"c"')) throw new Error('no');
    }, { env: noEnv, workload: 'orders' });
    const [emf] = await emfDuring(() => handler(batch('a', 'b', 'c'), lambdaContext(30_000)));
    expect(emf).toMatchObject({ MessagesProcessed: 2, MessagesFailed: 1, Workload: 'orders' });
    expect(emf!.MessageProcessingTime).toHaveLength(2);
    expect(JSON.stringify(emf!._aws)).toContain('"Namespace":"Headroom"');
  });
});

describe('deadline awareness', () => {
  // Lambda's clock, the records' work and the deadline timer all run on fake time, so the test is exact.
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date', 'performance'] });
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  /** Invokes the handler and lets fake time run until it answers. */
  async function invoke<T>(pending: Promise<T>): Promise<T> {
    const settled = pending.then(
      (value) => ({ value }),
      (error: unknown) => ({ error }),
    );
    await vi.advanceTimersByTimeAsync(5_000);
    const outcome = (await settled) as { value?: T; error?: unknown };
    if ('error' in outcome) throw outcome.error;
    return outcome.value as T;
  }

  it('does not start records once the time left is under the safety margin, and reports them failed', async () => {
    const started: string[] = [];
    const handler = createQueueConsumer(
      async (_body, record) => {
        started.push(record.messageId);
        await new Promise((resolve) => setTimeout(resolve, 60));
      },
      { env: noEnv, processInParallel: false, deadlineMarginMs: 1000 },
    );
    // 1,150 ms left and a 1,000 ms margin leave 150 ms: m0 and m1 finish, m2 is cut short at 150 ms, the rest never start.
    const ids = Array.from({ length: 10 }, (_, index) => `m${index}`);
    const response = await invoke(handler(batch(...ids), lambdaContext(1150)));
    expect(started).toEqual(['m0', 'm1', 'm2']);
    expect(failedIds(response)).toEqual(ids.slice(2));
  });

  it('reports a record still running at the deadline as failed instead of waiting for the timeout', async () => {
    const handler = createQueueConsumer(
      (body) => (body.includes('"stuck"') ? new Promise(() => undefined) : 'done'),
      { env: noEnv, deadlineMarginMs: 1000 },
    );
    const began = Date.now();
    let answeredAt = 0;
    const response = await invoke(handler(batch('a', 'stuck', 'b'), lambdaContext(1200)).finally(() => (answeredAt = Date.now())));
    expect(failedIds(response)).toEqual(['stuck']);
    // Answered when the margin began, 200 ms in, not at the timeout 1,200 ms in.
    expect(answeredAt - began).toBe(200);
  });

  it('reports the records it gave up on with a DeadlineExceededError', async () => {
    const logger = new Logger({ logLevel: 'SILENT' });
    const warn = vi.spyOn(logger, 'warn');
    const handler = createQueueConsumer(() => new Promise(() => undefined), { env: noEnv, deadlineMarginMs: 1000, logger });
    await expect(invoke(handler(batch('a'), lambdaContext(1050)))).rejects.toThrow(/All records failed processing/);
    expect(warn.mock.calls[0]![1]).toMatchObject({ messageId: 'a', error: expect.any(DeadlineExceededError) });
  });

  it('starts nothing when the invocation begins inside the safety margin', async () => {
    let started = 0;
    const handler = createQueueConsumer(() => {
      started += 1;
    }, { env: noEnv, deadlineMarginMs: 1000 });
    await expect(invoke(handler(batch('a', 'b'), lambdaContext(900)))).rejects.toThrow(/All records failed processing/);
    expect(started).toBe(0);
  });
});

describe('idempotency configuration', () => {
  it('refuses to ignore the idempotency table the stack made', () => {
    expect(() => createQueueConsumer(() => undefined, { env: { ...noEnv, HEADROOM_IDEMPOTENCY_TABLE: 'seen' } })).toThrow(QueueConsumerConfigError);
    expect(() => createQueueConsumer(() => undefined, { env: { ...noEnv, HEADROOM_IDEMPOTENCY_TABLE: 'seen' } })).toThrow(/HEADROOM_IDEMPOTENCY_TABLE is set but no idempotency option was given: pass idempotency: dynamoDBIdempotency\(\)/);
  });

  it('names the variable to set when idempotency has no table', () => {
    expect(() => createQueueConsumer(() => undefined, { env: noEnv, idempotency: dynamoDBIdempotency() })).toThrow(/set its tableName option or the HEADROOM_IDEMPOTENCY_TABLE environment variable/);
  });
});

import { Logger } from '@aws-lambda-powertools/logger';
import type { SQSEvent, SQSRecord } from 'aws-lambda';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  createQueueConsumer,
  DeadlineExceededError,
  QueueConsumerConfigError,
  RecordHandlerRejectedError,
} from '../../../functions/queue-consumer/index.ts';
import { messageWaitMs } from '../../../functions/queue-consumer/create-queue-consumer.ts';
import { dynamoDBIdempotency } from '../../../functions/queue-consumer/idempotency.ts';
import { lambdaContext } from '../../support/lambda-context.ts';
import { sqsRecord } from '../../support/sqs-record.ts';

// The kit logs every failure; these tests make many on purpose.
vi.stubEnv('POWERTOOLS_LOG_LEVEL', 'SILENT');
// The consumers under test read this environment, not the worker's.
const noEnv = {};

const record = (messageId: string, body = JSON.stringify({ id: messageId })): SQSRecord => sqsRecord({ messageId, body });

const batch = (...ids: string[]): SQSEvent => ({ Records: ids.map((id) => record(id)) });

const failedIds = (response: { batchItemFailures: { itemIdentifier: string }[] }): string[] =>
  response.batchItemFailures.map((failure) => failure.itemIdentifier).sort();

/** The EMF documents the consumer wrote while `run` ran. */
async function emfDuring(run: () => Promise<unknown>): Promise<Record<string, unknown>[]> {
  const stdout = vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
  try {
    await run();
    return stdout.mock.calls
      .map(([chunk]) => String(chunk))
      .filter((line) => line.includes('"_aws"'))
      .map((line) => JSON.parse(line) as Record<string, unknown>);
  } finally {
    stdout.mockRestore();
  }
}

afterEach(() => vi.restoreAllMocks());

describe('createQueueConsumer', () => {
  it('reports exactly the records whose handler threw', async () => {
    const handler = createQueueConsumer(
      async (body) => {
        if (body.includes('"b"') || body.includes('"d"')) throw new Error('downstream refused');
      },
      { env: noEnv },
    );
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
    const handler = createQueueConsumer(
      async (body) => {
        if (body.includes('"c"')) throw new Error('no');
      },
      { env: noEnv, workload: 'orders' },
    );
    const [emf] = await emfDuring(() => handler(batch('a', 'b', 'c'), lambdaContext(30_000)));
    expect(emf).toMatchObject({ MessagesProcessed: 2, MessagesFailed: 1, Workload: 'orders' });
    expect(emf!.MessageProcessingTime).toHaveLength(2);
    expect(JSON.stringify(emf!._aws)).toContain('"Namespace":"Headroom"');
  });
});

describe('a handler that fails with something that is not an Error', () => {
  it('fails only the records that threw undefined, null or a string, and reports the batch', async () => {
    const logger = new Logger({ logLevel: 'SILENT' });
    const warn = vi.spyOn(logger, 'warn');
    const handler = createQueueConsumer(
      async (body: string) => {
        const { id } = JSON.parse(body) as { id: string };
        if (id === 'undefined') throw undefined;
        if (id === 'null') return Promise.reject(null);
        if (id === 'string') throw 'nope';
      },
      { env: noEnv, logger },
    );
    const response = await handler(batch('ok-1', 'undefined', 'null', 'string', 'ok-2'), lambdaContext(30_000));
    expect(failedIds(response)).toEqual(['null', 'string', 'undefined']);
    const errors = warn.mock.calls.map(([, details]) => (details as { error: Error }).error);
    expect(errors).toHaveLength(3);
    for (const error of errors) expect(error).toBeInstanceOf(RecordHandlerRejectedError);
    expect(errors.map((error) => error.message).sort()).toEqual([
      'the record handler failed with "nope" instead of an Error',
      'the record handler failed with null instead of an Error',
      'the record handler failed with undefined instead of an Error',
    ]);
  });
});

describe('MessageWaitTime', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('publishes per message the milliseconds from SentTimestamp to the start of its handling', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(1_700_000_010_000);
    const handler = createQueueConsumer(() => undefined, { env: noEnv });
    const event = {
      Records: [
        sqsRecord({ messageId: 'a', body: 'a', attributes: { SentTimestamp: '1700000005800' } }),
        sqsRecord({ messageId: 'b', body: 'b', attributes: { SentTimestamp: '1700000009000' } }),
      ],
    };
    const [emf] = await emfDuring(() => handler(event, lambdaContext(30_000)));
    expect(emf!.MessageWaitTime).toEqual([4200, 1000]);
    expect(JSON.stringify(emf!._aws)).toContain('"Name":"MessageWaitTime","Unit":"Milliseconds"');
  });

  it('counts no negative wait when the sender’s clock is ahead, and none at all without a SentTimestamp', () => {
    expect(messageWaitMs(sqsRecord({ messageId: 'a', body: '', attributes: { SentTimestamp: '2000' } }), 1500)).toBe(0);
    expect(messageWaitMs(sqsRecord({ messageId: 'a', body: '', attributes: { SentTimestamp: '' } }), 1500)).toBeUndefined();
    expect(messageWaitMs(sqsRecord({ messageId: 'a', body: '', attributes: { SentTimestamp: 'soon' } }), 1500)).toBeUndefined();
  });
});

describe('FIFO queues', () => {
  const fifoArn = 'arn:aws:sqs:us-east-1:123456789012:orders.fifo';
  /** Records `${group}${n}` in the order given, each in message group `group`. */
  const fifoBatch = (...ids: string[]): SQSEvent => ({
    Records: ids.map((id) => sqsRecord({ messageId: id, body: id, queueArn: fifoArn, attributes: { MessageGroupId: id.slice(0, 1) } })),
  });

  it('with skipGroupOnError false, stops at the first failure and reports it and every record after it failed', async () => {
    const handled: string[] = [];
    const handler = createQueueConsumer(
      (body) => {
        handled.push(body);
        if (body === 'a1') throw new Error('downstream refused');
      },
      { env: noEnv, skipGroupOnError: false },
    );
    const response = await handler(fifoBatch('b0', 'a1', 'b1', 'a2', 'b2', 'a3'), lambdaContext(30_000));
    expect(failedIds(response)).toEqual(['a1', 'a2', 'a3', 'b1', 'b2']);
    expect(handled).toEqual(['b0', 'a1']);
  });

  it('by default fails only the rest of the failed group and handles the other groups', async () => {
    const handled: string[] = [];
    const handler = createQueueConsumer(
      (body) => {
        handled.push(body);
        if (body === 'a1') throw new Error('downstream refused');
      },
      { env: noEnv },
    );
    const response = await handler(fifoBatch('a1', 'b1', 'a2', 'b2', 'a3'), lambdaContext(30_000));
    expect(failedIds(response)).toEqual(['a1', 'a2', 'a3']);
    expect(handled).toEqual(['a1', 'b1', 'b2']);
  });

  it('handles records one after another in order even when earlier ones take longer', async () => {
    const finished: string[] = [];
    const handler = createQueueConsumer(
      async (body) => {
        await new Promise((resolve) => setTimeout(resolve, body === 'a1' ? 30 : 1));
        finished.push(body);
      },
      { env: noEnv, processInParallel: true },
    );
    await handler(fifoBatch('a1', 'a2', 'b1'), lambdaContext(30_000));
    expect(finished).toEqual(['a1', 'a2', 'b1']);
  });

  it('counts the records it did not reach as failed', async () => {
    const handler = createQueueConsumer(
      (body) => {
        if (body === 'a2') throw new Error('no');
      },
      { env: noEnv, workload: 'orders' },
    );
    const [emf] = await emfDuring(() => handler(fifoBatch('a1', 'a2', 'a3', 'b1'), lambdaContext(30_000)));
    // a1 and b1 handled; a2 failed and a3, behind it in group a, not reached.
    expect(emf).toMatchObject({ MessagesProcessed: 2, MessagesFailed: 2 });
  });

  it('leaves standard queues in parallel: a slow first record finishes last', async () => {
    const finished: string[] = [];
    const handler = createQueueConsumer(
      async (body: string) => {
        await new Promise((resolve) => setTimeout(resolve, body.includes('"a"') ? 30 : 1));
        finished.push(JSON.parse(body).id);
      },
      { env: noEnv },
    );
    await handler(batch('a', 'b'), lambdaContext(30_000));
    expect(finished).toEqual(['b', 'a']);
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
        await new Promise((resolve) => setTimeout(resolve, 2000));
      },
      { env: noEnv, processInParallel: false, deadlineMarginMs: 1000 },
    );
    // 5,150 ms left and a 1,000 ms margin leave 4,150 ms: m0 and m1 finish, m2 is cut short, the rest never start.
    const ids = Array.from({ length: 10 }, (_, index) => `m${index}`);
    const response = await invoke(handler(batch(...ids), lambdaContext(5150)));
    expect(started).toEqual(['m0', 'm1', 'm2']);
    expect(failedIds(response)).toEqual(ids.slice(2));
  });

  it('reports a record still running at the deadline as failed instead of waiting for the timeout', async () => {
    const handler = createQueueConsumer((body) => (body.includes('"stuck"') ? new Promise(() => undefined) : 'done'), {
      env: noEnv,
      deadlineMarginMs: 1000,
    });
    const began = Date.now();
    let answeredAt = 0;
    const response = await invoke(handler(batch('a', 'stuck', 'b'), lambdaContext(5200)).finally(() => (answeredAt = Date.now())));
    expect(failedIds(response)).toEqual(['stuck']);
    // Answered when the margin began, 4,200 ms in, not at the timeout 5,200 ms in.
    expect(answeredAt - began).toBe(4200);
  });

  it('reports the records it gave up on with a DeadlineExceededError', async () => {
    const logger = new Logger({ logLevel: 'SILENT' });
    const warn = vi.spyOn(logger, 'warn');
    const handler = createQueueConsumer(() => new Promise(() => undefined), { env: noEnv, deadlineMarginMs: 1000, logger });
    await expect(invoke(handler(batch('a'), lambdaContext(1050)))).rejects.toThrow(/All records failed processing/);
    expect(warn.mock.calls[0]![1]).toMatchObject({ messageId: 'a', error: expect.any(DeadlineExceededError) });
  });

  it('aborts the handler’s signal at the deadline, with a DeadlineExceededError as its reason', async () => {
    let signal: AbortSignal | undefined;
    let stoppedAt = 0;
    const handler = createQueueConsumer(
      (_body, _record, _context, recordSignal) =>
        new Promise<void>((_, reject) => {
          signal = recordSignal;
          recordSignal.addEventListener('abort', () => {
            stoppedAt = Date.now();
            reject(recordSignal.reason as Error);
          });
        }),
      { env: noEnv, deadlineMarginMs: 1000 },
    );
    const began = Date.now();
    await expect(invoke(handler(batch('a'), lambdaContext(5300)))).rejects.toThrow(/All records failed processing/);
    expect(signal!.aborted).toBe(true);
    expect(signal!.reason).toBeInstanceOf(DeadlineExceededError);
    expect(stoppedAt - began).toBe(4300);
  });

  it('gives the handler a signal that is not aborted while there is time left', async () => {
    let aborted: boolean | undefined;
    const handler = createQueueConsumer(
      (_body, _record, _context, signal) => {
        aborted = signal.aborted;
      },
      { env: noEnv },
    );
    await invoke(handler(batch('a'), lambdaContext(30_000)));
    expect(aborted).toBe(false);
  });

  it('keeps at most a fifth of a short invocation as margin, so a 1 s function timeout still runs the handler', async () => {
    const handled: string[] = [];
    let answeredAt = 0;
    const handler = createQueueConsumer(
      async (_body, record) => {
        handled.push(record.messageId);
        await new Promise((resolve) => setTimeout(resolve, 90));
      },
      { env: noEnv, deadlineMarginMs: 1000, processInParallel: false },
    );
    const began = Date.now();
    const response = await invoke(
      handler(batch('a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i', 'j'), lambdaContext(1000)).finally(() => (answeredAt = Date.now())),
    );
    // 800 ms of the 1,000 for the handler: records a-h finish, i is cut short and j never starts; answered 200 ms early.
    expect(handled).toEqual(['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i']);
    expect(failedIds(response)).toEqual(['i', 'j']);
    expect(answeredAt - began).toBe(800);
  });
});

describe('idempotency configuration', () => {
  it('refuses to ignore the idempotency table the stack made', () => {
    expect(() => createQueueConsumer(() => undefined, { env: { ...noEnv, HEADROOM_IDEMPOTENCY_TABLE: 'seen' } })).toThrow(QueueConsumerConfigError);
    expect(() => createQueueConsumer(() => undefined, { env: { ...noEnv, HEADROOM_IDEMPOTENCY_TABLE: 'seen' } })).toThrow(
      /HEADROOM_IDEMPOTENCY_TABLE is set but no idempotency option was given: pass idempotency: dynamoDBIdempotency\(\)/,
    );
  });

  it('names the variable to set when idempotency has no table', () => {
    expect(() => createQueueConsumer(() => undefined, { env: noEnv, idempotency: dynamoDBIdempotency() })).toThrow(
      /set its tableName option or the HEADROOM_IDEMPOTENCY_TABLE environment variable/,
    );
  });
});

import { setTimeout as sleep } from 'node:timers/promises';
import { Logger } from '@aws-lambda-powertools/logger';
import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import {
  ChangeMessageVisibilityBatchCommand,
  DeleteMessageBatchCommand,
  GetQueueAttributesCommand,
  type Message,
  ReceiveMessageCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import type { Context, SQSRecord } from 'aws-lambda';
import { DEFAULT_NAMESPACE } from '../../shared/metrics/names.ts';
import { asError, IDEMPOTENCY_TABLE_VARIABLE, MalformedMessageError } from '../queue-consumer/errors.ts';
import type { IdempotencyProvider, RecordWork } from '../queue-consumer/idempotency.ts';
import { messageWaitMs, WORKLOAD_VARIABLE } from '../queue-consumer/kit-common.ts';
import { QueueWorkerConfigError, WorkerStoppingError } from './errors.ts';
import { WorkerMetrics } from './metrics-publisher.ts';
import { toSqsRecord } from './sqs-record.ts';
import { BusyTaskProtection, type TaskProtectionOptions } from './task-protection.ts';

/** What the worker's record handler gets besides the message and the record. */
export interface WorkerContext {
  readonly queueUrl: string;
  readonly workload: string | undefined;
}

/**
 * The user's code for one message, in the Lambda kit's shape: throw (or reject) to leave the message on the
 * queue for redelivery (and in the end the dead-letter queue). `signal` aborts (reason: a WorkerStoppingError)
 * when the worker stops before the handler finished and gives the message back: pass it on to fetch and the SDK.
 */
export type WorkerRecordHandler<TMessage> = (message: TMessage, record: SQSRecord, context: WorkerContext, signal: AbortSignal) => unknown;

export interface QueueWorkerOptions<TMessage> {
  /** The queue to consume. */
  readonly queueUrl: string;
  /**
   * Turns a message body into what the record handler receives. A throw marks the message malformed and
   * failed: it is not deleted, so SQS redelivers it until maxReceiveCount and then moves it to the DLQ.
   * @default the body, unparsed
   */
  readonly parse?: (body: string) => TMessage;
  /**
   * Skip messages already handled: `dynamoDBIdempotency()` from 'cdk-headroom/consumer/idempotency', or `false`.
   * Required when HEADROOM_IDEMPOTENCY_TABLE is set.
   * @default none; an error if HEADROOM_IDEMPOTENCY_TABLE is set
   */
  readonly idempotency?: IdempotencyProvider | false;
  /**
   * Messages handled at once by this process. A FIFO queue's messages of one group are always handled one after
   * another, in order; different groups run concurrently.
   * @default 10
   */
  readonly concurrency?: number;
  /** ReceiveMessage long polling (0 to 20 seconds). @default 20 */
  readonly waitTimeSeconds?: number;
  /**
   * How often the visibility of messages still being worked on is extended (back to the queue's visibility
   * timeout), so a job longer than the timeout is not redelivered to another worker meanwhile.
   * @default a third of the queue's visibility timeout (at least 1 second)
   */
  readonly heartbeatIntervalSeconds?: number;
  /**
   * On stop (SIGTERM), how long messages in flight may run on; those still running then are aborted and given
   * back (visibility 0) for another worker. Keep it under the container's stopTimeout (ECS: 30 s by default,
   * then SIGKILL).
   * @default 25000
   */
  readonly stopTimeoutMs?: number;
  /** Signals that stop the worker gracefully; `[]` to handle none (call `stop()` yourself). @default ['SIGTERM', 'SIGINT'] */
  readonly stopSignals?: readonly NodeJS.Signals[];
  /**
   * ECS task scale-in protection while the worker holds messages (through the ECS agent's endpoint), or `false`.
   * @default on when ECS_AGENT_URI is set (in an ECS task), with TaskProtectionOptions' defaults
   */
  readonly taskProtection?: TaskProtectionOptions | false;
  /**
   * The workload whose metrics this worker publishes (the `Workload` dimension QueueScaledService reads).
   * @default process.env.HEADROOM_WORKLOAD; without one no metrics are published
   */
  readonly workload?: string;
  /** Where and how often the metrics go, or `false` for none. @default { namespace: 'Headroom', flushIntervalMs: 60000 } */
  readonly metrics?: { readonly namespace?: string; readonly flushIntervalMs?: number } | false;
  /** @default a client from the environment */
  readonly sqsClient?: SQSClient;
  /** @default a client from the environment */
  readonly cloudWatchClient?: CloudWatchClient;
  /** @default a Logger for POWERTOOLS_SERVICE_NAME */
  readonly logger?: Logger;
  /** @default process.env */
  readonly env?: Readonly<Record<string, string | undefined>>;
}

/** Counts since `run()` began. */
export interface WorkerSummary {
  readonly received: number;
  readonly processed: number;
  readonly failed: number;
  /** Given back (visibility 0) without finishing: on stop, or FIFO messages behind a failed one of their group. */
  readonly released: number;
  /** Visibility extensions of messages still being worked on. */
  readonly heartbeats: number;
}

export interface QueueWorker {
  /** Receives and handles messages until stopped (a stop signal or `stop()`); resolves once everything is settled. */
  run(): Promise<WorkerSummary>;
  /** Stops receiving, lets messages in flight finish within stopTimeoutMs, gives back the rest; resolves once stopped. */
  stop(): Promise<WorkerSummary>;
  readonly summary: WorkerSummary;
  /** Whether the task is protected from scale-in right now (false where protection is off). */
  readonly taskProtected: boolean;
}

interface Held {
  readonly message: Message;
  readonly record: SQSRecord;
  readonly abort: AbortController;
  visibleUntil: number;
  settled: boolean;
}

/**
 * A long-running SQS consumer (an ECS task, or any Node process) around a per-message handler: long polling,
 * `concurrency` messages at a time, failed messages left for redelivery and the DLQ, FIFO order per message
 * group, a visibility heartbeat for long jobs, scale-in protection while busy, a graceful stop on SIGTERM, and
 * the metrics QueueScaledService reads (PutMetricData, dimension set {Workload}).
 */
export function createQueueWorker<TMessage = string>(
  recordHandler: WorkerRecordHandler<TMessage>,
  options: QueueWorkerOptions<TMessage>,
): QueueWorker {
  return new QueueWorkerLoop(recordHandler, options);
}

class QueueWorkerLoop<TMessage> implements QueueWorker {
  private readonly env: Readonly<Record<string, string | undefined>>;
  private readonly sqs: SQSClient;
  private readonly logger: Logger;
  private readonly parse: (body: string) => TMessage;
  private readonly concurrency: number;
  private readonly waitTimeSeconds: number;
  private readonly stopTimeoutMs: number;
  private readonly workload: string | undefined;
  private readonly context: WorkerContext;
  private readonly protection: BusyTaskProtection | undefined;
  private readonly metrics: WorkerMetrics | undefined;
  private readonly work: RecordWork;
  private readonly registerIdempotencyContext: ((context: Context) => void) | undefined;
  private readonly held = new Map<string, Held>();
  private readonly receiveAbort = new AbortController();
  private readonly counts = { received: 0, processed: 0, failed: 0, released: 0, heartbeats: 0 };
  private queueArn = '';
  private fifo = false;
  private visibilityTimeoutSeconds = 30;
  private heartbeatMs = 10_000;
  private heartbeatTimer: NodeJS.Timeout | undefined;
  private stopping = false;
  private stopRequestedAt = 0;
  private running: Promise<WorkerSummary> | undefined;
  private wake: (() => void) | undefined;
  private pendingDeletes: { held: Held; done: () => void }[] = [];
  private deleteScheduled = false;
  private readonly deletesInFlight = new Set<Promise<void>>();
  private readonly onSignal = (signal: NodeJS.Signals) => {
    this.logger.info(`${signal}: stopping; messages in flight finish or are given back`, { inFlight: this.held.size });
    void this.stop();
  };

  constructor(
    recordHandler: WorkerRecordHandler<TMessage>,
    private readonly options: QueueWorkerOptions<TMessage>,
  ) {
    if (!options.queueUrl) throw new QueueWorkerConfigError('createQueueWorker: queueUrl is required (the URL of the queue to consume)');
    this.env = options.env ?? process.env;
    this.sqs = options.sqsClient ?? new SQSClient({});
    this.logger = options.logger ?? new Logger();
    this.parse = options.parse ?? ((body: string) => body as TMessage);
    this.concurrency = positiveInteger('concurrency', options.concurrency ?? 10);
    this.waitTimeSeconds = options.waitTimeSeconds ?? 20;
    if (!Number.isInteger(this.waitTimeSeconds) || this.waitTimeSeconds < 0 || this.waitTimeSeconds > 20)
      throw new QueueWorkerConfigError(
        `createQueueWorker: waitTimeSeconds must be a whole number from 0 to 20 (SQS's range), got ${this.waitTimeSeconds}`,
      );
    this.stopTimeoutMs = options.stopTimeoutMs ?? 25_000;
    this.workload = options.workload ?? this.env[WORKLOAD_VARIABLE];
    this.context = { queueUrl: options.queueUrl, workload: this.workload };
    this.protection = BusyTaskProtection.fromEnvironment(options.taskProtection, this.env, this.logger);
    if (options.metrics !== false && this.workload) {
      this.metrics = new WorkerMetrics(
        options.cloudWatchClient ?? new CloudWatchClient({}),
        options.metrics?.namespace ?? DEFAULT_NAMESPACE,
        this.workload,
        this.logger,
      );
    }
    // Whatever the handler throws (undefined and null too) fails its message as an Error.
    const work: RecordWork = async (record, message, context, signal) => {
      try {
        return await recordHandler(message as TMessage, record, context as WorkerContext, signal);
      } catch (thrown) {
        throw asError(thrown);
      }
    };
    if (options.idempotency === undefined && this.env[IDEMPOTENCY_TABLE_VARIABLE]) {
      throw new QueueWorkerConfigError(
        `createQueueWorker: ${IDEMPOTENCY_TABLE_VARIABLE} is set but no idempotency option was given: pass idempotency: dynamoDBIdempotency() (from cdk-headroom/consumer/idempotency) to use the table, or idempotency: false to process every delivery`,
      );
    }
    const idempotent = options.idempotency ? options.idempotency.wrap(work, this.env) : undefined;
    this.work = idempotent?.run ?? work;
    this.registerIdempotencyContext = idempotent?.registerContext;
  }

  get summary(): WorkerSummary {
    return { ...this.counts };
  }

  get taskProtected(): boolean {
    return this.protection?.isProtected ?? false;
  }

  run(): Promise<WorkerSummary> {
    this.running ??= this.runUntilStopped();
    return this.running;
  }

  async stop(): Promise<WorkerSummary> {
    if (!this.stopping) {
      this.stopping = true;
      this.stopRequestedAt = performance.now();
      this.receiveAbort.abort(new WorkerStoppingError('the worker is stopping'));
      this.wakeUp();
    }
    return this.running ?? this.summary;
  }

  private async runUntilStopped(): Promise<WorkerSummary> {
    await this.readQueue();
    const signals = this.options.stopSignals ?? ['SIGTERM', 'SIGINT'];
    for (const signal of signals) process.on(signal, this.onSignal);
    this.heartbeatTimer = setInterval(() => void this.heartbeat(), this.heartbeatMs);
    this.metrics?.start(this.options.metrics ? (this.options.metrics.flushIntervalMs ?? 60_000) : 60_000);
    this.protection?.start();
    try {
      await this.receiveUntilStopping();
      await this.finishOrRelease();
    } finally {
      clearInterval(this.heartbeatTimer);
      for (const signal of signals) process.off(signal, this.onSignal);
      await this.metrics?.stop();
      await this.protection?.stop();
    }
    this.logger.info('worker stopped', { ...this.counts });
    return this.summary;
  }

  /** The queue's ARN (for records), type and visibility timeout (what the heartbeat extends to). */
  private async readQueue(): Promise<void> {
    const { Attributes = {} } = await this.sqs.send(
      new GetQueueAttributesCommand({ QueueUrl: this.options.queueUrl, AttributeNames: ['QueueArn', 'VisibilityTimeout', 'FifoQueue'] }),
    );
    this.queueArn = Attributes.QueueArn ?? '';
    this.fifo = Attributes.FifoQueue === 'true';
    this.visibilityTimeoutSeconds = Number(Attributes.VisibilityTimeout ?? 30);
    const heartbeatSeconds = this.options.heartbeatIntervalSeconds ?? Math.max(1, this.visibilityTimeoutSeconds / 3);
    if (!(heartbeatSeconds > 0) || heartbeatSeconds >= this.visibilityTimeoutSeconds) {
      throw new QueueWorkerConfigError(
        `createQueueWorker: heartbeatIntervalSeconds (${heartbeatSeconds}) must be above 0 and below the queue's visibility timeout (${this.visibilityTimeoutSeconds} s), or messages become visible between heartbeats`,
      );
    }
    this.heartbeatMs = heartbeatSeconds * 1000;
    // Powertools expires an in-progress idempotency record after the "remaining time": a crashed worker's
    // message comes back after the visibility timeout, by when its in-progress record must be gone.
    this.registerIdempotencyContext?.({ getRemainingTimeInMillis: () => this.visibilityTimeoutSeconds * 1000 } as Context);
  }

  private async receiveUntilStopping(): Promise<void> {
    let failures = 0;
    while (!this.stopping) {
      const room = this.concurrency - this.held.size;
      if (room <= 0) {
        await new Promise<void>((resolve) => {
          this.wake = resolve;
        });
        continue;
      }
      let messages: Message[];
      try {
        const output = await this.sqs.send(
          new ReceiveMessageCommand({
            QueueUrl: this.options.queueUrl,
            MaxNumberOfMessages: Math.min(10, room),
            WaitTimeSeconds: this.waitTimeSeconds,
            MessageSystemAttributeNames: ['All'],
            MessageAttributeNames: ['All'],
          }),
          { abortSignal: this.receiveAbort.signal },
        );
        messages = output.Messages ?? [];
        failures = 0;
      } catch (error) {
        if (this.stopping) break;
        failures += 1;
        this.logger.warn('ReceiveMessage failed; retrying', { error: error as Error, attempt: failures });
        await sleep(Math.min(20_000, 250 * 2 ** failures), undefined, { signal: this.receiveAbort.signal }).catch(() => undefined);
        continue;
      }
      if (messages.length > 0) this.dispatch(messages);
    }
  }

  private dispatch(messages: readonly Message[]): void {
    const now = performance.now();
    const held = messages.map((message) => {
      const entry: Held = {
        message,
        record: toSqsRecord(message, this.queueArn),
        abort: new AbortController(),
        visibleUntil: now + this.visibilityTimeoutSeconds * 1000,
        settled: false,
      };
      this.held.set(message.ReceiptHandle ?? message.MessageId ?? String(this.counts.received), entry);
      return entry;
    });
    this.counts.received += held.length;
    this.protection?.acquire(held.length);
    if (this.stopping) {
      void this.release(held);
      return;
    }
    if (!this.fifo) {
      for (const entry of held) void this.handle(entry);
      return;
    }
    // FIFO: one group's messages strictly one after another; when one fails, the rest of its group is given
    // back unhandled (SQS keeps the group behind the failed message, so order holds on redelivery).
    const groups = new Map<string, Held[]>();
    for (const entry of held) {
      const group = entry.message.Attributes?.MessageGroupId ?? '';
      groups.set(group, [...(groups.get(group) ?? []), entry]);
    }
    for (const entries of groups.values()) void this.handleGroup(entries);
  }

  private async handleGroup(entries: readonly Held[]): Promise<void> {
    for (const [index, entry] of entries.entries()) {
      if (this.stopping || !(await this.handle(entry))) {
        const rest = entries.slice(this.stopping ? index : index + 1);
        if (rest.length > 0) {
          if (!this.stopping)
            this.logger.warn('FIFO messages not handled because an earlier message of their group failed; given back in order', {
              messageGroupId: entry.message.Attributes?.MessageGroupId,
              count: rest.length,
            });
          await this.release(rest);
        }
        return;
      }
    }
  }

  /** Handles one message; true when it succeeded and was deleted. */
  private async handle(entry: Held): Promise<boolean> {
    const { record } = entry;
    const waited = messageWaitMs(record, Date.now());
    if (waited !== undefined) this.metrics?.messageWaited(waited);
    const started = performance.now();
    try {
      let message: unknown;
      try {
        message = this.parse(record.body);
      } catch (error) {
        throw new MalformedMessageError(record.messageId, error);
      }
      await this.work(record, message, this.context, entry.abort.signal);
      if (entry.settled) return false; // given back on stop while it ran: another worker will have it
      this.metrics?.messageProcessed(performance.now() - started);
      this.counts.processed += 1;
      await this.delete(entry);
      return true;
    } catch (thrown) {
      if (entry.settled) return false;
      const error = asError(thrown);
      this.counts.failed += 1;
      this.metrics?.messageFailed();
      this.logger.warn('message failed; SQS will redeliver it, or dead-letter it after maxReceiveCount', {
        messageId: record.messageId,
        receiveCount: record.attributes.ApproximateReceiveCount,
        error,
      });
      return false;
    } finally {
      this.settle(entry);
    }
  }

  private settle(entry: Held): void {
    if (entry.settled) return;
    entry.settled = true;
    this.held.delete(entry.message.ReceiptHandle ?? entry.message.MessageId ?? '');
    this.protection?.release();
    this.wakeUp();
  }

  private wakeUp(): void {
    const wake = this.wake;
    this.wake = undefined;
    wake?.();
  }

  /** Deletes in DeleteMessageBatch calls of up to 10, gathered within one turn of the event loop. */
  private delete(entry: Held): Promise<void> {
    return new Promise<void>((done) => {
      this.pendingDeletes.push({ held: entry, done });
      if (this.pendingDeletes.length >= 10) this.flushDeletes();
      else if (!this.deleteScheduled) {
        this.deleteScheduled = true;
        setImmediate(() => this.flushDeletes());
      }
    });
  }

  private flushDeletes(): void {
    this.deleteScheduled = false;
    while (this.pendingDeletes.length > 0) {
      const batch = this.pendingDeletes.splice(0, 10);
      const sent = this.sqs
        .send(
          new DeleteMessageBatchCommand({
            QueueUrl: this.options.queueUrl,
            Entries: batch.map(({ held }, index) => ({ Id: String(index), ReceiptHandle: held.message.ReceiptHandle })),
          }),
        )
        .then(({ Failed = [] }) => {
          for (const failure of Failed)
            this.logger.warn('a handled message could not be deleted; SQS will deliver it again', {
              messageId: batch[Number(failure.Id)]?.held.record.messageId,
              code: failure.Code,
            });
        })
        .catch((error: unknown) => this.logger.warn('DeleteMessageBatch failed; SQS will deliver these messages again', { error: error as Error }))
        .finally(() => {
          for (const { done } of batch) done();
          this.deletesInFlight.delete(sent);
        });
      this.deletesInFlight.add(sent);
    }
  }

  /** Extends the visibility of every held message whose timeout comes within two heartbeats. */
  private async heartbeat(): Promise<void> {
    const now = performance.now();
    const due = [...this.held.values()].filter((entry) => !entry.settled && entry.visibleUntil - now <= 2 * this.heartbeatMs);
    await this.changeVisibility(due, this.visibilityTimeoutSeconds, 'extend');
    this.counts.heartbeats += due.length;
  }

  /** Gives messages back: visible again at once, for this or another worker. */
  private async release(entries: readonly Held[]): Promise<void> {
    const open = entries.filter((entry) => !entry.settled);
    for (const entry of open) {
      entry.abort.abort(new WorkerStoppingError('the worker gave this message back'));
      this.settle(entry);
    }
    this.counts.released += open.length;
    await this.changeVisibility(open, 0, 'release');
  }

  private async changeVisibility(entries: readonly Held[], seconds: number, purpose: 'extend' | 'release'): Promise<void> {
    const requests: Promise<void>[] = [];
    for (let start = 0; start < entries.length; start += 10) {
      const batch = entries.slice(start, start + 10);
      requests.push(
        this.sqs
          .send(
            new ChangeMessageVisibilityBatchCommand({
              QueueUrl: this.options.queueUrl,
              Entries: batch.map((entry, index) => ({ Id: String(index), ReceiptHandle: entry.message.ReceiptHandle, VisibilityTimeout: seconds })),
            }),
          )
          .then(({ Failed = [] }) => {
            const failed = new Set(Failed.map((failure) => Number(failure.Id)));
            const at = performance.now();
            batch.forEach((entry, index) => {
              if (!failed.has(index) && purpose === 'extend') entry.visibleUntil = at + seconds * 1000;
            });
            if (Failed.length > 0)
              this.logger.warn(`could not ${purpose} the visibility of ${Failed.length} messages`, { codes: Failed.map((failure) => failure.Code) });
          })
          .catch((error: unknown) => this.logger.warn(`ChangeMessageVisibilityBatch (${purpose}) failed`, { error: error as Error })),
      );
    }
    await Promise.all(requests);
  }

  /** After a stop: waits for messages in flight up to stopTimeoutMs, then gives back those still running. */
  private async finishOrRelease(): Promise<void> {
    const deadline = this.stopRequestedAt + this.stopTimeoutMs;
    while (this.held.size > 0 && performance.now() < deadline) {
      const settled = new Promise<void>((resolve) => {
        this.wake = resolve;
      });
      const timeout = new AbortController();
      await Promise.race([settled, sleep(Math.max(0, deadline - performance.now()), undefined, { signal: timeout.signal }).catch(() => undefined)]);
      timeout.abort();
    }
    if (this.held.size > 0) {
      this.logger.warn('stop timeout reached: giving back the messages still in flight', { count: this.held.size });
      await this.release([...this.held.values()]);
    }
    this.flushDeletes();
    await Promise.all([...this.deletesInFlight]);
  }
}

function positiveInteger(name: string, value: number): number {
  if (!Number.isInteger(value) || value < 1)
    throw new QueueWorkerConfigError(`createQueueWorker: ${name} must be a whole number of at least 1, got ${value}`);
  return value;
}

import { BatchProcessor, EventType, processPartialResponse, SqsFifoPartialProcessorAsync } from '@aws-lambda-powertools/batch';
import { Logger } from '@aws-lambda-powertools/logger';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import middy, { type MiddyfiedHandler } from '@middy/core';
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { DEFAULT_NAMESPACE, MetricName, WORKLOAD_DIMENSION } from '../../shared/metrics/names.ts';
import { BatchDeadline } from './deadline.ts';
import { asError, IDEMPOTENCY_TABLE_VARIABLE, MalformedMessageError, QueueConsumerConfigError } from './errors.ts';
import type { IdempotencyProvider, RecordWork } from './idempotency.ts';
import { messageWaitMs, WORKLOAD_VARIABLE } from './kit-common.ts';

export { messageWaitMs, WORKLOAD_VARIABLE };

/**
 * The user's code for one message: throw (or reject) to have SQS redeliver it, and in the end dead-letter it.
 * `signal` aborts (reason: a DeadlineExceededError) when the batch's deadline passes and the record has been
 * reported failed: pass it to fetch and the AWS SDK (`client.send(command, { abortSignal: signal })`) or check
 * `signal.aborted`, so that work given up on stops instead of running on in the background.
 */
export type RecordHandler<TMessage> = (message: TMessage, record: SQSRecord, context: Context, signal: AbortSignal) => unknown;

export interface QueueConsumerOptions<TMessage> {
  /**
   * Turns a message body into what the record handler receives. A throw marks the record malformed and
   * failed: SQS redelivers it until maxReceiveCount and then moves it to the dead-letter queue.
   * @default the body, unparsed
   */
  readonly parse?: (body: string) => TMessage;
  /**
   * Skip messages already handled: `dynamoDBIdempotency()` from './idempotency.ts' (Powertools idempotency,
   * table from HEADROOM_IDEMPOTENCY_TABLE), or `false` to run every delivery. Required when
   * HEADROOM_IDEMPOTENCY_TABLE is set, so a table the stack made is never silently left unused.
   * @default none; an error if HEADROOM_IDEMPOTENCY_TABLE is set
   */
  readonly idempotency?: IdempotencyProvider | false;
  /**
   * Time kept free before the function's timeout to answer the batch: records not finished by then are
   * reported failed (SQS redelivers them) rather than lost with a timed-out invocation. Never more than a fifth
   * of the time the invocation has left, so a short function timeout (1 s) still leaves the handler time to run.
   * @default 1000
   */
  readonly deadlineMarginMs?: number;
  /**
   * Handle a standard queue's records concurrently (Powertools' default) or one after another. A FIFO queue's
   * records are always handled one after another, in order.
   * @default true
   */
  readonly processInParallel?: boolean;
  /**
   * FIFO queues (an event source ARN ending in `.fifo`) only. When a record fails, `true` fails only the later
   * records of the same message group and goes on with the other groups; `false` reports every record after it
   * in the batch failed, whatever their group (strict order across groups). Either way no record of a group is
   * handled after an earlier one of it failed. `false` makes one poison message count receives against every
   * other group's messages behind it, so they reach the dead-letter queue without ever being tried.
   * @default true
   */
  readonly skipGroupOnError?: boolean;
  /**
   * The `Workload` dimension of the kit's metrics, their only dimension (the metric contract, shared/metrics/contract.ts:
   * headroom's alarms and dashboards read exactly {Workload}).
   * @default process.env.HEADROOM_WORKLOAD, else no dimension at all (nothing headroom deploys reads them then)
   */
  readonly workload?: string;
  /** @default a Logger for POWERTOOLS_SERVICE_NAME */
  readonly logger?: Logger;
  /**
   * Where the kit's metrics go. The kit clears this instance's default dimensions (Powertools' `service` among them)
   * and sets `Workload`, so metrics of your own added to it carry {Workload} too.
   * @default Metrics in POWERTOOLS_METRICS_NAMESPACE, else 'Headroom'
   */
  readonly metrics?: Metrics;
  /** @default process.env */
  readonly env?: Readonly<Record<string, string | undefined>>;
}

export type QueueConsumerHandler = MiddyfiedHandler<SQSEvent, SQSBatchResponse, Error, Context>;

/**
 * Turns a per-message handler into an SQS Lambda handler: partial batch responses (ReportBatchItemFailures),
 * optional DynamoDB idempotency, structured logs, EMF metrics (MessageProcessingTime per message,
 * MessagesProcessed, MessagesFailed) and deadline awareness. No message is dropped: a malformed body, a
 * throw or a record the deadline cut short is reported failed, and SQS redelivers or dead-letters it.
 */
export function createQueueConsumer<TMessage = string>(
  recordHandler: RecordHandler<TMessage>,
  options: QueueConsumerOptions<TMessage> = {},
): QueueConsumerHandler {
  const env = options.env ?? process.env;
  const logger = options.logger ?? new Logger();
  const metrics = options.metrics ?? new Metrics({ namespace: env.POWERTOOLS_METRICS_NAMESPACE || DEFAULT_NAMESPACE });
  const workload = options.workload ?? env[WORKLOAD_VARIABLE];
  // The metric contract (shared/metrics/contract.ts): exactly {Workload}. Powertools adds `service` to every metric by
  // default, and CloudWatch treats {service, Workload} as another metric than the {Workload} headroom's alarms read.
  metrics.clearDefaultDimensions();
  if (workload) metrics.setDefaultDimensions({ [WORKLOAD_DIMENSION]: workload });
  const parse = options.parse ?? ((body: string) => body as TMessage);
  const deadlineMarginMs = options.deadlineMarginMs ?? 1000;
  const processInParallel = options.processInParallel ?? true;
  const skipGroupOnError = options.skipGroupOnError ?? true;
  let warnedParallelFifo = false;

  // Whatever the handler throws (undefined and null too) fails its record as an Error, never the whole batch.
  const work: RecordWork = async (record, message, context, signal) => {
    try {
      return await recordHandler(message as TMessage, record, context as Context, signal);
    } catch (thrown) {
      throw asError(thrown);
    }
  };
  if (options.idempotency === undefined && env[IDEMPOTENCY_TABLE_VARIABLE]) {
    throw new QueueConsumerConfigError(
      `createQueueConsumer: ${IDEMPOTENCY_TABLE_VARIABLE} is set but no idempotency option was given: pass idempotency: dynamoDBIdempotency() (from functions/queue-consumer/idempotency.ts) to use the table, or idempotency: false to process every delivery`,
    );
  }
  const idempotent = options.idempotency ? options.idempotency.wrap(work, env) : undefined;
  const run = idempotent?.run ?? work;

  const handleBatch = async (event: SQSEvent, context: Context): Promise<SQSBatchResponse> => {
    idempotent?.registerContext(context);
    const deadline = new BatchDeadline(context, effectiveMarginMs(deadlineMarginMs, context.getRemainingTimeInMillis()));
    const fifo = isFifoBatch(event);
    let processed = 0;
    let handlerFailures = 0;
    const handleRecord = async (record: SQSRecord): Promise<unknown> => {
      const waitedMs = messageWaitMs(record, Date.now());
      if (waitedMs !== undefined) metrics.addMetric(MetricName.messageWaitTime, MetricUnit.Milliseconds, waitedMs);
      try {
        let message: unknown;
        try {
          message = parse(record.body);
        } catch (error) {
          throw new MalformedMessageError(record.messageId, error);
        }
        const started = performance.now();
        const result = await deadline.run(() => run(record, message, context, deadline.signal));
        metrics.addMetric(MetricName.messageProcessingTime, MetricUnit.Milliseconds, performance.now() - started);
        processed += 1;
        return result;
      } catch (thrown) {
        handlerFailures += 1;
        const error = asError(thrown);
        logger.warn('message failed; SQS will redeliver it, or dead-letter it after maxReceiveCount', {
          messageId: record.messageId,
          receiveCount: record.attributes?.ApproximateReceiveCount,
          error,
        });
        throw error;
      }
    };
    try {
      if (!fifo) return await processPartialResponse(event, handleRecord, new BatchProcessor(EventType.SQS), { context, processInParallel });
      if (options.processInParallel === true && !warnedParallelFifo) {
        warnedParallelFifo = true;
        logger.warn('processInParallel is ignored for a FIFO queue: its records are handled one after another, in order');
      }
      return await processPartialResponse(event, handleRecord, new SqsFifoPartialProcessorAsync(), { context, skipGroupOnError });
    } finally {
      deadline.cancel();
      const failed = event.Records.length - processed;
      // Records after a FIFO failure are reported failed without reaching the handler, to keep their order.
      if (failed > handlerFailures)
        logger.warn('FIFO records not handled because an earlier record failed; SQS will redeliver them in order', {
          count: failed - handlerFailures,
          skipGroupOnError,
        });
      metrics.addMetric(MetricName.messagesProcessed, MetricUnit.Count, processed);
      metrics.addMetric(MetricName.messagesFailed, MetricUnit.Count, failed);
    }
  };

  return middy(handleBatch).use(injectLambdaContext(logger)).use(logMetrics(metrics));
}

/** The configured margin, but at most a fifth of the time left, so the handler always gets most of the invocation. */
export function effectiveMarginMs(configuredMs: number, remainingMs: number): number {
  return Math.max(0, Math.min(configuredMs, remainingMs / 5));
}

function isFifoBatch(event: SQSEvent): boolean {
  return event.Records?.[0]?.eventSourceARN?.endsWith('.fifo') ?? false;
}

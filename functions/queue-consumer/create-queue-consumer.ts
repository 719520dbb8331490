import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import { Logger } from '@aws-lambda-powertools/logger';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import middy, { type MiddyfiedHandler } from '@middy/core';
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { DEFAULT_NAMESPACE, MetricName, WORKLOAD_DIMENSION } from '../../shared/metrics/names.ts';
import { BatchDeadline } from './deadline.ts';
import { IDEMPOTENCY_TABLE_VARIABLE, MalformedMessageError, QueueConsumerConfigError } from './errors.ts';
import type { IdempotencyProvider, RecordWork } from './idempotency.ts';

/** The user's code for one message: throw (or reject) to have SQS redeliver it, and in the end dead-letter it. */
export type RecordHandler<TMessage> = (message: TMessage, record: SQSRecord, context: Context) => unknown;

export const WORKLOAD_VARIABLE = 'HEADROOM_WORKLOAD';

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
   * reported failed (SQS redelivers them) rather than lost with a timed-out invocation.
   * @default 1000
   */
  readonly deadlineMarginMs?: number;
  /**
   * Handle a batch's records concurrently (Powertools' default) or one after another.
   * @default true
   */
  readonly processInParallel?: boolean;
  /**
   * Adds a `Workload` dimension to the kit's metrics, matching the backlog publisher's.
   * @default process.env.HEADROOM_WORKLOAD, else no Workload dimension
   */
  readonly workload?: string;
  /** @default a Logger for POWERTOOLS_SERVICE_NAME */
  readonly logger?: Logger;
  /** @default Metrics in POWERTOOLS_METRICS_NAMESPACE, else 'Headroom' */
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
export function createQueueConsumer<TMessage = string>(recordHandler: RecordHandler<TMessage>, options: QueueConsumerOptions<TMessage> = {}): QueueConsumerHandler {
  const env = options.env ?? process.env;
  const logger = options.logger ?? new Logger();
  const metrics = options.metrics ?? new Metrics({ namespace: env.POWERTOOLS_METRICS_NAMESPACE || DEFAULT_NAMESPACE });
  const workload = options.workload ?? env[WORKLOAD_VARIABLE];
  if (workload) metrics.setDefaultDimensions({ [WORKLOAD_DIMENSION]: workload });
  const parse = options.parse ?? ((body: string) => body as TMessage);
  const deadlineMarginMs = options.deadlineMarginMs ?? 1000;
  const processInParallel = options.processInParallel ?? true;

  const work: RecordWork = async (record, message, context) => recordHandler(message as TMessage, record, context);
  if (options.idempotency === undefined && env[IDEMPOTENCY_TABLE_VARIABLE]) {
    throw new QueueConsumerConfigError(
      `createQueueConsumer: ${IDEMPOTENCY_TABLE_VARIABLE} is set but no idempotency option was given: pass idempotency: dynamoDBIdempotency() (from functions/queue-consumer/idempotency.ts) to use the table, or idempotency: false to process every delivery`,
    );
  }
  const idempotent = options.idempotency ? options.idempotency.wrap(work, env) : undefined;
  const run = idempotent?.run ?? work;

  const handleBatch = async (event: SQSEvent, context: Context): Promise<SQSBatchResponse> => {
    idempotent?.registerContext(context);
    const deadline = new BatchDeadline(context, deadlineMarginMs);
    let processed = 0;
    let failed = 0;
    const handleRecord = async (record: SQSRecord): Promise<unknown> => {
      try {
        let message: unknown;
        try {
          message = parse(record.body);
        } catch (error) {
          throw new MalformedMessageError(record.messageId, error);
        }
        const started = performance.now();
        const result = await deadline.run(() => run(record, message, context));
        metrics.addMetric(MetricName.messageProcessingTime, MetricUnit.Milliseconds, performance.now() - started);
        processed += 1;
        return result;
      } catch (error) {
        failed += 1;
        logger.warn('message failed; SQS will redeliver it, or dead-letter it after maxReceiveCount', { messageId: record.messageId, receiveCount: record.attributes?.ApproximateReceiveCount, error: error as Error });
        throw error;
      }
    };
    try {
      return await processPartialResponse(event, handleRecord, new BatchProcessor(EventType.SQS), { context, processInParallel });
    } finally {
      deadline.cancel();
      metrics.addMetric(MetricName.messagesProcessed, MetricUnit.Count, processed);
      metrics.addMetric(MetricName.messagesFailed, MetricUnit.Count, failed);
    }
  };

  return middy(handleBatch).use(injectLambdaContext(logger)).use(logMetrics(metrics));
}

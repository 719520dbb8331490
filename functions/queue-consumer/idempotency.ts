import { IdempotencyConfig, makeIdempotent } from '@aws-lambda-powertools/idempotency';
import { DynamoDBPersistenceLayer } from '@aws-lambda-powertools/idempotency/dynamodb';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { Context, SQSRecord } from 'aws-lambda';
import { IDEMPOTENCY_TABLE_VARIABLE, QueueConsumerConfigError } from './errors.ts';

export interface QueueConsumerIdempotencyOptions {
  /**
   * The DynamoDB table (partition key `id`, TTL attribute `expiration`) that remembers handled messages.
   * @default process.env.HEADROOM_IDEMPOTENCY_TABLE
   */
  readonly tableName?: string;
  /**
   * What makes two records the same, as a JMESPath into the SQS record. `messageId` makes a redelivery of one
   * message a duplicate; `body` would also treat two sends of the same body as one.
   * @default 'messageId'
   */
  readonly eventKeyJmesPath?: string;
  /**
   * How long a handled message is remembered.
   * @default 3600
   */
  readonly expiresAfterSeconds?: number;
  /** @default a client from the environment */
  readonly dynamoDBClient?: DynamoDBClient;
}

export type RecordWork = (record: SQSRecord, message: unknown, context: Context, signal: AbortSignal) => Promise<unknown>;

/** What `createQueueConsumer` takes as its `idempotency` option: made by `dynamoDBIdempotency()`. */
export interface IdempotencyProvider {
  wrap(work: RecordWork, env: Readonly<Record<string, string | undefined>>): IdempotentWork;
}

export interface IdempotentWork {
  readonly run: RecordWork;
  /** Lets Powertools expire an in-progress record when the invocation times out instead of after the full expiry. */
  registerContext(context: Context): void;
}

/**
 * Idempotency backed by DynamoDB (Powertools idempotency): a record already handled (same key) returns its
 * stored result instead of running again. A module of its own so consumers without it do not bundle it.
 */
export function dynamoDBIdempotency(options: QueueConsumerIdempotencyOptions = {}): IdempotencyProvider {
  return {
    wrap(work, env) {
      const tableName = options.tableName ?? env[IDEMPOTENCY_TABLE_VARIABLE];
      if (!tableName) {
        throw new QueueConsumerConfigError(
          `dynamoDBIdempotency: no table is named: set its tableName option or the ${IDEMPOTENCY_TABLE_VARIABLE} environment variable (QueueConsumerFunction sets it with idempotency: true)`,
        );
      }
      const config = new IdempotencyConfig({
        eventKeyJmesPath: options.eventKeyJmesPath ?? 'messageId',
        expiresAfterSeconds: options.expiresAfterSeconds ?? 3600,
      });
      const persistenceStore = new DynamoDBPersistenceLayer(
        options.dynamoDBClient ? { tableName, awsSdkV3Client: options.dynamoDBClient } : { tableName },
      );
      return {
        run: makeIdempotent(work, { persistenceStore, config, dataIndexArgument: 0 }),
        registerContext: (context) => config.registerLambdaContext(context),
      };
    },
  };
}

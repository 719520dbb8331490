import { IdempotencyConfig, makeIdempotent } from '@aws-lambda-powertools/idempotency';
import { DynamoDBPersistenceLayer } from '@aws-lambda-powertools/idempotency/dynamodb';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { Context, SQSRecord } from 'aws-lambda';
import { IDEMPOTENCY_TABLE_VARIABLE, QueueConsumerConfigError } from './errors.ts';

/**
 * The largest handler result (JSON, bytes) stored with the idempotency record. DynamoDB refuses items over 400 KB
 * (https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/ServiceQuotas.html#limits-items), and the kits
 * never read the result back (SQS needs only success or failure): a larger one is replaced by a marker.
 */
export const MAX_STORED_RESULT_BYTES = 350_000;

/** The idempotency store could not be read or written; the message says which and why (Powertools' cause included). */
export class IdempotencyStoreError extends Error {
  override readonly name = 'IdempotencyStoreError';
}

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

/** One record's work; `context` is the Lambda context in the Lambda kit and the worker's context in the worker kit. */
export type RecordWork = (record: SQSRecord, message: unknown, context: unknown, signal: AbortSignal) => Promise<unknown>;

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
      const storable: RecordWork = async (...args) => storableResult(await work(...args));
      const idempotent = makeIdempotent(storable, { persistenceStore, config, dataIndexArgument: 0 });
      return {
        run: async (...args) => {
          try {
            return await idempotent(...args);
          } catch (error) {
            throw explainStoreError(error, tableName);
          }
        },
        registerContext: (context) => config.registerLambdaContext(context),
      };
    },
  };
}

/** A result small enough for a DynamoDB item, or a marker saying how large the one not stored was. */
export function storableResult(result: unknown): unknown {
  if (result === undefined) return undefined;
  const bytes = Buffer.byteLength(JSON.stringify(result) ?? '', 'utf8');
  return bytes > MAX_STORED_RESULT_BYTES
    ? { resultNotStored: `the handler's result is ${bytes} bytes as JSON, over ${MAX_STORED_RESULT_BYTES}` }
    : result;
}

/** Powertools' persistence errors say "Failed to update success record" and hide DynamoDB's reason in `cause`. */
function explainStoreError(error: unknown, tableName: string): unknown {
  if (!(error instanceof Error) || error.name !== 'IdempotencyPersistenceLayerError') return error;
  const cause = error.cause instanceof Error ? `${error.cause.name}: ${error.cause.message}` : String(error.cause);
  return new IdempotencyStoreError(
    `${error.message} (table ${tableName}): ${cause}. Check that the table exists with partition key "id", that the role may read and write it, and that items stay under DynamoDB's 400 KB.`,
    { cause: error },
  );
}

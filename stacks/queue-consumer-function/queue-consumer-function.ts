import { Duration, Names, RemovalPolicy } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { DEFAULT_NAMESPACE } from '../../shared/metrics/names.ts';
import { EntryFunction } from '../common/headroom-function.ts';
import { InvalidPropError, requirePositiveDuration, requireWholeNumber } from '../common/prop-validation.ts';
import { QueueAlarms } from '../queue-alarms/queue-alarms.ts';
import { WorkloadDashboard, type WorkloadDashboardOptions } from '../workload-dashboard/workload-dashboard.ts';

export interface QueueConsumerFunctionProps {
  /** The handler's entry file, built with headroom's queue consumer kit (`createQueueConsumer`). */
  readonly entry: string;
  /** How long a message may wait before it is handled: the latency SLO the alarms watch. */
  readonly acceptableLatency: Duration;
  /**
   * The function's timeout. The queue's visibility timeout must be at least six times this.
   * @default Duration.seconds(30)
   */
  readonly timeout?: Duration;
  /**
   * The function's memory in MiB (CPU grows with it).
   * @default 512
   */
  readonly memorySize?: number;
  /**
   * Records per invocation (1-10000; above 10 needs maxBatchingWindow).
   * @default 10
   */
  readonly batchSize?: number;
  /**
   * How long the poller gathers records before invoking.
   * @default no batching window
   */
  readonly maxBatchingWindow?: Duration;
  /**
   * The most concurrent invocations the queue may drive (2-1000): the consumer's maxCapacity.
   * @default 10
   */
  readonly maxConcurrency?: number;
  /**
   * The queue's visibility timeout.
   * @default six times the function timeout
   */
  readonly visibilityTimeout?: Duration;
  /**
   * How many receives a message gets before it moves to the dead-letter queue (at least 5).
   * @default 5
   */
  readonly maxReceiveCount?: number;
  /**
   * How long the queue keeps a message.
   * @default Duration.days(4)
   */
  readonly retentionPeriod?: Duration;
  /**
   * How long the dead-letter queue keeps a message; longer than the queue's, so a message that moved late
   * is not deleted before anyone can look at it.
   * @default Duration.days(14)
   */
  readonly deadLetterRetentionPeriod?: Duration;
  /**
   * Give the consumer a DynamoDB idempotency table (Powertools idempotency) so a redelivered message is
   * not processed twice.
   * @default false
   */
  readonly idempotency?: boolean;
  /**
   * Extra environment for the handler.
   * @default none
   */
  readonly environment?: Record<string, string>;
  /**
   * Where alarm notifications go.
   * @default no notification
   */
  readonly alarmTopic?: sns.ITopic;
  /**
   * The `Workload` dimension of this consumer's metrics and the title of its dashboard.
   * @default the construct's unique id
   */
  readonly workload?: string;
}

const NAME = 'QueueConsumerFunction';

/**
 * A Lambda consumer with its queue and dead-letter queue, wired the way SQS and Lambda need: partial batch
 * responses, maximum concurrency, a visibility timeout of at least six function timeouts, at least five
 * receives before the DLQ, a DLQ that outlives the queue's retention, encrypted SSL-only queues, and alarms.
 */
export class QueueConsumerFunction extends Construct {
  readonly queue: sqs.Queue;
  readonly deadLetterQueue: sqs.Queue;
  readonly function: EntryFunction;
  readonly idempotencyTable?: dynamodb.Table;
  readonly alarms: QueueAlarms;
  readonly maxConcurrency: number;
  readonly workload: string;
  private readonly props: QueueConsumerFunctionProps;

  constructor(scope: Construct, id: string, props: QueueConsumerFunctionProps) {
    super(scope, id);
    this.props = props;
    this.workload = props.workload ?? Names.uniqueId(this);
    const timeout = props.timeout ?? Duration.seconds(30);
    requirePositiveDuration(NAME, 'timeout', timeout);
    requirePositiveDuration(NAME, 'acceptableLatency', props.acceptableLatency);
    const visibilityTimeout = props.visibilityTimeout ?? Duration.seconds(timeout.toSeconds() * 6);
    if (visibilityTimeout.toSeconds() < 6 * timeout.toSeconds()) {
      throw new InvalidPropError(
        NAME,
        'visibilityTimeout',
        `(${visibilityTimeout.toHumanString()}) is under six times the function timeout (${timeout.toHumanString()}), so a record can be redelivered while it is still being processed`,
        `Set visibilityTimeout to at least ${6 * timeout.toSeconds()} seconds, or leave it unset.`,
      );
    }
    if (visibilityTimeout.toSeconds() > 43_200) {
      throw new InvalidPropError(NAME, 'visibilityTimeout', 'is over SQS’s limit of 12 hours', 'Shorten the function timeout or the visibilityTimeout.');
    }
    const maxReceiveCount = props.maxReceiveCount ?? 5;
    requireWholeNumber(NAME, 'maxReceiveCount', maxReceiveCount, 5, 1000);
    this.maxConcurrency = props.maxConcurrency ?? 10;
    requireWholeNumber(NAME, 'maxConcurrency', this.maxConcurrency, 2, 1000);
    const batchSize = props.batchSize ?? 10;
    requireWholeNumber(NAME, 'batchSize', batchSize, 1, 10_000);
    if (batchSize > 10 && !props.maxBatchingWindow) {
      throw new InvalidPropError(NAME, 'batchSize', `(${batchSize}) above 10 needs a batching window`, 'Set maxBatchingWindow, or keep batchSize at 10 or fewer.');
    }
    const retentionPeriod = props.retentionPeriod ?? Duration.days(4);
    const deadLetterRetentionPeriod = props.deadLetterRetentionPeriod ?? Duration.days(14);
    if (deadLetterRetentionPeriod.toSeconds() <= retentionPeriod.toSeconds()) {
      throw new InvalidPropError(
        NAME,
        'deadLetterRetentionPeriod',
        `(${deadLetterRetentionPeriod.toHumanString()}) must be longer than retentionPeriod (${retentionPeriod.toHumanString()}): SQS keeps a message's original enqueue time when it moves to the DLQ`,
        'Lengthen deadLetterRetentionPeriod (at most 14 days) or shorten retentionPeriod.',
      );
    }

    this.deadLetterQueue = new sqs.Queue(this, 'DeadLetterQueue', {
      retentionPeriod: deadLetterRetentionPeriod,
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
    });
    this.queue = new sqs.Queue(this, 'Queue', {
      visibilityTimeout,
      retentionPeriod,
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      deadLetterQueue: { queue: this.deadLetterQueue, maxReceiveCount },
    });

    // The consumer kit's metrics carry the same Workload dimension, in the same namespace, as headroom's others.
    const environment: Record<string, string> = {
      HEADROOM_WORKLOAD: this.workload,
      POWERTOOLS_METRICS_NAMESPACE: DEFAULT_NAMESPACE,
      ...props.environment,
    };
    if (props.idempotency) {
      this.idempotencyTable = new dynamodb.Table(this, 'IdempotencyTable', {
        partitionKey: { name: 'id', type: dynamodb.AttributeType.STRING },
        timeToLiveAttribute: 'expiration',
        billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
        encryption: dynamodb.TableEncryption.AWS_MANAGED,
        pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
        removalPolicy: RemovalPolicy.DESTROY,
      });
      environment.HEADROOM_IDEMPOTENCY_TABLE = this.idempotencyTable.tableName;
    }

    this.function = new EntryFunction(this, 'Function', {
      entry: props.entry,
      description: `headroom queue consumer (${this.node.path})`,
      serviceName: this.node.path.replace(/\//g, '-'),
      timeout,
      memorySize: props.memorySize ?? 512,
      environment,
    });
    this.idempotencyTable?.grantReadWriteData(this.function);
    this.function.addEventSource(
      new SqsEventSource(this.queue, {
        batchSize,
        maxBatchingWindow: props.maxBatchingWindow,
        maxConcurrency: this.maxConcurrency,
        reportBatchItemFailures: true,
      }),
    );

    this.alarms = new QueueAlarms(this, 'Alarms', {
      queue: this.queue,
      deadLetterQueue: this.deadLetterQueue,
      acceptableLatency: props.acceptableLatency,
      alarmTopic: props.alarmTopic,
    });
  }

  /** Adds this consumer's dashboard: concurrency vs maximum, message age vs SLO, DLQ depth, and its alarms. */
  addDashboard(options: WorkloadDashboardOptions = {}): WorkloadDashboard {
    return new WorkloadDashboard(this, 'Dashboard', {
      workload: this.workload,
      capacity: { kind: 'lambda', function: this.function, maxConcurrency: this.maxConcurrency },
      queue: { queue: this.queue, deadLetterQueue: this.deadLetterQueue, acceptableLatency: this.props.acceptableLatency },
      workloadAlarms: this.alarms.all,
      alarmTopic: this.props.alarmTopic,
      ...options,
    });
  }

  /** Lets a producer send messages to the consumer's queue. */
  grantSendMessages(grantee: iam.IGrantable): iam.Grant {
    return this.queue.grantSendMessages(grantee);
  }

  /** How long the oldest message has waited: compare with acceptableLatency. */
  metricAgeOfOldestMessage(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.queue.metricApproximateAgeOfOldestMessage({ statistic: 'Maximum', period: Duration.minutes(1), ...props });
  }

  /** Messages waiting in the dead-letter queue. */
  metricDeadLetterQueueDepth(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.deadLetterQueue.metricApproximateNumberOfMessagesVisible({ statistic: 'Maximum', period: Duration.minutes(1), ...props });
  }

  /** Concurrent executions of the consumer: compare with maxConcurrency. */
  metricConcurrentExecutions(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.function.metric('ConcurrentExecutions', { statistic: 'Maximum', period: Duration.minutes(1), ...props });
  }
}

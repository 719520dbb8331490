import { defaultWorkloadName } from '../common/workload-name.ts';
import { Duration, RemovalPolicy, Token } from 'aws-cdk-lib';
import type * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import type * as ec2 from 'aws-cdk-lib/aws-ec2';
import type * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import type { BundlingOptions } from 'aws-cdk-lib/aws-lambda-nodejs';
import type * as logs from 'aws-cdk-lib/aws-logs';
import type * as sns from 'aws-cdk-lib/aws-sns';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { DEFAULT_NAMESPACE } from '../../shared/metrics/names.ts';
import {
  InvalidPropError,
  isToken,
  requirePositiveDuration,
  requireResolved,
  requireSecondsBetween,
  requireWholeNumber,
  wholeSeconds,
} from '../common/prop-validation.ts';
import { QueueAlarms } from '../queue-alarms/queue-alarms.ts';
import { requireLatencyWithinRetention } from '../common/queue-retention.ts';
import { requireWorkloadName } from '../workload-dashboard/alarm-name.ts';
import { WorkloadDashboard, type WorkloadDashboardOptions } from '../workload-dashboard/workload-dashboard.ts';
import { BUILD_OPTIONS, buildConsumerFunction, requireFunctionTimeout } from './consumer-function.ts';
import { checkDeployLimits } from '../common/deploy-limits.ts';
import { consumerKitFootprint } from '../../shared/cost/producers.ts';
import { recordProducer, recordWorkload } from '../common/footprint.ts';

export interface QueueConsumerFunctionProps {
  /**
   * Your handler's entry file (a `createQueueConsumer` handler), bundled at your synth by aws-cdk-lib's
   * NodejsFunction with your `bundling` options. Give `entry` or `function`, not both.
   * @default none: `function` is required instead
   */
  readonly entry?: string;
  /**
   * Your own consumer function instead of an `entry`: headroom wires the queue, the event source, the alarms
   * and (for a `lambda.Function`) the environment around it and leaves its code, runtime and settings alone.
   * @default none: headroom builds a NodejsFunction from `entry`
   */
  readonly function?: lambda.IFunction;
  /** How long a message may wait before it is handled: the latency SLO the alarms watch. */
  readonly acceptableLatency: Duration;
  /**
   * The function's timeout (1 second to 15 minutes). The queue's visibility timeout must be at least six
   * times this. With your own `lambda.Function`, headroom reads its timeout instead: leave this unset. With an
   * imported function, give its timeout here.
   * @default Duration.seconds(30), or the timeout of your own `function`
   */
  readonly timeout?: Duration;
  /**
   * The exported handler's name in `entry`.
   * @default 'handler'
   */
  readonly handler?: string;
  /**
   * The function's runtime (a Node.js runtime: the entry is bundled by NodejsFunction).
   * @default lambda.Runtime.NODEJS_22_X
   */
  readonly runtime?: lambda.Runtime;
  /**
   * The function's processor architecture.
   * @default lambda.Architecture.ARM_64
   */
  readonly architecture?: lambda.Architecture;
  /**
   * The function's memory in MiB, a whole number from 128 to 10240 (CPU grows with it).
   * @default 512
   */
  readonly memorySize?: number;
  /**
   * The VPC to run the function in (the role then gets Lambda's VPC access policy).
   * @default not in a VPC
   */
  readonly vpc?: ec2.IVpc;
  /**
   * Where in the VPC the function runs.
   * @default aws-cdk-lib's default: the VPC's private subnets
   */
  readonly vpcSubnets?: ec2.SubnetSelection;
  /**
   * The function's security groups in the VPC.
   * @default aws-cdk-lib's default: a new security group allowing all outbound traffic
   */
  readonly securityGroups?: ec2.ISecurityGroup[];
  /**
   * Lambda layers for the function.
   * @default no layers
   */
  readonly layers?: lambda.ILayerVersion[];
  /**
   * How NodejsFunction bundles your entry (format, minify, source maps, external modules, ...).
   * @default aws-cdk-lib's NodejsFunction defaults (CommonJS, AWS SDK v3 left to the runtime): headroom adds none of its own
   */
  readonly bundling?: BundlingOptions;
  /**
   * The lock file NodejsFunction installs your entry's dependencies from.
   * @default aws-cdk-lib's search for a lock file upwards from the current directory
   */
  readonly depsLockFilePath?: string;
  /**
   * How long the function's log group keeps its logs.
   * @default logs.RetentionDays.ONE_MONTH
   */
  readonly logRetention?: logs.RetentionDays;
  /**
   * Extra environment for the function headroom builds from `entry` (set your own function's on it).
   * @default none
   */
  readonly environment?: Record<string, string>;
  /**
   * Make the queue and its dead-letter queue FIFO queues (the consumer kit then handles each message group in
   * order, see `skipGroupOnError`).
   * @default false
   */
  readonly fifo?: boolean;
  /**
   * Records per invocation: 1-10000 for a standard queue (above 10 needs maxBatchingWindow), 1-10 for FIFO.
   * @default 10
   */
  readonly batchSize?: number;
  /**
   * How long the poller gathers records before invoking (whole seconds, at most 5 minutes).
   * @default no batching window
   */
  readonly maxBatchingWindow?: Duration;
  /**
   * The most concurrent invocations the queue may drive (2-1000): the consumer's maxCapacity.
   * @default 10
   */
  readonly maxConcurrency?: number;
  /**
   * The queue's visibility timeout (whole seconds, at most 12 hours).
   * @default six times the function timeout
   */
  readonly visibilityTimeout?: Duration;
  /**
   * How many receives a message gets before it moves to the dead-letter queue (at least 5).
   * @default 5
   */
  readonly maxReceiveCount?: number;
  /**
   * How long the queue keeps a message (1 minute to 14 days).
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
   * not processed twice. The function may only get, put, update and delete its items.
   * @default false
   */
  readonly idempotency?: boolean;
  /**
   * Where alarm notifications go. headroom creates no topic: give yours, encrypted with a customer managed
   * KMS key whose policy lets CloudWatch use it (`AlarmTopic` makes one).
   * @default no notification
   */
  readonly alarmTopic?: sns.ITopic;
  /**
   * The `Workload` dimension of this consumer's metrics and the title of its dashboard.
   * @default the stack's name and the construct's path in it, e.g. `Shop-Orders-Worker`
   */
  readonly workload?: string;
}

const NAME = 'QueueConsumerFunction';
const FOURTEEN_DAYS = Duration.days(14);
// What Powertools' DynamoDBPersistenceLayer calls, and nothing else (no scans, batch writes or stream reads).
const IDEMPOTENCY_ACTIONS = ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem'];

/**
 * A Lambda consumer with its queue and dead-letter queue, wired the way SQS and Lambda need: partial batch
 * responses, maximum concurrency, a visibility timeout of at least six function timeouts, at least five
 * receives before the DLQ, a DLQ that outlives the queue's retention, encrypted SSL-only queues, and alarms.
 * The function is yours: built from your `entry` with your bundling options, or your own `function`.
 */
export class QueueConsumerFunction extends Construct {
  readonly queue: sqs.Queue;
  readonly deadLetterQueue: sqs.Queue;
  readonly function: lambda.IFunction;
  readonly idempotencyTable?: dynamodb.Table;
  readonly alarms: QueueAlarms;
  readonly maxConcurrency: number;
  readonly workload: string;
  private readonly props: QueueConsumerFunctionProps;

  constructor(scope: Construct, id: string, props: QueueConsumerFunctionProps) {
    super(scope, id);
    checkDeployLimits(this);
    this.props = props;
    this.workload = props.workload ?? defaultWorkloadName(this);
    recordWorkload(this, this.workload);
    requireWorkloadName(NAME, this.workload);
    const ownFunction = props.function;
    if ((props.entry === undefined) === (ownFunction === undefined)) {
      throw new InvalidPropError(
        NAME,
        'entry',
        ownFunction ? 'and function are both set' : 'and function are both unset',
        'Give entry (your handler file, which headroom bundles) or function (your own lambda.IFunction), not both.',
      );
    }
    if (ownFunction) {
      const buildOnly = BUILD_OPTIONS.filter((option) => option !== 'entry' && props[option] !== undefined);
      if (buildOnly.length > 0) {
        throw new InvalidPropError(
          NAME,
          buildOnly.join(', '),
          'only configure the function headroom builds from entry',
          'Set them on your own function instead, or pass entry rather than function.',
        );
      }
    }
    const timeout = this.functionTimeout(props);
    requireFunctionTimeout(timeout);
    requirePositiveDuration(NAME, 'acceptableLatency', props.acceptableLatency);

    if (props.visibilityTimeout === undefined) {
      requireResolved(
        NAME,
        'timeout',
        timeout,
        'the visibility timeout is derived from it (six times the timeout); give visibilityTimeout as well, or a plain timeout',
      );
    }
    const visibilityTimeout = props.visibilityTimeout ?? Duration.seconds(wholeSeconds(NAME, 'timeout', timeout) * 6);
    const visibilitySeconds = requireSecondsBetween(NAME, 'visibilityTimeout', visibilityTimeout, Duration.seconds(0), Duration.hours(12));
    if (!isToken(timeout) && !Token.isUnresolved(visibilitySeconds) && visibilitySeconds < 6 * timeout.toSeconds()) {
      throw new InvalidPropError(
        NAME,
        'visibilityTimeout',
        `(${visibilityTimeout.toHumanString()}) is under six times the function timeout (${timeout.toHumanString()}), so a record can be redelivered while it is still being processed`,
        `Set visibilityTimeout to at least ${6 * timeout.toSeconds()} seconds, or leave it unset.`,
      );
    }
    const maxReceiveCount = props.maxReceiveCount ?? 5;
    requireWholeNumber(NAME, 'maxReceiveCount', maxReceiveCount, 5, 1000);
    this.maxConcurrency = props.maxConcurrency ?? 10;
    requireWholeNumber(NAME, 'maxConcurrency', this.maxConcurrency, 2, 1000);
    const batchSize = props.batchSize ?? 10;
    requireWholeNumber(NAME, 'batchSize', batchSize, 1, props.fifo ? 10 : 10_000);
    if (props.maxBatchingWindow) requireSecondsBetween(NAME, 'maxBatchingWindow', props.maxBatchingWindow, Duration.seconds(0), Duration.minutes(5));
    if (batchSize > 10 && !props.maxBatchingWindow) {
      throw new InvalidPropError(
        NAME,
        'batchSize',
        `(${batchSize}) above 10 needs a batching window`,
        'Set maxBatchingWindow, or keep batchSize at 10 or fewer.',
      );
    }
    const retentionPeriod = props.retentionPeriod ?? Duration.days(4);
    const deadLetterRetentionPeriod = props.deadLetterRetentionPeriod ?? FOURTEEN_DAYS;
    const retentionSeconds = requireSecondsBetween(NAME, 'retentionPeriod', retentionPeriod, Duration.minutes(1), FOURTEEN_DAYS);
    const deadLetterRetentionSeconds = requireSecondsBetween(
      NAME,
      'deadLetterRetentionPeriod',
      deadLetterRetentionPeriod,
      Duration.minutes(1),
      FOURTEEN_DAYS,
    );
    requireResolved(NAME, 'retentionPeriod', retentionPeriod, 'it must be compared with deadLetterRetentionPeriod');
    requireResolved(NAME, 'deadLetterRetentionPeriod', deadLetterRetentionPeriod, 'it must be longer than retentionPeriod');
    if (deadLetterRetentionSeconds <= retentionSeconds) {
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
      fifo: props.fifo || undefined,
    });
    this.queue = new sqs.Queue(this, 'Queue', {
      visibilityTimeout,
      retentionPeriod,
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      fifo: props.fifo || undefined,
      deadLetterQueue: { queue: this.deadLetterQueue, maxReceiveCount },
    });
    requireLatencyWithinRetention(NAME, this.queue, props.acceptableLatency, 'the queue (retentionPeriod)');

    if (props.idempotency) {
      this.idempotencyTable = new dynamodb.Table(this, 'IdempotencyTable', {
        partitionKey: { name: 'id', type: dynamodb.AttributeType.STRING },
        timeToLiveAttribute: 'expiration',
        billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
        encryption: dynamodb.TableEncryption.AWS_MANAGED,
        pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
        removalPolicy: RemovalPolicy.DESTROY,
      });
    }
    // The consumer kit's metrics carry the same Workload dimension, in the same namespace, as headroom's others.
    const kitEnvironment = { HEADROOM_WORKLOAD: this.workload, POWERTOOLS_METRICS_NAMESPACE: DEFAULT_NAMESPACE };
    const tableEnvironment: Record<string, string> = this.idempotencyTable ? { HEADROOM_IDEMPOTENCY_TABLE: this.idempotencyTable.tableName } : {};
    this.function =
      ownFunction ??
      buildConsumerFunction(this, 'Function', {
        ...props,
        entry: props.entry!,
        timeout,
        serviceName: this.node.path.replace(/\//g, '-'),
        environment: { ...kitEnvironment, ...props.environment, ...tableEnvironment },
      });
    recordProducer(this, () => consumerKitFootprint(this.workload, this.node.path));
    if (ownFunction) this.configureOwnFunction(ownFunction, { ...kitEnvironment, ...tableEnvironment });
    this.idempotencyTable?.grant(this.function, ...IDEMPOTENCY_ACTIONS);
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

  private functionTimeout(props: QueueConsumerFunctionProps): Duration {
    const own = props.function;
    if (own instanceof lambda.Function) {
      if (props.timeout) {
        throw new InvalidPropError(
          NAME,
          'timeout',
          'is set with your own lambda.Function, whose timeout headroom reads',
          'Remove timeout and set it on your function.',
        );
      }
      return own.timeout ?? Duration.seconds(3);
    }
    if (own && !props.timeout) {
      throw new InvalidPropError(
        NAME,
        'timeout',
        'is required with an imported function: headroom cannot read its timeout, and the visibility timeout must be six times it',
        "Give the function's timeout, or pass the lambda.Function itself.",
      );
    }
    return props.timeout ?? Duration.seconds(30);
  }

  // A function defined in this app gets the kit's environment; an imported one cannot, so nothing must depend on it.
  private configureOwnFunction(own: lambda.IFunction, environment: Record<string, string>): void {
    if (own instanceof lambda.Function) {
      for (const [name, value] of Object.entries(environment)) own.addEnvironment(name, value);
    } else if (this.idempotencyTable) {
      throw new InvalidPropError(
        NAME,
        'idempotency',
        'needs HEADROOM_IDEMPOTENCY_TABLE set on the function, which headroom cannot do on an imported function',
        'Pass the lambda.Function defined in this app, or create the table yourself and give its name to dynamoDBIdempotency({ tableName }).',
      );
    }
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

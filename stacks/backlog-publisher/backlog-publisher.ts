import { Duration, Stack, Token } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import type * as ecs from 'aws-cdk-lib/aws-ecs';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as scheduler from 'aws-cdk-lib/aws-scheduler';
import * as targets from 'aws-cdk-lib/aws-scheduler-targets';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { BACKLOG_SOURCES_FROM_VARIABLE } from '../../shared/config-shards/config-shards.ts';
import { BACKLOG_METRICS, PUBLISHER_METRICS } from '../../shared/backlog/metric-data.ts';
import { DEFAULT_NAMESPACE, MetricName } from '../../shared/metrics/names.ts';
import { acknowledgeWildcard } from '../common/acknowledge.ts';
import { HeadroomFunction } from '../common/headroom-function.ts';
import { headroomMetric } from '../common/headroom-metric.ts';
import { ShardedConfig } from '../common/sharded-config.ts';
import { InvalidPropError } from '../common/prop-validation.ts';
import { checkDeployLimits } from '../common/deploy-limits.ts';
import { backlogPublisherFootprint, type DemandReads, publisherFailuresFootprint } from '../../shared/cost/producers.ts';
import { SHARED_WORKLOAD } from '../../shared/cost/template-footprint.ts';
import { logicalIdOf, recordProducer, recordShared } from '../common/footprint.ts';

/** What consumes a queue: an ECS service (capacity = running tasks) or a Lambda function. */
export type BacklogConsumer =
  | { readonly kind: 'ecs'; readonly service: ecs.IBaseService }
  | { readonly kind: 'lambda'; readonly function: lambda.IFunction };

/** What the publisher needs to publish RequiredCapacityPerTask for a source. */
export interface RequiredCapacitySource {
  /** The declared time one task takes per message: the prior of the measured one. */
  readonly timePerMessage: Duration;
  /** The time within which a backlog is to be drained (a share of acceptable latency after start-up). */
  readonly drainBudget: Duration;
  /**
   * The consumers' measured time per message, in milliseconds; its Sum and SampleCount over the last 15 minutes are read.
   * @default none: the declared time per message alone
   */
  readonly measuredTimePerMessage?: cloudwatch.Metric;
}

export interface BacklogSource {
  /** The `Workload` dimension the metrics are published under; unique per publisher. */
  readonly workload: string;
  readonly queue: sqs.IQueue;
  readonly consumer: BacklogConsumer;
  /**
   * Count delayed messages (DelaySeconds) as backlog too.
   * @default false
   */
  readonly countDelayed?: boolean;
  /**
   * Also publish RequiredCapacityPerTask (and RequiredCapacity, ArrivalRate, TimePerMessage, BacklogWithoutCapacity)
   * from the queue's NumberOfMessagesSent and the time per message.
   * @default only BacklogPerTask, QueueBacklog and RunningCapacity
   */
  readonly requiredCapacity?: RequiredCapacitySource;
  /**
   * Publish only these of the source's metrics, and those later asked for through `metric()`. Each custom metric
   * costs a month whether anything reads it or not (see `headroom cost`).
   * @default every metric the publisher computes for the source
   */
  readonly metrics?: MetricName[];
}

export interface BacklogPublisherProps {
  /**
   * CloudWatch namespace of the published metrics. The function may publish to this namespace only.
   * @default 'Headroom'
   */
  readonly namespace?: string;
  /**
   * How often the publisher runs. EventBridge Scheduler's finest rate is one minute.
   * @default Duration.minutes(1)
   */
  readonly interval?: Duration;
}

/**
 * A scheduled Lambda that publishes `BacklogPerTask`, `QueueBacklog` and `RunningCapacity` for every
 * (queue, consumer) source added to it, and `RequiredCapacityPerTask` with what it is made of for sources that ask
 * for it, as custom metrics with the `Workload` dimension (standard resolution: Application Auto Scaling evaluates
 * 1-minute periods, so 1-second storage would buy no faster scaling).
 * One publisher serves any number of sources; `QueueScaledService` adds its own.
 */
export class BacklogPublisher extends Construct {
  /** The publisher a stack shares when a construct is given none. */
  static of(scope: Construct): BacklogPublisher {
    const stack = Stack.of(scope);
    const existing = stack.node.tryFindChild('HeadroomBacklogPublisher');
    return existing instanceof BacklogPublisher ? existing : new BacklogPublisher(stack, 'HeadroomBacklogPublisher');
  }

  readonly namespace: string;
  readonly function: HeadroomFunction;
  readonly schedule: scheduler.Schedule;
  /** Where the sources' configuration lives (SSM parameters, a few sources each): not in the function's 4 KB environment. */
  readonly sourceConfig: ShardedConfig;
  private readonly sources: BacklogSource[] = [];
  /** Metrics asked for through metric(), by workload: what a source with `metrics` publishes besides those. */
  private readonly readMetrics = new Map<string, Set<string>>();
  /** The `metrics` list in each narrowed source's configuration entry, kept current as metrics are read. */
  private readonly publishedLists = new Map<string, string[]>();
  private readsMetrics = false;

  constructor(scope: Construct, id: string, props: BacklogPublisherProps = {}) {
    super(scope, id);
    checkDeployLimits(this);
    recordShared(this);
    this.namespace = props.namespace ?? DEFAULT_NAMESPACE;
    if (!Token.isUnresolved(this.namespace) && !/^[A-Za-z0-9._\-/#:]{1,255}$/.test(this.namespace)) {
      throw new InvalidPropError(
        'BacklogPublisher',
        'namespace',
        `"${this.namespace}" is not a valid CloudWatch namespace (1-255 letters, digits and . _ - / # :)`,
        'Use a namespace of your own such as "Headroom" or "Team/Scaling".',
      );
    }
    if (!Token.isUnresolved(this.namespace) && /^aws\//i.test(this.namespace)) {
      throw new InvalidPropError(
        'BacklogPublisher',
        'namespace',
        `"${this.namespace}" starts with "AWS/", which CloudWatch reserves for AWS services (PutMetricData rejects it)`,
        'Use a namespace of your own such as "Headroom" or "Team/Scaling".',
      );
    }
    const interval = props.interval ?? Duration.minutes(1);
    if (interval.toSeconds() < 60) {
      throw new Error(`BacklogPublisher: interval must be at least 1 minute (EventBridge Scheduler's finest rate), got ${interval.toHumanString()}`);
    }

    this.sourceConfig = new ShardedConfig(this, 'Sources', { what: 'backlog source', where: 'BacklogPublisher.addSource' });
    this.function = new HeadroomFunction(this, 'Function', {
      handler: 'backlog-publisher',
      description: 'headroom: publishes SQS backlog and required capacity per task for target tracking',
      serviceName: 'headroom-backlog-publisher',
      timeout: Duration.seconds(30),
      environment: {
        HEADROOM_METRIC_NAMESPACE: this.namespace,
        [BACKLOG_SOURCES_FROM_VARIABLE]: this.sourceConfig.pointer(),
      },
    });
    this.sourceConfig.grantRead(this.function);
    this.function.addToRolePolicy(
      new iam.PolicyStatement({
        actions: ['cloudwatch:PutMetricData'],
        resources: ['*'],
        conditions: { StringEquals: { 'cloudwatch:namespace': this.namespace } },
      }),
    );
    acknowledgeWildcard(
      this.function.role!,
      '*',
      'PutMetricData (limited to one namespace by condition) and GetMetricData have no resource-level permissions.',
    );
    const { partition, region, account } = Stack.of(this);
    acknowledgeWildcard(
      this.function.role!,
      `arn:${partition}:ssm:${region}:${account}:parameter${this.sourceConfig.basePath}/*`,
      'The publisher reads its own configuration parameters only: every version of them, under its own path.',
    );

    const schedulerRole = new iam.Role(this, 'ScheduleRole', { assumedBy: new iam.ServicePrincipal('scheduler.amazonaws.com') });
    this.schedule = new scheduler.Schedule(this, 'Schedule', {
      description: 'headroom: publish backlog per task',
      schedule: scheduler.ScheduleExpression.rate(interval),
      // A missed run is simply superseded by the next one a minute later.
      target: new targets.LambdaInvoke(this.function, { retryAttempts: 0, role: schedulerRole }),
    });
    // Nor does Lambda's own asynchronous retry (twice by default): a retried run would publish after the next one.
    this.function.configureAsyncInvoke({ retryAttempts: 0, maxEventAge: Duration.seconds(Math.max(60, Math.min(interval.toSeconds(), 21_600))) });
    acknowledgeWildcard(
      schedulerRole,
      `${this.function.functionArn}:*`,
      'EventBridge Scheduler’s Lambda target grants invoke on the function’s versions and aliases.',
    );

    recordProducer(this, () => publisherFailuresFootprint(SHARED_WORKLOAD, logicalIdOf(this.function)));
    this.node.addValidation({
      validate: () => [
        ...(this.sources.length === 0 ? ['BacklogPublisher has no sources: call addSource() or remove it'] : []),
        ...this.sources
          .filter((source) => this.publishedMetrics(source).length === 0)
          .map(
            (source) => `BacklogPublisher source "${source.workload}" publishes no metric: list some in its metrics, or read one through metric()`,
          ),
      ],
    });
  }

  /** Publishes backlog metrics for one more queue and its consumer, and grants the reads that needs. */
  addSource(source: BacklogSource): void {
    if (!Token.isUnresolved(source.workload) && !/^[\w.\-/ :#@]{1,255}$/.test(source.workload)) {
      throw new Error(
        `BacklogPublisher.addSource: workload "${source.workload}" must be 1-255 characters of letters, digits, spaces and . _ - / : # @`,
      );
    }
    if (this.sources.some((existing) => existing.workload === source.workload)) {
      throw new Error(`BacklogPublisher.addSource: workload "${source.workload}" is already published; give each source its own workload name`);
    }
    const entry = sourceConfig(source);
    if (source.metrics) {
      // Sized with every metric the source computes, then narrowed in place to those asked for (metric() widens it).
      const published = [...(source.requiredCapacity ? PUBLISHER_METRICS : BACKLOG_METRICS)];
      this.sourceConfig.add({ ...entry, metrics: published });
      this.publishedLists.set(source.workload, published);
      this.sources.push(source);
      this.refreshPublished(source.workload);
    } else {
      this.sourceConfig.add(entry);
      this.sources.push(source);
    }
    recordProducer(this, () =>
      backlogPublisherFootprint(source.workload, logicalIdOf(this.function), this.publishedMetrics(source), demandReads(source)),
    );
    this.function.addToRolePolicy(new iam.PolicyStatement({ actions: ['sqs:GetQueueAttributes'], resources: [source.queue.queueArn] }));
    if (source.consumer.kind === 'ecs') {
      this.function.addToRolePolicy(
        new iam.PolicyStatement({
          actions: ['ecs:DescribeServices'],
          resources: [source.consumer.service.serviceArn],
        }),
      );
    } else {
      // A Lambda consumer's running capacity is its own ConcurrentExecutions metric, read once the function
      // is confirmed to exist (a missing function would otherwise read as zero running).
      this.function.addToRolePolicy(
        new iam.PolicyStatement({ actions: ['lambda:GetFunctionConcurrency'], resources: [source.consumer.function.functionArn] }),
      );
      this.grantMetricReads();
    }
    // RequiredCapacityPerTask reads the queue's NumberOfMessagesSent and the consumers' measured time per message.
    if (source.requiredCapacity) this.grantMetricReads();
  }

  private refreshPublished(workload: string): void {
    const list = this.publishedLists.get(workload);
    const source = this.sources.find((candidate) => candidate.workload === workload);
    if (list && source) list.splice(0, list.length, ...this.publishedMetrics(source));
  }

  /** The metrics published for a source: all it computes, or those it names and those read through metric(). */
  private publishedMetrics(source: BacklogSource): readonly string[] {
    const computed = source.requiredCapacity ? PUBLISHER_METRICS : BACKLOG_METRICS;
    if (!source.metrics) return computed;
    const wanted = new Set<string>([...source.metrics, ...(this.readMetrics.get(source.workload) ?? [])]);
    return computed.filter((name) => wanted.has(name));
  }

  private grantMetricReads(): void {
    if (this.readsMetrics) return;
    this.readsMetrics = true;
    this.function.addToRolePolicy(new iam.PolicyStatement({ actions: ['cloudwatch:GetMetricData'], resources: ['*'] }));
  }

  /** One of the metrics this publisher publishes for a workload. */
  metric(metricName: MetricName, workload: string, props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    const read = this.readMetrics.get(workload) ?? new Set<string>();
    this.readMetrics.set(workload, read.add(metricName));
    this.refreshPublished(workload);
    return headroomMetric(metricName, workload, { namespace: this.namespace, ...props });
  }

  /** Sources the publisher could not read in a run (nothing is published for them then). */
  metricPublishFailures(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return new cloudwatch.Metric({
      namespace: this.namespace,
      metricName: MetricName.backlogPublishFailures,
      dimensionsMap: { service: 'headroom-backlog-publisher' },
      statistic: 'Sum',
      period: Duration.minutes(1),
      ...props,
    });
  }
}

function demandReads(source: BacklogSource): DemandReads {
  if (!source.requiredCapacity) return 'none';
  return source.requiredCapacity.measuredTimePerMessage ? 'arrivals-and-measured' : 'arrivals';
}

function sourceConfig(source: BacklogSource): Record<string, unknown> {
  const consumer =
    source.consumer.kind === 'ecs'
      ? { kind: 'ecs', cluster: source.consumer.service.cluster.clusterName, service: source.consumer.service.serviceName }
      : { kind: 'lambda', functionName: source.consumer.function.functionName };
  const required = source.requiredCapacity;
  const measured = required?.measuredTimePerMessage;
  return {
    workload: source.workload,
    queueUrl: source.queue.queueUrl,
    consumer,
    countDelayed: source.countDelayed ?? false,
    ...(required
      ? {
          requiredCapacity: {
            timePerMessageMs: required.timePerMessage.toMilliseconds(),
            drainBudgetMs: required.drainBudget.toMilliseconds(),
            ...(measured
              ? {
                  measuredTimePerMessage: {
                    namespace: measured.namespace,
                    metricName: measured.metricName,
                    dimensions: Object.entries(measured.dimensions ?? {}).map(([name, value]) => ({ name, value: String(value) })),
                  },
                }
              : {}),
          },
        }
      : {}),
  };
}

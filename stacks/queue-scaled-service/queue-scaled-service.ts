import { Duration, Names, Stack } from 'aws-cdk-lib';
import * as appscaling from 'aws-cdk-lib/aws-applicationautoscaling';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { BacklogPublisher } from '../backlog-publisher/backlog-publisher.ts';
import { InvalidPropError, requirePositiveDuration, requireWholeNumber } from '../common/prop-validation.ts';
import type { PredictiveScaling, PredictiveTargetOptions } from '../predictive-scaling/predictive-scaling.ts';
import { QueueAlarms } from '../queue-alarms/queue-alarms.ts';
import { WorkloadDashboard, type WorkloadDashboardOptions } from '../workload-dashboard/workload-dashboard.ts';

/** Where the backlog-per-task signal comes from. */
export enum BacklogMetricSource {
  /** headroom's BacklogPublisher computes it every minute as a high-resolution custom metric. */
  PUBLISHER = 'publisher',
  /**
   * CloudWatch metric math computes it from AWS/SQS and Container Insights' RunningTaskCount: no Lambda,
   * but SQS metrics arrive only every minute with a few minutes' delay, and the cluster needs Container Insights.
   */
  METRIC_MATH = 'metric-math',
}

export interface QueueScaledServiceProps {
  /** The ECS service that consumes the queue. */
  readonly service: ecs.BaseService;
  /** The queue the service consumes. */
  readonly queue: sqs.IQueue;
  /** How long a message may wait before it is handled: the latency SLO. */
  readonly acceptableLatency: Duration;
  /** How long one task takes to handle one message, on average. */
  readonly timePerMessage: Duration;
  /** The most tasks the service may scale out to. */
  readonly maxCapacity: number;
  /**
   * The fewest tasks the service may scale in to. 0 lets an idle service stop entirely.
   * @default 1
   */
  readonly minCapacity?: number;
  /**
   * How long to wait after a scale-in before scaling in again.
   * @default Duration.minutes(5)
   */
  readonly scaleInCooldown?: Duration;
  /**
   * How long to wait after a scale-out before scaling out again.
   * @default Duration.minutes(1)
   */
  readonly scaleOutCooldown?: Duration;
  /**
   * Where backlog per task is computed.
   * @default BacklogMetricSource.PUBLISHER
   */
  readonly metricSource?: BacklogMetricSource;
  /**
   * The publisher to register this queue with (PUBLISHER source only).
   * @default the stack's shared `BacklogPublisher.of(this)`
   */
  readonly backlogPublisher?: BacklogPublisher;
  /**
   * Also add step scaling that reacts within a minute when backlog per task jumps past twice the target
   * (+50% capacity) or four times it (+100%), ahead of target tracking's three-minute alarm.
   * @default false
   */
  readonly burstStepScaling?: boolean;
  /**
   * The `Workload` dimension of this service's metrics.
   * @default the construct's unique id
   */
  readonly workload?: string;
  /**
   * The dead-letter queue to alarm on.
   * @default the queue's own dead-letter queue when the queue is an `sqs.Queue` that has one
   */
  readonly deadLetterQueue?: sqs.IQueue;
  /**
   * Where alarm notifications go.
   * @default no notification
   */
  readonly alarmTopic?: sns.ITopic;
}

const NAME = 'QueueScaledService';

// With no running task, the whole backlog counts as one task's: a backlog with no workers must scale out.
const BACKLOG_PER_TASK_EXPRESSION = 'IF(running > 0, (visible + inFlight) / running, visible + inFlight)';

/**
 * Scales an ECS service on its SQS backlog the way AWS recommends: target tracking on backlog per task,
 * with the target derived from what you know, `acceptableLatency / timePerMessage`.
 *
 * It removes `DesiredCount` from the service's template so that a deploy never resets the task count the
 * autoscaler has chosen.
 */
export class QueueScaledService extends Construct {
  /** Messages per task the service is kept at: acceptableLatency / timePerMessage. */
  readonly targetBacklogPerTask: number;
  readonly workload: string;
  readonly scalableTarget: appscaling.ScalableTarget;
  readonly alarms: QueueAlarms;
  private readonly backlogPerTask: cloudwatch.IMetric;
  private readonly queue: sqs.IQueue;
  private readonly props: QueueScaledServiceProps;

  constructor(scope: Construct, id: string, props: QueueScaledServiceProps) {
    super(scope, id);
    requirePositiveDuration(NAME, 'timePerMessage', props.timePerMessage);
    requirePositiveDuration(NAME, 'acceptableLatency', props.acceptableLatency);
    const minCapacity = props.minCapacity ?? 1;
    requireWholeNumber(NAME, 'minCapacity', minCapacity, 0);
    requireWholeNumber(NAME, 'maxCapacity', props.maxCapacity, 1);
    if (minCapacity > props.maxCapacity) {
      throw new InvalidPropError(NAME, 'minCapacity', `(${minCapacity}) is above maxCapacity (${props.maxCapacity})`, 'Lower minCapacity or raise maxCapacity.');
    }
    this.targetBacklogPerTask = props.acceptableLatency.toMilliseconds() / props.timePerMessage.toMilliseconds();
    if (this.targetBacklogPerTask < 1) {
      throw new InvalidPropError(
        NAME,
        'acceptableLatency',
        `(${props.acceptableLatency.toHumanString()}) is shorter than timePerMessage (${props.timePerMessage.toHumanString()}), so no backlog is acceptable`,
        'Raise acceptableLatency to at least timePerMessage, or make messages faster to handle.',
      );
    }
    const metricSource = props.metricSource ?? BacklogMetricSource.PUBLISHER;
    if (metricSource === BacklogMetricSource.METRIC_MATH && props.backlogPublisher) {
      throw new InvalidPropError(NAME, 'backlogPublisher', 'is only used with BacklogMetricSource.PUBLISHER', 'Remove backlogPublisher, or use the PUBLISHER metric source.');
    }
    if (metricSource === BacklogMetricSource.METRIC_MATH && props.burstStepScaling) {
      throw new InvalidPropError(NAME, 'burstStepScaling', 'needs the high-resolution publisher metric', 'Use BacklogMetricSource.PUBLISHER, or turn burstStepScaling off.');
    }
    this.queue = props.queue;
    this.props = props;
    this.workload = props.workload ?? Names.uniqueId(this);

    // The autoscaler owns the task count from now on: a template value would reset it on every deploy.
    const cfnService = props.service.node.defaultChild;
    if (!(cfnService instanceof ecs.CfnService)) {
      throw new InvalidPropError(NAME, 'service', 'is an imported service (from*ServiceAttributes or from*ServiceArn), whose template headroom cannot change to stop deploys resetting its task count', 'Pass the ecs.FargateService or ecs.Ec2Service defined in this app.');
    }
    cfnService.addPropertyDeletionOverride('DesiredCount');

    this.scalableTarget = new appscaling.ScalableTarget(this, 'Target', {
      serviceNamespace: appscaling.ServiceNamespace.ECS,
      scalableDimension: 'ecs:service:DesiredCount',
      resourceId: `service/${props.service.cluster.clusterName}/${props.service.serviceName}`,
      minCapacity,
      maxCapacity: props.maxCapacity,
    });

    const scaleInCooldown = props.scaleInCooldown ?? Duration.minutes(5);
    const scaleOutCooldown = props.scaleOutCooldown ?? Duration.minutes(1);
    if (metricSource === BacklogMetricSource.PUBLISHER) {
      const publisher = props.backlogPublisher ?? BacklogPublisher.of(this);
      publisher.addSource({ workload: this.workload, queue: props.queue, consumer: { kind: 'ecs', service: props.service } });
      this.backlogPerTask = publisher.metricBacklogPerTask(this.workload);
      this.scalableTarget.scaleToTrackMetric('BacklogPerTaskTracking', {
        customMetric: this.backlogPerTask,
        targetValue: this.targetBacklogPerTask,
        scaleInCooldown,
        scaleOutCooldown,
      });
      if (props.burstStepScaling) this.addBurstStepScaling(publisher);
    } else {
      this.backlogPerTask = this.metricMathBacklogPerTask(props.service);
      this.addMetricMathTracking(props.service, scaleInCooldown, scaleOutCooldown);
    }

    this.alarms = new QueueAlarms(this, 'Alarms', {
      queue: props.queue,
      acceptableLatency: props.acceptableLatency,
      deadLetterQueue: this.deadLetterQueue,
      alarmTopic: props.alarmTopic,
    });
  }

  private get deadLetterQueue(): sqs.IQueue | undefined {
    return this.props.deadLetterQueue ?? (this.props.queue instanceof sqs.Queue ? this.props.queue.deadLetterQueue?.queue : undefined);
  }

  /**
   * Adds this service's dashboard: capacity, backlog per task vs target, message age vs SLO, DLQ depth, and the
   * predictor's forecast and floors when `options.predictor` is given; its composite alarm includes this
   * service's SLO and DLQ alarms.
   */
  addDashboard(options: WorkloadDashboardOptions = {}): WorkloadDashboard {
    return new WorkloadDashboard(this, 'Dashboard', {
      workload: this.workload,
      capacity: { kind: 'ecs', service: this.props.service, minCapacity: this.props.minCapacity ?? 1, maxCapacity: this.props.maxCapacity },
      queue: { queue: this.queue, deadLetterQueue: this.deadLetterQueue, acceptableLatency: this.props.acceptableLatency },
      backlogPerTask: { metric: this.backlogPerTask, target: this.targetBacklogPerTask },
      workloadAlarms: this.alarms.all,
      alarmTopic: this.props.alarmTopic,
      ...options,
    });
  }

  /**
   * Lets a predictor raise this service's MinCapacity ahead of its load: the workload, walls (the scalable
   * target's) and throughput (one message per timePerMessage per task) are this service's; the load is the
   * queue's NumberOfMessagesSent. `options` overrides any of them.
   */
  addToPredictor(predictor: PredictiveScaling, options: Partial<PredictiveTargetOptions> = {}): void {
    predictor.addTarget({
      workload: this.workload,
      scalableTarget: this.scalableTarget,
      load: [this.queue.metricNumberOfMessagesSent({ statistic: 'Sum', period: Duration.hours(1) })],
      unitThroughput: 1000 / this.props.timePerMessage.toMilliseconds(),
      ...options,
    });
  }

  /** Messages waiting per running task, the signal this service is scaled on. */
  metricBacklogPerTask(): cloudwatch.IMetric {
    return this.backlogPerTask;
  }

  /** How long the oldest message has waited: compare with acceptableLatency. */
  metricAgeOfOldestMessage(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.queue.metricApproximateAgeOfOldestMessage({ statistic: 'Maximum', period: Duration.minutes(1), ...props });
  }

  private addBurstStepScaling(publisher: BacklogPublisher): void {
    const target = this.targetBacklogPerTask;
    this.scalableTarget.scaleOnMetric('BurstStepScaling', {
      metric: publisher.metricBacklogPerTask(this.workload, { statistic: 'Maximum' }),
      adjustmentType: appscaling.AdjustmentType.PERCENT_CHANGE_IN_CAPACITY,
      minAdjustmentMagnitude: 1,
      cooldown: Duration.minutes(1),
      evaluationPeriods: 1,
      scalingSteps: [
        { upper: 2 * target, change: 0 },
        { lower: 2 * target, change: 50 },
        { lower: 4 * target, change: 100 },
      ],
    });
  }

  private metricMathBacklogPerTask(service: ecs.BaseService): cloudwatch.MathExpression {
    const queueName = this.queue.queueName;
    const period = Duration.minutes(1);
    return new cloudwatch.MathExpression({
      label: 'Backlog per task',
      expression: BACKLOG_PER_TASK_EXPRESSION,
      period,
      usingMetrics: {
        visible: this.queue.metricApproximateNumberOfMessagesVisible({ statistic: 'Sum', period }),
        inFlight: this.queue.metricApproximateNumberOfMessagesNotVisible({ statistic: 'Sum', period }),
        running: new cloudwatch.Metric({
          namespace: 'ECS/ContainerInsights',
          metricName: 'RunningTaskCount',
          dimensionsMap: { ClusterName: service.cluster.clusterName, ServiceName: service.serviceName },
          statistic: 'Average',
          period,
        }),
      },
    }).with({ label: `Backlog per task (${queueName})` });
  }

  // aws-cdk-lib's L2 target tracking accepts direct metrics only; metric math needs the L1 policy.
  private addMetricMathTracking(service: ecs.BaseService, scaleInCooldown: Duration, scaleOutCooldown: Duration): void {
    const queueDimension = [{ name: 'QueueName', value: this.queue.queueName }];
    const sqsMetric = (id: string, metricName: string) => ({
      id,
      returnData: false,
      metricStat: { metric: { namespace: 'AWS/SQS', metricName, dimensions: queueDimension }, stat: 'Sum' },
    });
    new appscaling.CfnScalingPolicy(this, 'BacklogPerTaskMathTracking', {
      policyName: `${Stack.of(this).stackName}-${this.workload}-backlog-per-task`.slice(0, 255),
      policyType: 'TargetTrackingScaling',
      scalingTargetId: this.scalableTarget.scalableTargetId,
      targetTrackingScalingPolicyConfiguration: {
        targetValue: this.targetBacklogPerTask,
        scaleInCooldown: scaleInCooldown.toSeconds(),
        scaleOutCooldown: scaleOutCooldown.toSeconds(),
        customizedMetricSpecification: {
          metrics: [
            sqsMetric('visible', 'ApproximateNumberOfMessagesVisible'),
            sqsMetric('inFlight', 'ApproximateNumberOfMessagesNotVisible'),
            {
              id: 'running',
              returnData: false,
              metricStat: {
                metric: {
                  namespace: 'ECS/ContainerInsights',
                  metricName: 'RunningTaskCount',
                  dimensions: [
                    { name: 'ClusterName', value: service.cluster.clusterName },
                    { name: 'ServiceName', value: service.serviceName },
                  ],
                },
                stat: 'Average',
              },
            },
            {
              id: 'backlogPerTask',
              label: 'Backlog per task',
              returnData: true,
              expression: BACKLOG_PER_TASK_EXPRESSION,
            },
          ],
        },
      },
    });
  }
}

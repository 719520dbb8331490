import { Annotations, ArnFormat, Duration, Lazy, Stack, Validations } from 'aws-cdk-lib';
import { defaultWorkloadName } from '../common/workload-name.ts';
import * as appscaling from 'aws-cdk-lib/aws-applicationautoscaling';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as sns from 'aws-cdk-lib/aws-sns';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { drainBudgetMs } from '../../shared/backlog/required-capacity.ts';
import { REACTIVE_DEFAULTS } from '../../shared/backlog/reactive-defaults.ts';
import { DEFAULT_NAMESPACE, MetricName, WORKLOAD_DIMENSION, WORKLOAD_VARIABLE } from '../../shared/metrics/names.ts';
import { TARGET_DEFAULTS } from '../../shared/predictor/config.ts';
import { BacklogPublisher } from '../backlog-publisher/backlog-publisher.ts';
import { ecsScalableTarget } from '../common/ecs-scalable-target.ts';
import { requireLatencyWithinRetention } from '../common/queue-retention.ts';
import { InvalidPropError, requireOrdered, requirePositiveDuration, requireResolved, requireWholeNumber } from '../common/prop-validation.ts';
import { acknowledgeWildcard } from '../common/acknowledge.ts';
import { warnWithoutContainerInsights } from '../common/container-insights.ts';
import type { PredictiveScaling, PredictiveTargetOptions } from '../predictive-scaling/predictive-scaling.ts';
import { QueueAlarms } from '../queue-alarms/queue-alarms.ts';
import { WorkloadDashboard, type WorkloadDashboardOptions } from '../workload-dashboard/workload-dashboard.ts';
import { checkDeployLimits } from '../common/deploy-limits.ts';
import { recordWorkload } from '../common/footprint.ts';

/** What target tracking holds at its target. */
export enum ScalingSignal {
  /**
   * headroom's default: RequiredCapacityPerTask, the tasks the queue needs (arrival rate x time per message, plus the
   * backlog drained within a share of the latency budget left after start-up) per desired task, held at
   * `targetUtilization`. It halves when capacity doubles, as target tracking assumes, so it settles below the SLO.
   */
  REQUIRED_CAPACITY = 'required-capacity',
  /**
   * AWS's recipe: backlog per task at `acceptableLatency / timePerMessage`. Its equilibrium is a wait at the SLO, and
   * once the queue drains it reads 0 at any capacity (bench/results/simulate.md: backlog-target-tracking).
   */
  BACKLOG_PER_TASK = 'backlog-per-task',
}

/** Where the scaling signal comes from. */
export enum BacklogMetricSource {
  /** headroom's BacklogPublisher computes it every minute as a custom metric. */
  PUBLISHER = 'publisher',
  /**
   * CloudWatch metric math computes it from AWS/SQS and Container Insights' task counts: no Lambda, but SQS metrics
   * arrive only every minute with a few minutes' delay, the arrival rate is not smoothed, the time per message is
   * the declared one (never measured), and the cluster needs Container Insights. Not for `minCapacity: 0`: SQS stops
   * sending an inactive queue's metrics and takes up to 15 minutes to resume them (a synth warning says so).
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
  /**
   * How long one task takes to handle one message, on average (1 / a task's throughput). With the publisher this is
   * the prior: the consumers' measured time per message (`measuredTimePerMessage`) outweighs it as samples arrive.
   */
  readonly timePerMessage: Duration;
  /**
   * What target tracking holds at its target.
   * @default ScalingSignal.REQUIRED_CAPACITY
   */
  readonly signal?: ScalingSignal;
  /**
   * The RequiredCapacityPerTask target tracking holds (REQUIRED_CAPACITY only): 1 is exactly the capacity the
   * queue needs; below 1 is headroom for noise. Between 0.5 and 1.
   * @default 0.9; 1 once `addPredictiveScaling()` puts the service under floors a predictor writes (the floors are the margin)
   */
  readonly targetUtilization?: number;
  /**
   * How long a new task takes from launch to taking messages. The backlog is drained within half of what the
   * acceptable latency leaves after it (REQUIRED_CAPACITY only).
   * @default Duration.seconds(90)
   */
  readonly startupTime?: Duration;
  /**
   * The consumers' own time per message in milliseconds, which the publisher blends with `timePerMessage` (weighted
   * by sample count, the declared value counting as 100 samples) and the dashboard compares with it.
   * @default the consumer kits' `MessageProcessingTime` in the Headroom namespace, with the dimension set the kits
   * publish: `Workload` = the workload alone (shared/metrics/contract.ts)
   */
  readonly measuredTimePerMessage?: cloudwatch.Metric;
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
   * Also publish the publisher's diagnostic metrics for this workload (BacklogPerTask, QueueBacklog, RunningCapacity
   * and, with ScalingSignal.REQUIRED_CAPACITY, RequiredCapacity, ArrivalRate, TimePerMessage, BacklogWithoutCapacity).
   * Each is a custom metric at $0.30 a month (`headroom cost`); nothing headroom deploys reads them (PUBLISHER source only).
   * @default false: only the metrics the scaling policies read
   */
  readonly diagnosticMetrics?: boolean;
  /**
   * The burst guard: step scaling on the queue's ApproximateAgeOfOldestMessage (1-minute Maximum, one datapoint)
   * that adds 25% of capacity once the oldest message has waited half the acceptable latency and 50% at three
   * quarters, whatever the tracked signal says.
   * @default true with ScalingSignal.REQUIRED_CAPACITY, false with BACKLOG_PER_TASK (AWS's recipe as it is)
   */
  readonly burstStepScaling?: boolean;
  /**
   * The `Workload` dimension of this service's metrics.
   * @default the stack's name and the construct's path in it, e.g. `Shop-Orders-Worker`
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
  /**
   * Prepares the service's tasks for headroom's worker kit (`cdk-headroom/worker`, docs/worker-kit.md): grants the
   * task role `ecs:UpdateTaskProtection` and `ecs:GetTaskProtection` on this cluster's tasks (the ECS agent's
   * task-protection endpoint calls them with the task role), so a busy task protects itself from scale-in, and sets
   * `HEADROOM_WORKLOAD` in the task's default container, so the kit publishes its metrics on this workload.
   * @default true
   */
  readonly workerKit?: boolean;
}

const NAME = 'QueueScaledService';
const SQS_METRICS_DOC = 'https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-available-cloudwatch-metrics.html';

// With no running task, the whole backlog counts as one task's.
const BACKLOG_PER_TASK_EXPRESSION = 'IF(running > 0, (visible + inFlight) / running, visible + inFlight)';
// Messages wait and no task is desired: target tracking cannot multiply its way out of zero capacity.
const BACKLOG_WITHOUT_CAPACITY_EXPRESSION = 'IF((desired == 0) AND ((visible + inFlight) > 0), 1, 0)';

/**
 * Scales an ECS service on its SQS backlog. By default target tracking holds RequiredCapacityPerTask (the capacity
 * the queue needs per task, from arrivals, time per message and the backlog; see ScalingSignal) below 1, with a
 * burst guard on the oldest message's age and, when minCapacity is 0, a step policy that starts the first task.
 * AWS's backlog-per-task recipe is `signal: ScalingSignal.BACKLOG_PER_TASK`.
 *
 * It removes `DesiredCount` from the service's template so that a deploy never resets the task count the
 * autoscaler has chosen.
 */
export class QueueScaledService extends Construct {
  readonly signal: ScalingSignal;
  private trackingTarget: number;
  private readonly startupTime: Duration;
  readonly workload: string;
  readonly scalableTarget: appscaling.ScalableTarget;
  readonly alarms: QueueAlarms;
  private readonly scalingSignal: cloudwatch.IMetric;
  private readonly measuredTimePerMessage: cloudwatch.Metric;
  private readonly queue: sqs.IQueue;
  private readonly props: QueueScaledServiceProps;

  constructor(scope: Construct, id: string, props: QueueScaledServiceProps) {
    super(scope, id);
    checkDeployLimits(this);
    requirePositiveDuration(NAME, 'timePerMessage', props.timePerMessage);
    requirePositiveDuration(NAME, 'acceptableLatency', props.acceptableLatency);
    const minCapacity = props.minCapacity ?? 1;
    requireWholeNumber(NAME, 'minCapacity', minCapacity, 0);
    requireWholeNumber(NAME, 'maxCapacity', props.maxCapacity, 1);
    requireOrdered(NAME, 'minCapacity', minCapacity, 'maxCapacity', props.maxCapacity);
    const backlogTarget = props.acceptableLatency.toMilliseconds() / props.timePerMessage.toMilliseconds();
    if (backlogTarget < 1) {
      throw new InvalidPropError(
        NAME,
        'acceptableLatency',
        `(${props.acceptableLatency.toHumanString()}) is shorter than timePerMessage (${props.timePerMessage.toHumanString()}), so no backlog is acceptable`,
        'Raise acceptableLatency to at least timePerMessage, or make messages faster to handle.',
      );
    }
    this.signal = props.signal ?? ScalingSignal.REQUIRED_CAPACITY;
    const targetUtilization = props.targetUtilization ?? REACTIVE_DEFAULTS.target;
    if (props.targetUtilization !== undefined && this.signal !== ScalingSignal.REQUIRED_CAPACITY) {
      throw new InvalidPropError(
        NAME,
        'targetUtilization',
        'is the RequiredCapacityPerTask target',
        'Remove targetUtilization, or use ScalingSignal.REQUIRED_CAPACITY.',
      );
    }
    requireResolved(NAME, 'targetUtilization', targetUtilization, 'it is checked against [0.5, 1] and replayed by the predictor');
    if (!(targetUtilization >= 0.5 && targetUtilization <= 1)) {
      throw new InvalidPropError(
        NAME,
        'targetUtilization',
        `must be between 0.5 and 1, got ${targetUtilization}`,
        'Use 0.9 (the default), or a value in [0.5, 1].',
      );
    }
    const startupTime = props.startupTime ?? Duration.millis(REACTIVE_DEFAULTS.startupMs);
    if (!startupTime.isUnresolved() && startupTime.toMilliseconds() < 0) {
      throw new InvalidPropError(
        NAME,
        'startupTime',
        `must not be negative, got ${startupTime.toHumanString()}`,
        'Set startupTime to how long a task takes to start.',
      );
    }
    if (
      !startupTime.isUnresolved() &&
      !props.acceptableLatency.isUnresolved() &&
      startupTime.toMilliseconds() >= props.acceptableLatency.toMilliseconds()
    ) {
      throw new InvalidPropError(
        NAME,
        'startupTime',
        `(${startupTime.toHumanString()}) is not shorter than acceptableLatency (${props.acceptableLatency.toHumanString()}): a message that needs a new task waits at least the start-up, so no scale-out can meet the SLO and no time is left to drain a backlog`,
        'Raise acceptableLatency above startupTime, or make tasks start faster.',
      );
    }
    requireLatencyWithinRetention(NAME, props.queue, props.acceptableLatency);
    this.trackingTarget = this.signal === ScalingSignal.REQUIRED_CAPACITY ? targetUtilization : backlogTarget;
    this.startupTime = startupTime;
    const metricSource = props.metricSource ?? BacklogMetricSource.PUBLISHER;
    if (metricSource === BacklogMetricSource.METRIC_MATH && props.backlogPublisher) {
      throw new InvalidPropError(
        NAME,
        'backlogPublisher',
        'is only used with BacklogMetricSource.PUBLISHER',
        'Remove backlogPublisher, or use the PUBLISHER metric source.',
      );
    }
    if (metricSource === BacklogMetricSource.METRIC_MATH && props.measuredTimePerMessage) {
      throw new InvalidPropError(
        NAME,
        'measuredTimePerMessage',
        'is read by the backlog publisher only (metric math uses the declared timePerMessage)',
        'Remove measuredTimePerMessage, or use the PUBLISHER metric source.',
      );
    }
    this.queue = props.queue;
    this.props = props;
    this.workload = props.workload ?? defaultWorkloadName(this);
    recordWorkload(this, this.workload);
    this.measuredTimePerMessage =
      props.measuredTimePerMessage ??
      new cloudwatch.Metric({
        namespace: DEFAULT_NAMESPACE,
        metricName: MetricName.messageProcessingTime,
        dimensionsMap: { [WORKLOAD_DIMENSION]: this.workload },
        statistic: 'Average',
        period: Duration.minutes(5),
      });
    const drainBudget = Duration.millis(drainBudgetMs(props.acceptableLatency.toMilliseconds(), startupTime.toMilliseconds()));

    // The autoscaler owns the task count from now on: a template value would reset it on every deploy.
    const cfnService = props.service.node.defaultChild;
    if (!(cfnService instanceof ecs.CfnService)) {
      throw new InvalidPropError(
        NAME,
        'service',
        'is an imported service (from*ServiceAttributes or from*ServiceArn), whose template headroom cannot change to stop deploys resetting its task count',
        'Pass the ecs.FargateService or ecs.Ec2Service defined in this app.',
      );
    }
    cfnService.addPropertyDeletionOverride('DesiredCount');

    this.scalableTarget = ecsScalableTarget(this, NAME, props.service, minCapacity, props.maxCapacity);

    const scaleInCooldown = props.scaleInCooldown ?? Duration.millis(REACTIVE_DEFAULTS.scaleInCooldownMs);
    const scaleOutCooldown = props.scaleOutCooldown ?? Duration.millis(REACTIVE_DEFAULTS.scaleOutCooldownMs);
    const required = this.signal === ScalingSignal.REQUIRED_CAPACITY;
    if (metricSource === BacklogMetricSource.PUBLISHER) {
      const publisher = props.backlogPublisher ?? BacklogPublisher.of(this);
      publisher.addSource({
        workload: this.workload,
        queue: props.queue,
        consumer: { kind: 'ecs', service: props.service },
        // Nothing but what the policies read through publisher.metric(), unless diagnostics are asked for.
        ...(props.diagnosticMetrics ? {} : { metrics: [] }),
        ...(required
          ? { requiredCapacity: { timePerMessage: props.timePerMessage, drainBudget, measuredTimePerMessage: this.measuredTimePerMessage } }
          : {}),
      });
      this.scalingSignal = publisher.metric(required ? MetricName.requiredCapacityPerTask : MetricName.backlogPerTask, this.workload);
      this.scalableTarget.scaleToTrackMetric(required ? 'RequiredCapacityTracking' : 'BacklogPerTaskTracking', {
        customMetric: this.scalingSignal,
        targetValue: this.lazySignalTarget,
        scaleInCooldown,
        scaleOutCooldown,
      });
      if (minCapacity === 0) this.addScaleFromZero(publisher.metric(MetricName.backlogWithoutCapacity, this.workload, { statistic: 'Maximum' }));
    } else {
      warnWithoutContainerInsights(this, props.service, 'BacklogMetricSource.METRIC_MATH (running and desired task counts)');
      if (minCapacity === 0)
        Annotations.of(this).addWarningV2(
          'headroom:metricMathFromZero',
          `minCapacity: 0 with BacklogMetricSource.METRIC_MATH: with no task polling it, an idle queue becomes inactive after six hours and SQS stops sending its metrics, which take up to 15 minutes to resume once messages arrive (${SQS_METRICS_DOC}); the first task can start that late. Use BacklogMetricSource.PUBLISHER (it reads the queue itself every minute), or minCapacity: 1.`,
        );
      const expression = required ? this.requiredCapacityExpression(drainBudget) : BACKLOG_PER_TASK_EXPRESSION;
      this.scalingSignal = this.metricMath(props.service, required ? 'Required capacity per task' : 'Backlog per task', expression);
      this.addMetricMathTracking(props.service, expression, scaleInCooldown, scaleOutCooldown);
      if (minCapacity === 0) this.addScaleFromZero(this.metricMath(props.service, 'Backlog without capacity', BACKLOG_WITHOUT_CAPACITY_EXPRESSION));
    }
    if (props.burstStepScaling ?? required) this.addBurstGuard(scaleOutCooldown);

    if (props.workerKit ?? true) this.prepareWorkerKit(props.service);

    this.alarms = new QueueAlarms(this, 'Alarms', {
      queue: props.queue,
      acceptableLatency: props.acceptableLatency,
      deadLetterQueue: this.deadLetterQueue,
      alarmTopic: props.alarmTopic,
    });
  }

  /**
   * The value target tracking holds the signal at: targetUtilization (REACTIVE_DEFAULTS.targetWithFloors under a
   * predictor's floors, unless set), or acceptableLatency / timePerMessage for the recipe.
   */
  get signalTarget(): number {
    return this.trackingTarget;
  }

  /** Read at synth, so a later addPredictiveScaling() reaches the policy and the dashboard. */
  private get lazySignalTarget(): number {
    return Lazy.number({ produce: () => this.trackingTarget });
  }

  private get deadLetterQueue(): sqs.IQueue | undefined {
    return this.props.deadLetterQueue ?? (this.props.queue instanceof sqs.Queue ? this.props.queue.deadLetterQueue?.queue : undefined);
  }

  /**
   * Adds this service's dashboard: capacity, the scaling signal vs its target, measured vs declared time per message
   * (with an alarm when they differ by more than 2x), message age vs SLO, DLQ depth, and the
   * predictor's forecast and floors when `options.predictor` is given; its composite alarm includes this
   * service's SLO and DLQ alarms.
   */
  addDashboard(options: WorkloadDashboardOptions = {}): WorkloadDashboard {
    return new WorkloadDashboard(this, 'Dashboard', {
      workload: this.workload,
      capacity: { kind: 'ecs', service: this.props.service, minCapacity: this.props.minCapacity ?? 1, maxCapacity: this.props.maxCapacity },
      queue: { queue: this.queue, deadLetterQueue: this.deadLetterQueue, acceptableLatency: this.props.acceptableLatency },
      scalingSignal: {
        metric: this.scalingSignal,
        target: this.lazySignalTarget,
        title: this.signal === ScalingSignal.REQUIRED_CAPACITY ? 'Required capacity per task vs target' : 'Backlog per task vs target',
      },
      timePerMessage: { declared: this.props.timePerMessage, measured: this.measuredTimePerMessage },
      workloadAlarms: this.alarms.all,
      alarmTopic: this.props.alarmTopic,
      ...options,
    });
  }

  /**
   * The old name of `addPredictiveScaling()` (RequestScaledService's name for the same step).
   * @deprecated use addPredictiveScaling()
   */
  addToPredictor(predictor: PredictiveScaling, options: Partial<PredictiveTargetOptions> = {}): void {
    this.addPredictiveScaling(predictor, options);
  }

  /**
   * Lets a predictor raise this service's MinCapacity ahead of its load: the workload, walls (the scalable
   * target's) and throughput (one message per timePerMessage per task) are this service's; the load is the
   * queue's NumberOfMessagesSent. Unless `options` pins the quantile or the utilization, the predictor chooses
   * them each day by replaying the last week of the queue's load through this service's policies. Where the
   * predictor writes floors (forecastAndScale, enabled) and targetUtilization is not set, tracking holds
   * RequiredCapacityPerTask at 1: the floors carry the forecast rises the 0.9 margin is for. `options` overrides
   * any of these.
   */
  addPredictiveScaling(predictor: PredictiveScaling, options: Partial<PredictiveTargetOptions> = {}): void {
    const required = this.signal === ScalingSignal.REQUIRED_CAPACITY;
    const underFloors = predictor.writesFloors && required && this.props.targetUtilization === undefined;
    if (underFloors) this.trackingTarget = REACTIVE_DEFAULTS.targetWithFloors;
    const pinned = options.quantile !== undefined || options.targetUtilization !== undefined;
    const replayable = required && !pinned && !this.startupTime.isUnresolved() && !this.props.acceptableLatency.isUnresolved();
    predictor.addTarget({
      workload: this.workload,
      scalableTarget: this.scalableTarget,
      load: [this.queue.metricNumberOfMessagesSent({ statistic: 'Sum', period: Duration.hours(1) })],
      unitThroughput: 1000 / this.props.timePerMessage.toMilliseconds(),
      // Floors rise a start-up ahead of the load they are for, as the simulator plans them.
      ...(this.startupTime.isUnresolved()
        ? {}
        : { leadTime: Duration.seconds(Math.max(this.startupTime.toSeconds(), TARGET_DEFAULTS.leadTimeSeconds)) }),
      ...(replayable
        ? {
            floorTuning: {
              acceptableLatencySeconds: this.props.acceptableLatency.toSeconds(),
              startupSeconds: this.startupTime.toSeconds(),
              scaleOutCooldownSeconds: (this.props.scaleOutCooldown ?? Duration.millis(REACTIVE_DEFAULTS.scaleOutCooldownMs)).toSeconds(),
              reactiveTarget: this.trackingTarget,
              drainShare: REACTIVE_DEFAULTS.drainShare,
            },
          }
        : {}),
      ...options,
    });
  }

  /** The signal this service is scaled on (RequiredCapacityPerTask, or backlog per task for the recipe). */
  metricScalingSignal(): cloudwatch.IMetric {
    return this.scalingSignal;
  }

  /** How long the oldest message has waited: compare with acceptableLatency. */
  metricAgeOfOldestMessage(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.queue.metricApproximateAgeOfOldestMessage({ statistic: 'Maximum', period: Duration.minutes(1), ...props });
  }

  /**
   * The burst guard: whatever the tracked signal says (a wrong timePerMessage, a stuck consumer), a message waiting
   * half the latency budget adds capacity within a minute of SQS reporting it.
   */
  /**
   * The worker kit's needs: task scale-in protection through the ECS agent, which calls UpdateTaskProtection and
   * GetTaskProtection with the task role
   * (https://docs.aws.amazon.com/AmazonECS/latest/developerguide/task-scale-in-protection-endpoint.html: an
   * AccessDeniedException for ecs:GetTaskProtection names the task role), and the workload its metrics carry.
   */
  private prepareWorkerKit(service: ecs.BaseService): void {
    const { taskDefinition } = service;
    const tasks = Stack.of(this).formatArn({
      service: 'ecs',
      resource: 'task',
      resourceName: `${service.cluster.clusterName}/*`,
      arnFormat: ArnFormat.SLASH_RESOURCE_NAME,
    });
    taskDefinition.addToTaskRolePolicy(
      new iam.PolicyStatement({ actions: ['ecs:UpdateTaskProtection', 'ecs:GetTaskProtection'], resources: [tasks] }),
    );
    acknowledgeWildcard(
      taskDefinition,
      tasks,
      "A task protects itself: its own ARN is known only at run time, so the grant covers the cluster's tasks.",
    );
    const container = taskDefinition.defaultContainer;
    if (!container) return;
    container.addEnvironment(WORKLOAD_VARIABLE, this.workload);
    // cdk-nag's ECS2 asks for secrets in Secrets Manager; the workload's name is what its metrics are published under.
    Validations.of(taskDefinition).acknowledge({
      id: 'AwsSolutions-ECS2',
      reason: `headroom sets ${WORKLOAD_VARIABLE} (the workload's name, not a secret) for the worker kit; set workerKit: false to leave the container as it is`,
    });
  }

  private addBurstGuard(cooldown: Duration): void {
    const latency = this.props.acceptableLatency.toSeconds();
    const [first, second] = REACTIVE_DEFAULTS.ageGuardSteps;
    this.scalableTarget.scaleOnMetric('BurstGuard', {
      metric: this.metricAgeOfOldestMessage(),
      adjustmentType: appscaling.AdjustmentType.PERCENT_CHANGE_IN_CAPACITY,
      minAdjustmentMagnitude: 1,
      cooldown,
      evaluationPeriods: 1,
      scalingSteps: [
        { upper: first.shareOfLatency * latency, change: 0 },
        { lower: first.shareOfLatency * latency, change: first.percent },
        { lower: second.shareOfLatency * latency, change: second.percent },
      ],
    });
  }

  /** Starts the first task when messages wait and none is desired: target tracking cannot leave zero capacity. */
  private addScaleFromZero(backlogWithoutCapacity: cloudwatch.IMetric): void {
    this.scalableTarget.scaleOnMetric('ScaleFromZero', {
      metric: backlogWithoutCapacity,
      adjustmentType: appscaling.AdjustmentType.CHANGE_IN_CAPACITY,
      cooldown: Duration.minutes(1),
      evaluationPeriods: 1,
      scalingSteps: [
        { upper: 0.5, change: 0 },
        { lower: 0.5, change: 1 },
      ],
    });
  }

  /**
   * RequiredCapacityPerTask in metric math: the declared time per message, the unsmoothed per-minute arrivals, over the
   * running tasks (what ECS service auto scaling multiplies the ratio by). Every operation is parenthesized: the
   * CloudWatch page does not state operator precedence.
   */
  private requiredCapacityExpression(drainBudget: Duration): string {
    const seconds = this.props.timePerMessage.toMilliseconds() / 1000;
    return `(((sent / 60) * ${seconds}) + (((visible + inFlight) * ${seconds}) / ${drainBudget.toSeconds()})) / IF(running > 1, running, 1)`;
  }

  /** The metrics the metric-math expressions use, by id. */
  private mathMetrics(
    service: ecs.BaseService,
  ): Record<string, { namespace: string; metricName: string; dimensions: Record<string, string>; statistic: string }> {
    const queue = { QueueName: this.queue.queueName };
    const ecsService = { ClusterName: service.cluster.clusterName, ServiceName: service.serviceName };
    return {
      sent: { namespace: 'AWS/SQS', metricName: 'NumberOfMessagesSent', dimensions: queue, statistic: 'Sum' },
      visible: { namespace: 'AWS/SQS', metricName: 'ApproximateNumberOfMessagesVisible', dimensions: queue, statistic: 'Sum' },
      inFlight: { namespace: 'AWS/SQS', metricName: 'ApproximateNumberOfMessagesNotVisible', dimensions: queue, statistic: 'Sum' },
      running: { namespace: 'ECS/ContainerInsights', metricName: 'RunningTaskCount', dimensions: ecsService, statistic: 'Average' },
      desired: { namespace: 'ECS/ContainerInsights', metricName: 'DesiredTaskCount', dimensions: ecsService, statistic: 'Average' },
    };
  }

  private usedIds(expression: string): string[] {
    return ['sent', 'visible', 'inFlight', 'running', 'desired'].filter((id) => new RegExp(`\\b${id}\\b`).test(expression));
  }

  private metricMath(service: ecs.BaseService, label: string, expression: string): cloudwatch.MathExpression {
    const period = Duration.minutes(1);
    const metrics = this.mathMetrics(service);
    return new cloudwatch.MathExpression({
      label: `${label} (${this.queue.queueName})`,
      expression,
      period,
      usingMetrics: Object.fromEntries(
        this.usedIds(expression).map((id) => {
          const { namespace, metricName, dimensions, statistic } = metrics[id]!;
          return [id, new cloudwatch.Metric({ namespace, metricName, dimensionsMap: dimensions, statistic, period })];
        }),
      ),
    });
  }

  // aws-cdk-lib's L2 target tracking accepts direct metrics only; metric math needs the L1 policy.
  private addMetricMathTracking(service: ecs.BaseService, expression: string, scaleInCooldown: Duration, scaleOutCooldown: Duration): void {
    const metrics = this.mathMetrics(service);
    const required = this.signal === ScalingSignal.REQUIRED_CAPACITY;
    new appscaling.CfnScalingPolicy(this, required ? 'RequiredCapacityMathTracking' : 'BacklogPerTaskMathTracking', {
      policyName: `${Stack.of(this).stackName}-${this.workload}-${required ? 'required-capacity' : 'backlog-per-task'}`.slice(0, 255),
      policyType: 'TargetTrackingScaling',
      scalingTargetId: this.scalableTarget.scalableTargetId,
      targetTrackingScalingPolicyConfiguration: {
        targetValue: this.lazySignalTarget,
        scaleInCooldown: scaleInCooldown.toSeconds(),
        scaleOutCooldown: scaleOutCooldown.toSeconds(),
        customizedMetricSpecification: {
          metrics: [
            ...this.usedIds(expression).map((id) => {
              const { namespace, metricName, dimensions, statistic } = metrics[id]!;
              return {
                id,
                returnData: false,
                metricStat: {
                  metric: { namespace, metricName, dimensions: Object.entries(dimensions).map(([name, value]) => ({ name, value })) },
                  stat: statistic,
                },
              };
            }),
            { id: 'signal', label: required ? 'Required capacity per task' : 'Backlog per task', returnData: true, expression },
          ],
        },
      },
    });
  }
}

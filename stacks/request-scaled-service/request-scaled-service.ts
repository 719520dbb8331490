import { Annotations, Duration, Stack, Token } from 'aws-cdk-lib';
import { defaultWorkloadName } from '../common/workload-name.ts';
import * as appscaling from 'aws-cdk-lib/aws-applicationautoscaling';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import type * as ecsPatterns from 'aws-cdk-lib/aws-ecs-patterns';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import type * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { REQUEST_SCALING_DEFAULTS } from '../../shared/request-scaling/reactive-defaults.ts';
import { fitRequiredTasks, type RequiredTasksCurve } from '../../shared/request-scaling/required-tasks.ts';
import type { BurnRateAlert } from '../../shared/slo/index.ts';
import { ecsScalableTarget } from '../common/ecs-scalable-target.ts';
import { InvalidPropError, requireOrdered, requirePositiveDuration, requireResolved, requireWholeNumber } from '../common/prop-validation.ts';
import type { PredictiveScaling, PredictorMode } from '../predictive-scaling/index.ts';
import { warnWithoutContainerInsights } from '../common/container-insights.ts';
import { NativePredictiveScaling } from '../predictive-scaling/native-predictive-scaling.ts';
import { albErrorIndicator, albLatencyIndicator } from '../slo/service-level-indicator.ts';
import { SloBurnRateAlarms } from '../slo/slo-burn-rate-alarms.ts';
import { requireWorkloadName } from '../workload-dashboard/alarm-name.ts';
import { WorkloadDashboard, type WorkloadDashboardOptions } from '../workload-dashboard/workload-dashboard.ts';
import { checkDeployLimits } from '../common/deploy-limits.ts';
import { recordWorkload } from '../common/footprint.ts';

export interface RequestScaledServiceProps {
  /**
   * An ECS service behind an Application Load Balancer, as aws-ecs-patterns builds it. Give either this or
   * `service`, `targetGroup` and `loadBalancer`.
   * @default none: `service`, `targetGroup` and `loadBalancer` are used
   */
  readonly loadBalancedService?: ecsPatterns.ApplicationLoadBalancedFargateService | ecsPatterns.ApplicationLoadBalancedEc2Service;
  /**
   * The ECS service that serves the requests (with `targetGroup` and `loadBalancer`).
   * @default loadBalancedService.service
   */
  readonly service?: ecs.BaseService;
  /**
   * The target group the service's tasks are registered in.
   * @default loadBalancedService.targetGroup
   */
  readonly targetGroup?: elbv2.ApplicationTargetGroup;
  /**
   * The load balancer in front of `targetGroup` (its full name is half of the ALBRequestCountPerTarget resource label).
   * @default loadBalancedService.loadBalancer
   */
  readonly loadBalancer?: elbv2.ApplicationLoadBalancer;
  /**
   * Requests per second one task serves with its p99 response time within `latencySlo`. Measure it: load-test one
   * task behind the load balancer at rising constant rates (k6, Gatling, Locust, hey) and take the highest rate whose
   * p99 stays under the SLO for ten minutes. A fleet serves more per task within the SLO than one task: headroom
   * derives how many tasks a request rate needs from this and `latencySlo` (see `requiredTasks`).
   */
  readonly requestsPerSecondPerTask: number;
  /**
   * The latency SLO: the p99 of TargetResponseTime the service must stay within (the same name as
   * QueueScaledService's and QueueConsumerFunction's). Required, here or as the deprecated `latencySlo`.
   * @default none: required
   */
  readonly acceptableLatency?: Duration;
  /**
   * The old name of `acceptableLatency`.
   * @deprecated use acceptableLatency
   * @default none: give acceptableLatency
   */
  readonly latencySlo?: Duration;
  /** The most tasks the service may scale out to. */
  readonly maxCapacity: number;
  /**
   * The fewest tasks the service may scale in to.
   * @default 1
   */
  readonly minCapacity?: number;
  /**
   * The share of the fleet's capacity within the SLO in use: the RequiredTasksPerTask target, so the service runs
   * at the tasks its requests need within the SLO divided by this. The rest is what absorbs a rise while new tasks
   * start.
   * @default 0.7 (REQUEST_SCALING_DEFAULTS.targetUtilization)
   */
  readonly targetUtilization?: number;
  /**
   * Scale out on latency too: step scaling when the p99 TargetResponseTime has been over `latencySlo` for
   * `latencyGuardMinutes` consecutive minutes (+25% tasks, +50% over twice the SLO, at least one task), for load
   * that request count does not show yet (a rise inside target tracking's three datapoints, slower requests, a bad
   * deploy, a noisy neighbour).
   * @default true
   */
  readonly latencyGuard?: boolean;
  /**
   * Consecutive minutes over the SLO before the latency guard scales out.
   * @default 1 (REQUEST_SCALING_DEFAULTS.latencyGuardMinutes)
   */
  readonly latencyGuardMinutes?: number;
  /**
   * How long to wait after a scale-in before scaling in again.
   * @default Duration.minutes(5) (REQUEST_SCALING_DEFAULTS.scaleInCooldownMs)
   */
  readonly scaleInCooldown?: Duration;
  /**
   * How long after a scale-out its capacity counts as already added (target tracking and the latency guard): at
   * least the tasks' start-up time, or scale-outs compound while tasks start.
   * @default Duration.minutes(3) (REQUEST_SCALING_DEFAULTS.scaleOutCooldownMs)
   */
  readonly scaleOutCooldown?: Duration;
  /**
   * The `Workload` dimension and the dashboard's title.
   * @default the stack's name and the construct's path in it, e.g. `Shop-Orders-Worker`
   */
  readonly workload?: string;
  /**
   * Where alarm notifications go.
   * @default no notification
   */
  readonly alarmTopic?: sns.ITopic;
}

/** Options of `addSloAlarms`. */
export interface RequestSloOptions {
  /** The share of requests that must be within the latency SLO (and not 5xx), e.g. 0.999. */
  readonly objective: number;
  /**
   * The burn-rate alerts.
   * @default the SRE workbook's three (SloBurnRateAlarms)
   */
  readonly alerts?: readonly BurnRateAlert[];
  /**
   * Where page-severity alerts notify.
   * @default the construct's alarmTopic
   */
  readonly pageTopic?: sns.ITopic;
  /**
   * Where ticket-severity alerts notify.
   * @default the construct's alarmTopic
   */
  readonly ticketTopic?: sns.ITopic;
}

/** Options of `addPredictiveScaling`. */
export interface RequestPredictiveOptions {
  /**
   * The forecast quantile floors are planned from.
   * @default 'p50': the floors carry the expected demand once; target tracking and the latency guard take the rest
   */
  readonly quantile?: 'p50' | 'p90' | 'p99';
  /**
   * Utilization of the fleet's per-task rate within the SLO (the rate the target is derived from) the floors are
   * planned at.
   * @default 1
   */
  readonly targetUtilization?: number;
  /**
   * How long before the forecast load floors rise: the tasks' start-up time.
   * @default Duration.minutes(5)
   */
  readonly leadTime?: Duration;
}

/** Options of `addNativePredictiveScaling`. */
export interface RequestNativePredictiveOptions {
  /**
   * Whether AWS only forecasts or also scales (AWS's spelling still taken, deprecated).
   * @default PredictorMode.FORECAST_ONLY
   */
  readonly mode?: PredictorMode | 'ForecastOnly' | 'ForecastAndScale';
  /**
   * How long before the forecast load capacity is launched (at most 1 hour).
   * @default Duration.minutes(5) (NativePredictiveScaling's)
   */
  readonly schedulingBuffer?: Duration;
}

const NAME = 'RequestScaledService';

/**
 * "Tasks per service" (the desired count), 5,000 by default: Amazon ECS service quotas,
 * https://docs.aws.amazon.com/AmazonECS/latest/developerguide/service-quotas.html. Also what bounds the
 * required-tasks fit, which evaluates Erlang C for every fleet size up to maxCapacity (0.2 s at 5,000).
 */
export const ECS_TASKS_PER_SERVICE = 5000;

/** A positive `value` to six significant digits, rounded by `round` (Math.ceil or Math.floor), for metric math. */
function sixDigits(value: number, round: (x: number) => number): string {
  const scale = 10 ** (5 - Math.floor(Math.log10(value)));
  return String(Number((round(value * scale) / scale).toPrecision(6)));
}

/**
 * Scales a request-driven ECS service behind an Application Load Balancer on what users feel: target tracking on
 * RequiredTasksPerTask, metric math over the target group's RequestCount and HealthyHostCount that gives the tasks
 * the requests need within the latency SLO (by the M/M/c queue, from the rate one task serves within it) per
 * healthy task, and a latency guard that scales out when the p99 response
 * time breaches the SLO for consecutive minutes. Predictive floors (headroom's predictor, or AWS's own predictive
 * scaling on the ALBRequestCount pair) and multiwindow burn-rate alerts are one call each.
 *
 * It removes `DesiredCount` from the service's template so that a deploy never resets the task count the
 * autoscaler has chosen.
 */
/** The props with the latency SLO under its one internal name, whichever name the user gave it by. */
type ResolvedProps = RequestScaledServiceProps & { readonly latencySlo: Duration };

function resolveLatency(input: RequestScaledServiceProps): { props: ResolvedProps; latencyProp: string } {
  if (input.acceptableLatency && input.latencySlo)
    throw new InvalidPropError(NAME, 'latencySlo', 'is set with acceptableLatency', 'Keep acceptableLatency only (latencySlo is its old name).');
  const latency = input.acceptableLatency ?? input.latencySlo;
  if (!latency)
    throw new InvalidPropError(
      NAME,
      'acceptableLatency',
      'is required',
      'Give the p99 response time the service must keep, such as Duration.millis(500).',
    );
  return { props: { ...input, latencySlo: latency }, latencyProp: input.acceptableLatency ? 'acceptableLatency' : 'latencySlo' };
}

export class RequestScaledService extends Construct {
  /** RequiredTasksPerTask the service is kept at: `targetUtilization`. */
  readonly targetUtilization: number;
  /**
   * How many tasks a request rate needs within the latency SLO: load + rootSlack x sqrt(load) + fixedSlack, with
   * load = requests per second / saturationRatePerTask (square-root staffing fitted to Erlang C for 1 to
   * maxCapacity tasks, never fewer than it).
   */
  readonly requiredTasks: RequiredTasksCurve;
  readonly workload: string;
  readonly service: ecs.BaseService;
  readonly targetGroup: elbv2.ApplicationTargetGroup;
  readonly loadBalancer: elbv2.ApplicationLoadBalancer;
  readonly scalableTarget: appscaling.ScalableTarget;
  /** `app/<lb-name>/<lb-id>/targetgroup/<tg-name>/<tg-id>`: what ALB request-count metrics are keyed by. */
  readonly resourceLabel: string;
  /** The p99 response time has been over the latency SLO for three minutes. */
  readonly latencySloBreach: cloudwatch.Alarm;
  private readonly props: ResolvedProps;
  private readonly minCapacity: number;
  private readonly sloAlarms: SloBurnRateAlarms[] = [];

  constructor(scope: Construct, id: string, input: RequestScaledServiceProps) {
    super(scope, id);
    checkDeployLimits(this);
    const { props, latencyProp } = resolveLatency(input);
    const given = [props.service, props.targetGroup, props.loadBalancer].filter((value) => value !== undefined).length;
    if (props.loadBalancedService && given > 0) {
      throw new InvalidPropError(
        NAME,
        'loadBalancedService',
        'is given with service, targetGroup or loadBalancer',
        'Give either loadBalancedService, or service, targetGroup and loadBalancer.',
      );
    }
    if (!props.loadBalancedService && given < 3) {
      const missing = (['service', 'targetGroup', 'loadBalancer'] as const).filter((name) => props[name] === undefined);
      throw new InvalidPropError(
        NAME,
        missing[0]!,
        'is missing',
        `Give service, targetGroup and loadBalancer together (missing: ${missing.join(', ')}), or loadBalancedService.`,
      );
    }
    this.service = props.loadBalancedService?.service ?? props.service!;
    this.targetGroup = props.loadBalancedService?.targetGroup ?? props.targetGroup!;
    this.loadBalancer = props.loadBalancedService?.loadBalancer ?? props.loadBalancer!;
    if (Token.isUnresolved(props.requestsPerSecondPerTask) || Token.isUnresolved(props.maxCapacity)) {
      throw new InvalidPropError(
        NAME,
        Token.isUnresolved(props.requestsPerSecondPerTask) ? 'requestsPerSecondPerTask' : 'maxCapacity',
        'is a token',
        'Give a number known at synth: the required-tasks formula the service is scaled on is fitted from it.',
      );
    }
    if (!(props.requestsPerSecondPerTask > 0 && Number.isFinite(props.requestsPerSecondPerTask))) {
      throw new InvalidPropError(
        NAME,
        'requestsPerSecondPerTask',
        `must be a positive number, got ${props.requestsPerSecondPerTask}`,
        'Load-test one task at the latency SLO and give the highest rate it serves within it.',
      );
    }
    requirePositiveDuration(NAME, latencyProp, props.latencySlo);
    if (!props.latencySlo.isUnresolved() && props.latencySlo.toMilliseconds() > 3_600_000) {
      throw new InvalidPropError(
        NAME,
        latencyProp,
        `(${props.latencySlo.toHumanString()}) is longer than an hour`,
        'Give the p99 response time the service must keep, such as Duration.millis(500).',
      );
    }
    this.minCapacity = props.minCapacity ?? 1;
    requireWholeNumber(NAME, 'minCapacity', this.minCapacity, 0);
    if (props.maxCapacity > ECS_TASKS_PER_SERVICE) {
      throw new InvalidPropError(
        NAME,
        'maxCapacity',
        `(${props.maxCapacity}) is above the ${ECS_TASKS_PER_SERVICE} tasks Amazon ECS runs in one service ("Tasks per service" quota)`,
        `Set maxCapacity to at most ${ECS_TASKS_PER_SERVICE}, or split the load over several services.`,
      );
    }
    requireWholeNumber(NAME, 'maxCapacity', props.maxCapacity, 1, ECS_TASKS_PER_SERVICE);
    requireOrdered(NAME, 'minCapacity', this.minCapacity, 'maxCapacity', props.maxCapacity);
    if (this.minCapacity === 0) {
      throw new InvalidPropError(
        NAME,
        'minCapacity',
        'is 0, and nothing would start the first task: with no healthy target the load balancer answers 503 itself, the target group reports no RequestCount, and target tracking does not scale out on missing data',
        'Set minCapacity to at least 1 (floors from addPredictiveScaling() can still add tasks ahead of load).',
      );
    }
    const targetUtilization = props.targetUtilization ?? REQUEST_SCALING_DEFAULTS.targetUtilization;
    requireResolved(NAME, 'targetUtilization', targetUtilization, 'it is checked against (0, 1] and drawn on the dashboard');
    if (!(targetUtilization > 0 && targetUtilization <= 1)) {
      throw new InvalidPropError(
        NAME,
        'targetUtilization',
        `must be a fraction in (0, 1], got ${targetUtilization}`,
        'Use for example 0.7 (not a percentage).',
      );
    }
    this.targetUtilization = targetUtilization;
    const guardMinutes = props.latencyGuardMinutes ?? REQUEST_SCALING_DEFAULTS.latencyGuardMinutes;
    requireWholeNumber(NAME, 'latencyGuardMinutes', guardMinutes, 1, 1440);
    if (props.latencyGuard === false && props.latencyGuardMinutes !== undefined) {
      throw new InvalidPropError(
        NAME,
        'latencyGuardMinutes',
        'is set but latencyGuard is false',
        'Remove latencyGuardMinutes, or turn the guard on.',
      );
    }
    this.props = props;
    this.workload = props.workload ?? defaultWorkloadName(this);
    requireWorkloadName(NAME, this.workload);
    recordWorkload(this, this.workload);
    const sloSeconds = props.latencySlo.toMilliseconds() / 1000;
    this.requiredTasks = fitRequiredTasks(props.requestsPerSecondPerTask, sloSeconds, props.maxCapacity);
    this.warnOnIdleFleet();
    this.resourceLabel = `${this.loadBalancer.loadBalancerFullName}/${this.targetGroup.targetGroupFullName}`;

    // The autoscaler owns the task count from now on: a template value would reset it on every deploy.
    const cfnService = this.service.node.defaultChild;
    if (!(cfnService instanceof ecs.CfnService)) {
      throw new InvalidPropError(
        NAME,
        props.loadBalancedService ? 'loadBalancedService' : 'service',
        'is an imported service (from*ServiceAttributes or from*ServiceArn), whose template headroom cannot change to stop deploys resetting its task count',
        'Pass the ecs.FargateService or ecs.Ec2Service defined in this app.',
      );
    }
    cfnService.addPropertyDeletionOverride('DesiredCount');

    this.scalableTarget = ecsScalableTarget(this, NAME, this.service, this.minCapacity, props.maxCapacity);
    warnWithoutContainerInsights(this, this.service, 'RequiredTasksPerTask (running tasks; HealthyHostCount where they are missing)');
    const scaleOutCooldown = props.scaleOutCooldown ?? Duration.millis(REQUEST_SCALING_DEFAULTS.scaleOutCooldownMs);
    this.addRequiredTasksTracking(props.scaleInCooldown ?? Duration.millis(REQUEST_SCALING_DEFAULTS.scaleInCooldownMs), scaleOutCooldown);
    const slo = sloSeconds;
    if (props.latencyGuard ?? true) {
      this.scalableTarget.scaleOnMetric('LatencyGuard', {
        metric: this.metricTargetResponseTime(),
        adjustmentType: appscaling.AdjustmentType.PERCENT_CHANGE_IN_CAPACITY,
        minAdjustmentMagnitude: 1,
        cooldown: scaleOutCooldown,
        evaluationPeriods: guardMinutes,
        datapointsToAlarm: guardMinutes,
        metricAggregationType: appscaling.MetricAggregationType.MAXIMUM,
        scalingSteps: [
          { upper: slo, change: 0 },
          ...REQUEST_SCALING_DEFAULTS.latencyGuardSteps.map((step) => ({ lower: step.multipleOfSlo * slo, change: step.percent })),
        ],
      });
    }
    this.latencySloBreach = this.metricTargetResponseTime().createAlarm(this, 'LatencySloBreach', {
      alarmDescription: `${this.workload}: the p99 response time has been over the latency SLO (${props.latencySlo.toHumanString()}) for 3 minutes`,
      threshold: slo,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
      evaluationPeriods: 3,
      datapointsToAlarm: 3,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });
    if (props.alarmTopic) {
      this.latencySloBreach.addAlarmAction(new actions.SnsAction(props.alarmTopic));
      this.latencySloBreach.addOkAction(new actions.SnsAction(props.alarmTopic));
    }
  }

  /**
   * Warns when the curve holds more tasks at zero requests than minCapacity: its fixed slack (what the p99 needs
   * beyond the load) over targetUtilization. A per-task rate far below what the SLO alone allows a task (about
   * ln(100) / latencySlo requests per second) makes that slack large.
   */
  private warnOnIdleFleet(): void {
    const idleTasks = Math.ceil(this.requiredTasks.fixedSlack / this.targetUtilization - 1e-9);
    if (idleTasks <= Math.max(1, this.minCapacity)) return;
    Annotations.of(this).addWarningV2(
      'headroom:idle-fleet',
      `${NAME}: requestsPerSecondPerTask (${this.props.requestsPerSecondPerTask}) with latencySlo (${this.props.latencySlo.toHumanString()}) makes the required-tasks curve ask for ${idleTasks} tasks at zero requests (above minCapacity ${this.minCapacity}), so the service never scales in below that. Check requestsPerSecondPerTask against a load test of one task (requests per second, not per minute), or raise targetUtilization.`,
    );
  }

  /** The workload's own alarms: the latency SLO breach, and the page-severity burn-rate alerts once added. */
  get alarms(): cloudwatch.IAlarm[] {
    return [this.latencySloBreach, ...this.sloAlarms.flatMap((alarms) => alarms.pages)];
  }

  /** ALBRequestCountPerTarget (Sum per minute). */
  metricRequestCountPerTarget(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.targetGroup.metrics.requestCountPerTarget({ statistic: 'Sum', period: Duration.minutes(1), ...props });
  }

  /** Healthy targets in the target group (Average per minute): the tasks taking requests. */
  metricHealthyHostCount(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.targetGroup.metrics.healthyHostCount({ statistic: 'Average', period: Duration.minutes(1), ...props });
  }

  /** Running tasks of the service (Container Insights, Average per minute): what ECS service auto scaling scales from. */
  metricRunningTaskCount(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return new cloudwatch.Metric({
      namespace: 'ECS/ContainerInsights',
      metricName: 'RunningTaskCount',
      dimensionsMap: { ClusterName: this.service.cluster.clusterName, ServiceName: this.service.serviceName },
      statistic: 'Average',
      period: Duration.minutes(1),
      ...props,
    });
  }

  /**
   * RequiredTasksPerTask, the signal this service is scaled on: the tasks the minute's requests need within the
   * latency SLO (`requiredTasks`) over the running tasks (at least one). Above 1, the fleet is short of its SLO.
   */
  metricRequiredTasksPerTask(props?: cloudwatch.MathExpressionOptions): cloudwatch.MathExpression {
    return new cloudwatch.MathExpression({
      label: 'Required tasks per task',
      period: Duration.minutes(1),
      ...props,
      expression: this.requiredTasksPerTaskExpression(),
      usingMetrics: this.signalMetrics(),
    });
  }

  private signalMetrics(): Record<'requests' | 'running' | 'healthy', cloudwatch.Metric> {
    return { requests: this.metricRequestCount(), running: this.metricRunningTaskCount(), healthy: this.metricHealthyHostCount() };
  }

  /**
   * The metric math (https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/using-metric-math.html):
   * requests (Sum per minute, FILLed with 0: the ALB reports no RequestCount for a minute without requests, and
   * target tracking does not scale in on missing data) to the offered load in tasks, the curve, over the running
   * tasks, which ECS service auto scaling multiplies the ratio by (Container Insights' RunningTaskCount; where it
   * is missing, the healthy targets; at least one). Every operation is parenthesized: the page does not state the
   * precedence of `^`.
   */
  private requiredTasksPerTaskExpression(): string {
    const { saturationRatePerTask, rootSlack, fixedSlack } = this.requiredTasks;
    // Each coefficient is rounded the way that asks for more tasks, so the formula never asks for fewer than the fit.
    const load = `(FILL(requests, 0) / ${sixDigits(60 * saturationRatePerTask, Math.floor)})`;
    const root = rootSlack > 0 ? ` + (${sixDigits(rootSlack, Math.ceil)} * (${load} ^ 0.5))` : '';
    const fixed = fixedSlack > 0 ? ` + ${sixDigits(fixedSlack, Math.ceil)}` : '';
    return `(${load}${root}${fixed}) / MAX([FILL(running, 0), FILL(healthy, 0), 1])`;
  }

  // aws-cdk-lib's L2 target tracking accepts direct metrics only; metric math needs the L1 policy.
  private addRequiredTasksTracking(scaleInCooldown: Duration, scaleOutCooldown: Duration): void {
    const query = (id: string, metric: cloudwatch.Metric) => {
      const stat = metric.toMetricConfig().metricStat!;
      return {
        id,
        returnData: false,
        metricStat: { metric: { namespace: stat.namespace, metricName: stat.metricName, dimensions: stat.dimensions }, stat: stat.statistic },
      };
    };
    new appscaling.CfnScalingPolicy(this, 'RequiredTasksTracking', {
      policyName: `${Stack.of(this).stackName}-${this.workload}-required-tasks`.slice(0, 255),
      policyType: 'TargetTrackingScaling',
      scalingTargetId: this.scalableTarget.scalableTargetId,
      targetTrackingScalingPolicyConfiguration: {
        targetValue: this.targetUtilization,
        scaleInCooldown: scaleInCooldown.toSeconds(),
        scaleOutCooldown: scaleOutCooldown.toSeconds(),
        customizedMetricSpecification: {
          metrics: [
            ...Object.entries(this.signalMetrics()).map(([id, metric]) => query(id, metric)),
            { id: 'signal', label: 'Required tasks per task', returnData: true, expression: this.requiredTasksPerTaskExpression() },
          ],
        },
      },
    });
  }

  /** Requests the target group received (Sum): the load headroom's predictor forecasts. */
  metricRequestCount(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.targetGroup.metrics.requestCount({ statistic: 'Sum', period: Duration.minutes(1), ...props });
  }

  /** p99 TargetResponseTime in seconds: compare with latencySlo. */
  metricTargetResponseTime(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.targetGroup.metrics.targetResponseTime({ statistic: 'p99', period: Duration.minutes(1), ...props });
  }

  /** Requests the targets answered with a 5xx (Sum). */
  metricTargetErrors(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.targetGroup.metrics.httpCodeTarget(elbv2.HttpCodeTarget.TARGET_5XX_COUNT, {
      statistic: 'Sum',
      period: Duration.minutes(1),
      ...props,
    });
  }

  /**
   * Raises this service's MinCapacity ahead of the forecast request count with headroom's predictor: the target
   * group's RequestCount history is the load, `requestsPerSecondPerTask` (what one task serves within the SLO) the
   * throughput of a task, so a floor asks for at least the tasks the forecast needs at any fleet size.
   */
  addPredictiveScaling(predictor: PredictiveScaling, options: RequestPredictiveOptions = {}): void {
    predictor.addTarget({
      workload: this.workload,
      scalableTarget: this.scalableTarget,
      load: [this.metricRequestCount({ period: Duration.hours(1) })],
      unitThroughput: this.props.requestsPerSecondPerTask,
      minCapacity: this.minCapacity,
      maxCapacity: this.props.maxCapacity,
      quantile: options.quantile ?? REQUEST_SCALING_DEFAULTS.floorQuantile,
      targetUtilization: options.targetUtilization ?? REQUEST_SCALING_DEFAULTS.floorUtilization,
      ...(options.leadTime ? { leadTime: options.leadTime } : {}),
    });
  }

  /**
   * AWS's own predictive scaling on the ALBRequestCount metric pair (ALBRequestCount as load,
   * ALBRequestCountPerTarget as the scaling metric at what one task serves within the SLO per minute, as
   * addPredictiveScaling's floors), through NativePredictiveScaling with the resource label derived from the load
   * balancer and target group.
   */
  addNativePredictiveScaling(options: RequestNativePredictiveOptions = {}): NativePredictiveScaling {
    return new NativePredictiveScaling(this, 'NativePredictive', {
      scalableTarget: this.scalableTarget,
      metric: 'ALBRequestCount',
      resourceLabel: this.resourceLabel,
      targetValue: this.props.requestsPerSecondPerTask * 60,
      ...options,
    });
  }

  /**
   * Multiwindow, multi-burn-rate alerts on the error budget, for latency (requests slower than latencySlo, by
   * TargetResponseTime's percentile rank, and requests the load balancer timed out: HTTPCode_ELB_504_Count) and
   * availability (5xx answers by the targets or the load balancer itself over all requests).
   */
  addSloAlarms(options: RequestSloOptions): { latency: SloBurnRateAlarms; availability: SloBurnRateAlarms } {
    const common = {
      objective: options.objective,
      ...(options.alerts ? { alerts: options.alerts } : {}),
      ...((options.pageTopic ?? this.props.alarmTopic) ? { pageTopic: options.pageTopic ?? this.props.alarmTopic } : {}),
      ...((options.ticketTopic ?? this.props.alarmTopic) ? { ticketTopic: options.ticketTopic ?? this.props.alarmTopic } : {}),
    };
    const latency = new SloBurnRateAlarms(this, 'LatencySlo', {
      indicator: albLatencyIndicator(this.targetGroup, this.loadBalancer, this.props.latencySlo),
      ...common,
    });
    const availability = new SloBurnRateAlarms(this, 'AvailabilitySlo', {
      indicator: albErrorIndicator(this.targetGroup, this.loadBalancer),
      ...common,
    });
    this.sloAlarms.push(latency, availability);
    return { latency, availability };
  }

  /**
   * Adds this service's dashboard: capacity, required tasks per task vs target, p99 response time vs SLO, 5xx, the
   * burn rates and error budgets of the SLO alarms added so far, and the predictor's forecast and floors when
   * `options.predictor` is given; its composite alarm includes this service's alarms.
   */
  addDashboard(options: WorkloadDashboardOptions = {}): WorkloadDashboard {
    return new WorkloadDashboard(this, 'Dashboard', {
      workload: this.workload,
      capacity: { kind: 'ecs', service: this.service, minCapacity: this.minCapacity, maxCapacity: this.props.maxCapacity },
      load: this.metricRequestCount({ label: 'Requests' }),
      workloadAlarms: this.alarms,
      alarmTopic: this.props.alarmTopic,
      ...options,
      extraWidgets: [...this.requestWidgets(), ...this.sloAlarms.flatMap((alarms) => alarms.widgets()), ...(options.extraWidgets ?? [])],
    });
  }

  private requestWidgets(): cloudwatch.IWidget[] {
    return [
      new cloudwatch.GraphWidget({
        title: 'Required tasks per task vs target',
        width: 12,
        left: [this.metricRequiredTasksPerTask()],
        leftAnnotations: [
          { value: this.targetUtilization, label: 'Target', color: cloudwatch.Color.GREEN },
          { value: 1, label: 'At the SLO', color: cloudwatch.Color.RED },
        ],
      }),
      new cloudwatch.GraphWidget({
        title: 'p99 response time vs SLO (seconds)',
        width: 12,
        left: [this.metricTargetResponseTime()],
        leftAnnotations: [{ value: this.props.latencySlo.toMilliseconds() / 1000, label: 'Latency SLO', color: cloudwatch.Color.RED }],
      }),
      new cloudwatch.GraphWidget({ title: 'Target 5xx answers', width: 12, left: [this.metricTargetErrors()] }),
    ];
  }
}

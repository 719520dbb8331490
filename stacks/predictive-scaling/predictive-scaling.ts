import { Duration, Lazy, Stack, Tags, Token } from 'aws-cdk-lib';
import * as appscaling from 'aws-cdk-lib/aws-applicationautoscaling';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as scheduler from 'aws-cdk-lib/aws-scheduler';
import * as targets from 'aws-cdk-lib/aws-scheduler-targets';
import * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { DEFAULT_NAMESPACE, MetricName } from '../../shared/metrics/names.ts';
import { DEFAULT_HISTORY_DAYS, MAX_HISTORY_DAYS } from '../../shared/predictor/config.ts';
import { acknowledgeWildcard } from '../common/acknowledge.ts';
import { HeadroomFunction } from '../common/headroom-function.ts';
import { headroomMetric } from '../common/headroom-metric.ts';
import { InvalidPropError, requirePositiveDuration, requireWholeNumber } from '../common/prop-validation.ts';

/** The tag that marks a scalable target as one the predictor may schedule actions on. */
export const MANAGED_TAG_KEY = 'headroom:managed';

export enum PredictorMode {
  /** Forecast and publish the plan as metrics; write no scheduled action. */
  FORECAST_ONLY = 'forecastOnly',
  /** Also raise MinCapacity ahead of the forecast load with scheduled actions. */
  FORECAST_AND_SCALE = 'forecastAndScale',
}

export interface PredictiveScalingProps {
  /**
   * Whether the predictor writes scheduled actions. Start with FORECAST_ONLY, watch the forecast against the
   * load on the dashboard, then switch.
   * @default PredictorMode.FORECAST_ONLY
   */
  readonly mode?: PredictorMode;
  /**
   * How often the predictor re-plans.
   * @default Duration.hours(1)
   */
  readonly interval?: Duration;
  /**
   * Kill switch: false keeps the predictor running but writing no scheduled action, whatever the mode.
   * @default true
   */
  readonly enabled?: boolean;
  /**
   * Days of load history read each run (2-63: CloudWatch keeps 5-minute data 63 days). Three weeks or more let
   * the forecaster backtest its weekly models.
   * @default 21
   */
  readonly historyDays?: number;
  /**
   * How far ahead floors are planned (1-48 hours).
   * @default 24
   */
  readonly horizonHours?: number;
  /**
   * Prefix of the scheduled actions the predictor owns; it never touches actions without it.
   * @default 'headroom-'
   */
  readonly actionPrefix?: string;
  /**
   * CloudWatch namespace of the predictor's metrics.
   * @default 'Headroom'
   */
  readonly namespace?: string;
  /**
   * Where the predictor's failure and stale-plan alarms notify.
   * @default no notification
   */
  readonly alarmTopic?: sns.ITopic;
}

export interface PredictiveTargetOptions {
  /** The `Workload` dimension of this target's forecast metrics; unique per predictor. */
  readonly workload: string;
  /** The scalable target whose MinCapacity is raised (an ECS service's desired count, a DynamoDB table's or index's capacity). */
  readonly scalableTarget: appscaling.ScalableTarget;
  /** The load to forecast: one metric, or several summed (e.g. the NumberOfMessagesSent of every queue feeding it). */
  readonly load: cloudwatch.Metric[];
  /** Load per second one capacity unit (a task, a capacity unit) serves at 100%. */
  readonly unitThroughput: number;
  /** The configured floor: restores return to it; nothing is scheduled below it. */
  readonly floor: number;
  /** The most capacity the predictor may schedule. */
  readonly max: number;
  /**
   * Utilization to plan for.
   * @default 0.7
   */
  readonly targetUtilization?: number;
  /**
   * How long new capacity takes to be ready: floors rise this much before the load.
   * @default Duration.minutes(5)
   */
  readonly leadTime?: Duration;
  /**
   * Which forecast quantile to provision for.
   * @default 'p90'
   */
  readonly quantile?: 'p50' | 'p90' | 'p99';
  /**
   * Scheduled actions the predictor may own on this target (of AWS's 200); leave room for your own.
   * @default 100
   */
  readonly actionBudget?: number;
}

const NAME = 'PredictiveScaling';

/**
 * headroom's predictor: a scheduled Lambda that forecasts each target's load from CloudWatch and raises its
 * MinCapacity ahead of it with scheduled actions, each raise paired with a restore. It may only schedule actions
 * on scalable targets tagged `headroom:managed=true` (which `addTarget` tags), never registers, deregisters or
 * changes policies, and never changes MaxCapacity.
 */
export class PredictiveScaling extends Construct {
  readonly function: HeadroomFunction;
  readonly schedule: scheduler.Schedule;
  readonly namespace: string;
  readonly interval: Duration;
  readonly failing: cloudwatch.Alarm;
  /** The predictor has not run for two intervals: the floors it scheduled are getting stale. */
  readonly stale: cloudwatch.Alarm;
  private readonly targets: Array<Record<string, unknown>> = [];
  private readonly workloads = new Set<string>();

  constructor(scope: Construct, id: string, props: PredictiveScalingProps = {}) {
    super(scope, id);
    this.interval = props.interval ?? Duration.hours(1);
    if (this.interval.toMinutes() < 5) throw new InvalidPropError(NAME, 'interval', `(${this.interval.toHumanString()}) is under 5 minutes`, 'Re-plan at most every 5 minutes; hourly is the usual choice.');
    const historyDays = props.historyDays ?? DEFAULT_HISTORY_DAYS;
    requireWholeNumber(NAME, 'historyDays', historyDays, 2, MAX_HISTORY_DAYS);
    const horizonHours = props.horizonHours ?? 24;
    requireWholeNumber(NAME, 'horizonHours', horizonHours, 1, 48);
    this.namespace = props.namespace ?? DEFAULT_NAMESPACE;
    const actionPrefix = props.actionPrefix ?? 'headroom-';
    if (!/^[A-Za-z0-9_-]{1,32}$/.test(actionPrefix)) throw new InvalidPropError(NAME, 'actionPrefix', `"${actionPrefix}" is not 1-32 letters, digits, _ or -`, 'Use a short prefix such as "headroom-".');

    const config = {
      namespace: this.namespace,
      actionPrefix,
      mode: props.mode ?? PredictorMode.FORECAST_ONLY,
      enabled: props.enabled ?? true,
      historyDays,
      horizonHours,
      periodSeconds: 3600,
    };
    this.function = new HeadroomFunction(this, 'Function', {
      handler: 'predictor',
      description: 'headroom: forecasts load and raises capacity floors ahead of it',
      serviceName: 'headroom-predictor',
      timeout: Duration.minutes(5),
      memorySize: 512,
      environment: {
        HEADROOM_PREDICTOR_CONFIG: Lazy.string({ produce: () => Stack.of(this).toJsonString({ ...config, targets: this.targets }) }),
      },
    });
    const { partition, region, account } = Stack.of(this);
    this.function.addToRolePolicy(
      new iam.PolicyStatement({
        actions: ['application-autoscaling:PutScheduledAction', 'application-autoscaling:DeleteScheduledAction'],
        resources: [`arn:${partition}:application-autoscaling:${region}:${account}:scalable-target/*`],
        conditions: { StringEquals: { [`aws:ResourceTag/${MANAGED_TAG_KEY}`]: 'true' } },
      }),
    );
    this.function.addToRolePolicy(
      new iam.PolicyStatement({
        actions: ['application-autoscaling:DescribeScalableTargets', 'application-autoscaling:DescribeScheduledActions', 'cloudwatch:GetMetricData'],
        resources: ['*'],
      }),
    );
    this.function.addToRolePolicy(
      new iam.PolicyStatement({ actions: ['cloudwatch:PutMetricData'], resources: ['*'], conditions: { StringEquals: { 'cloudwatch:namespace': this.namespace } } }),
    );
    acknowledgeWildcard(this.function.role!, '*', 'Describe*, GetMetricData and PutMetricData (namespace-conditioned) have no resource-level permissions.');
    acknowledgeWildcard(
      this.function.role!,
      `arn:${partition}:application-autoscaling:${region}:${account}:scalable-target/*`,
      'Scheduled actions may be written only on scalable targets tagged headroom:managed=true (resource tag condition).',
    );

    const schedulerRole = new iam.Role(this, 'ScheduleRole', { assumedBy: new iam.ServicePrincipal('scheduler.amazonaws.com') });
    this.schedule = new scheduler.Schedule(this, 'Schedule', {
      description: 'headroom: re-plan capacity floors',
      schedule: scheduler.ScheduleExpression.rate(this.interval),
      target: new targets.LambdaInvoke(this.function, { retryAttempts: 0, role: schedulerRole }),
    });
    acknowledgeWildcard(schedulerRole, `${this.function.functionArn}:*`, 'EventBridge Scheduler’s Lambda target grants invoke on the function’s versions and aliases.');

    this.failing = this.function.metricErrors({ period: this.interval, statistic: 'Sum' }).createAlarm(this, 'Failing', {
      alarmDescription: 'headroom’s predictor run failed: no floor was raised; see its log',
      threshold: 0,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
      evaluationPeriods: 1,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });
    this.stale = this.function.metricInvocations({ period: Duration.minutes(this.interval.toMinutes() * 2), statistic: 'Sum' }).createAlarm(this, 'Stale', {
      alarmDescription: 'headroom’s predictor has not run for two intervals: its floors are getting stale (is its schedule disabled?)',
      threshold: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.LESS_THAN_THRESHOLD,
      evaluationPeriods: 1,
      treatMissingData: cloudwatch.TreatMissingData.BREACHING,
    });
    if (props.alarmTopic) {
      for (const alarm of [this.failing, this.stale]) alarm.addAlarmAction(new actions.SnsAction(props.alarmTopic));
    }
    this.node.addValidation({ validate: () => (this.targets.length === 0 ? ['PredictiveScaling has no targets: call addTarget()'] : []) });
  }

  /** Manages one more scalable target: tags it for the predictor and adds it to the predictor's configuration. */
  addTarget(options: PredictiveTargetOptions): void {
    const where = `${NAME}.addTarget(${options.workload})`;
    if (this.workloads.has(options.workload)) throw new InvalidPropError(where, 'workload', `"${options.workload}" is already managed`, 'Give each target its own workload name.');
    if (options.load.length === 0) throw new InvalidPropError(where, 'load', 'is empty', 'Give at least one load metric.');
    if (!(options.unitThroughput > 0)) throw new InvalidPropError(where, 'unitThroughput', `must be above 0, got ${options.unitThroughput}`, 'Set the load one capacity unit serves per second.');
    requireWholeNumber(where, 'floor', options.floor, 0);
    requireWholeNumber(where, 'max', options.max, Math.max(1, options.floor));
    const targetUtilization = options.targetUtilization ?? 0.7;
    if (!(targetUtilization > 0 && targetUtilization <= 1)) throw new InvalidPropError(where, 'targetUtilization', `must be in (0, 1], got ${targetUtilization}`, 'Use a fraction such as 0.7.');
    const leadTime = options.leadTime ?? Duration.minutes(5);
    requirePositiveDuration(where, 'leadTime', leadTime);
    const actionBudget = options.actionBudget ?? 100;
    requireWholeNumber(where, 'actionBudget', actionBudget, 2, 200);
    const cfnTarget = options.scalableTarget.node.defaultChild as appscaling.CfnScalableTarget;
    const serviceNamespace = cfnTarget.serviceNamespace;
    if (!Token.isUnresolved(serviceNamespace) && serviceNamespace !== 'ecs' && serviceNamespace !== 'dynamodb') {
      throw new InvalidPropError(where, 'scalableTarget', `is in the ${serviceNamespace} namespace`, 'The predictor manages ECS services and DynamoDB tables and indexes.');
    }
    this.workloads.add(options.workload);
    Tags.of(options.scalableTarget).add(MANAGED_TAG_KEY, 'true');
    // CloudFormation takes Tags on AWS::ApplicationAutoScaling::ScalableTarget; cfn-lint 1.51's schema predates them.
    cfnTarget.addMetadata('cfn-lint', { config: { ignore_checks: ['E3002'] } });
    this.targets.push({
      workload: options.workload,
      serviceNamespace,
      resourceId: cfnTarget.resourceId,
      scalableDimension: cfnTarget.scalableDimension,
      load: options.load.map((metric) => ({
        namespace: metric.namespace,
        metricName: metric.metricName,
        dimensions: metric.dimensions ?? {},
        stat: metric.statistic,
      })),
      unitThroughput: options.unitThroughput,
      targetUtilization,
      leadTimeSeconds: leadTime.toSeconds(),
      floor: options.floor,
      max: options.max,
      quantile: options.quantile ?? 'p90',
      actionBudget,
    });
  }

  /** A per-target predictor metric (ForecastP50, ScheduledFloor, PredictorFailure, ...). */
  metric(metricName: MetricName, workload: string, props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return headroomMetric(metricName, workload, { namespace: this.namespace, ...props });
  }
}

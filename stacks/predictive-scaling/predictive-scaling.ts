import { Duration, Lazy, Stack, Tags, Token } from 'aws-cdk-lib';
import type * as appscaling from 'aws-cdk-lib/aws-applicationautoscaling';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as scheduler from 'aws-cdk-lib/aws-scheduler';
import * as targets from 'aws-cdk-lib/aws-scheduler-targets';
import type * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import type { MetricName } from '../../shared/metrics/names.ts';
import {
  CONFIG_DEFAULTS,
  MAX_HISTORY_DAYS,
  parsePredictorSettings,
  parsePredictorTarget,
  PREDICTOR_CONFIG_VARIABLE,
  PredictorConfigError,
  TARGET_DEFAULTS,
  type PredictorConfigInput,
  type FloorTuningInput,
  type PredictorTargetInput,
  type Quantile,
} from '../../shared/predictor/config.ts';
import { acknowledgeWildcard } from '../common/acknowledge.ts';
import { HeadroomFunction } from '../common/headroom-function.ts';
import { headroomMetric } from '../common/headroom-metric.ts';
import { InvalidPropError, requirePositiveDuration, requireWholeNumber } from '../common/prop-validation.ts';
import { predictorFootprint } from '../../shared/cost/producers.ts';
import { logicalIdOf, recordProducer, recordShared } from '../common/footprint.ts';

/** The tag that marks a scalable target as one the predictor may schedule actions on. */
export const MANAGED_TAG_KEY = 'headroom:managed';

/** Runs the handler's validation at synth and reports what it rejects as a prop error naming the prop. */
function validated(where: string, path: string, parse: () => unknown): void {
  try {
    parse();
  } catch (error) {
    if (!(error instanceof PredictorConfigError)) throw error;
    const detail = path && error.detail.startsWith(`${path}.`) ? error.detail.slice(path.length + 1) : error.detail.replace(/^config\./, '');
    const [prop = 'config', ...problem] = detail.split(' ');
    throw new InvalidPropError(where, prop, problem.join(' '), `Set ${prop} as described.`);
  }
}

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
   * Prefix of the scheduled actions the predictor owns; it never touches actions without it. At least 4 letters,
   * digits, _ or -, ending in `-`, so it cannot claim your own actions.
   * @default 'headroom-'
   */
  readonly actionPrefix?: string;
  /**
   * CloudWatch namespace of the predictor's metrics (not one starting `AWS/`: those are AWS's).
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
  /**
   * The scalable target whose MinCapacity is raised (an ECS service's desired count, a DynamoDB table's or index's
   * capacity). One scalable target is managed by one workload of one predictor.
   */
  readonly scalableTarget: appscaling.ScalableTarget;
  /** The load to forecast: one metric, or several summed (e.g. the NumberOfMessagesSent of every queue feeding it). */
  readonly load: cloudwatch.Metric[];
  /** Load units per second (the load metric's unit, per second) one capacity unit serves at 100% utilization. */
  readonly unitThroughput: number;
  /**
   * The MinCapacity the predictor never schedules below (not below the scalable target's). The wall in force is
   * read from the target at every run, with your own scheduled actions on it; restores return to exactly that.
   * @default the scalable target's minCapacity
   */
  readonly minCapacity?: number;
  /**
   * The most capacity the predictor may schedule (not above the scalable target's maxCapacity).
   * @default the scalable target's maxCapacity
   */
  readonly maxCapacity?: number;
  /**
   * Utilization floors are planned at: 1 covers the forecast once, and the target's own reactive policy takes what
   * the forecast missed (a lower value stacks a margin on that policy's own).
   * @default 1
   */
  readonly targetUtilization?: number;
  /**
   * How long new capacity takes to be ready: floors rise this much before the load.
   * @default Duration.minutes(5)
   */
  readonly leadTime?: Duration;
  /**
   * Which forecast quantile to provision for.
   * @default 'p50'
   */
  readonly quantile?: Quantile;
  /**
   * Scheduled actions the predictor may own on this target (of AWS's 200); leave room for your own.
   * @default 100
   */
  readonly actionBudget?: number;
  /**
   * IANA time zone the load's daily and weekly cycles follow (a 09:00 local peak stays at 09:00 local across
   * daylight-saving changes); scheduled actions are still written in UTC.
   * @default 'UTC'
   */
  readonly timeZone?: string;
  /**
   * A queue worker's model (QueueScaledService.addToPredictor() fills it): the predictor then chooses the
   * quantile and utilization each day, the cheapest that met the SLO when the last week of the load was replayed
   * through the floors and the service's own policies; `quantile` and `targetUtilization` serve until nine days of
   * history exist.
   * @default none: quantile and targetUtilization throughout
   */
  readonly floorTuning?: FloorTuningInput;
}

/** Which workload of which predictor manages each scalable target, per app: one owner per target. */
const owners = new WeakMap<Construct, Map<string, { workload: string; predictor: string }>>();

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
  /** Whether the predictor writes the floors it plans (forecastAndScale and enabled) rather than only forecasting. */
  readonly writesFloors: boolean;
  readonly failing: cloudwatch.Alarm;
  /** The predictor has not run for two intervals: the floors it scheduled are getting stale. */
  readonly stale: cloudwatch.Alarm;
  private readonly targets: PredictorTargetInput[] = [];
  private readonly workloads = new Set<string>();

  constructor(scope: Construct, id: string, props: PredictiveScalingProps = {}) {
    super(scope, id);
    recordShared(this);
    this.interval = props.interval ?? Duration.hours(1);
    if (this.interval.toMinutes() < 5)
      throw new InvalidPropError(
        NAME,
        'interval',
        `(${this.interval.toHumanString()}) is under 5 minutes`,
        'Re-plan at most every 5 minutes; hourly is the usual choice.',
      );
    const historyDays = props.historyDays ?? CONFIG_DEFAULTS.historyDays;
    requireWholeNumber(NAME, 'historyDays', historyDays, 2, MAX_HISTORY_DAYS);
    const horizonHours = props.horizonHours ?? CONFIG_DEFAULTS.horizonHours;
    requireWholeNumber(NAME, 'horizonHours', horizonHours, 1, 48);
    const settings = {
      namespace: props.namespace ?? CONFIG_DEFAULTS.namespace,
      actionPrefix: props.actionPrefix ?? CONFIG_DEFAULTS.actionPrefix,
      mode: props.mode ?? PredictorMode.FORECAST_ONLY,
      enabled: props.enabled ?? true,
      historyDays,
      horizonHours,
      periodSeconds: 3600,
    } satisfies Omit<PredictorConfigInput, 'targets'>;
    // The handler's own validation, at synth: what it would reject never deploys.
    validated(NAME, '', () => parsePredictorSettings(settings));
    this.namespace = settings.namespace;
    this.writesFloors = settings.mode === PredictorMode.FORECAST_AND_SCALE && settings.enabled;
    const config = settings;
    this.function = new HeadroomFunction(this, 'Function', {
      handler: 'predictor',
      description: 'headroom: forecasts load and raises capacity floors ahead of it',
      serviceName: 'headroom-predictor',
      timeout: Duration.minutes(5),
      // One full vCPU: a day's first run replays each tuned target's week (bench/results/predictor.md).
      memorySize: 1769,
      environment: {
        [PREDICTOR_CONFIG_VARIABLE]: Lazy.string({
          produce: () => Stack.of(this).toJsonString({ ...config, targets: this.targets } satisfies PredictorConfigInput),
        }),
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
      new iam.PolicyStatement({
        actions: ['cloudwatch:PutMetricData'],
        resources: ['*'],
        conditions: { StringEquals: { 'cloudwatch:namespace': this.namespace } },
      }),
    );
    acknowledgeWildcard(
      this.function.role!,
      '*',
      'Describe*, GetMetricData and PutMetricData (namespace-conditioned) have no resource-level permissions.',
    );
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
    acknowledgeWildcard(
      schedulerRole,
      `${this.function.functionArn}:*`,
      'EventBridge Scheduler’s Lambda target grants invoke on the function’s versions and aliases.',
    );

    this.failing = this.function.metricErrors({ period: this.interval, statistic: 'Sum' }).createAlarm(this, 'Failing', {
      alarmDescription: 'headroom’s predictor run failed: no floor was raised; see its log',
      threshold: 0,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
      evaluationPeriods: 1,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });
    this.stale = this.function
      .metricInvocations({ period: Duration.minutes(this.interval.toMinutes() * 2), statistic: 'Sum' })
      .createAlarm(this, 'Stale', {
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

  /**
   * Manages one more scalable target: tags it for the predictor and adds it to the predictor's configuration. Its
   * minCapacity/maxCapacity default to the scalable target's; a scalable target already managed by another
   * workload (of this predictor or another in the app) is refused.
   */
  addTarget(options: PredictiveTargetOptions): void {
    const where = `${NAME}.addTarget(${options.workload})`;
    if (this.workloads.has(options.workload))
      throw new InvalidPropError(where, 'workload', `"${options.workload}" is already managed`, 'Give each target its own workload name.');
    const cfnTarget = options.scalableTarget.node.defaultChild as appscaling.CfnScalableTarget;
    const serviceNamespace = cfnTarget.serviceNamespace;
    if (!Token.isUnresolved(serviceNamespace) && serviceNamespace !== 'ecs' && serviceNamespace !== 'dynamodb') {
      throw new InvalidPropError(
        where,
        'scalableTarget',
        `is in the ${serviceNamespace} namespace`,
        'The predictor manages ECS services and DynamoDB tables and indexes.',
      );
    }
    this.claim(where, options);
    const known = (value: number) => (Token.isUnresolved(value) ? undefined : value);
    const declaredMin = known(cfnTarget.minCapacity);
    const declaredMax = known(cfnTarget.maxCapacity);
    if (options.minCapacity !== undefined && declaredMin !== undefined && options.minCapacity < declaredMin) {
      throw new InvalidPropError(
        where,
        'minCapacity',
        `(${options.minCapacity}) is below the scalable target's minCapacity (${declaredMin}): the predictor never lowers it`,
        `Leave minCapacity unset, or set it to at least ${declaredMin}.`,
      );
    }
    if (options.maxCapacity !== undefined && declaredMax !== undefined && options.maxCapacity > declaredMax) {
      throw new InvalidPropError(
        where,
        'maxCapacity',
        `(${options.maxCapacity}) is above the scalable target's maxCapacity (${declaredMax}), which Application Auto Scaling would cap it at`,
        `Leave maxCapacity unset, or set it to at most ${declaredMax}.`,
      );
    }
    if (options.load.length === 0) throw new InvalidPropError(where, 'load', 'is empty', 'Give at least one load metric.');
    const { account, region } = Stack.of(this);
    options.load.forEach((metric, index) => {
      for (const [prop, value, own] of [
        ['account', metric.account, account],
        ['region', metric.region, region],
      ] as const) {
        if (value !== undefined && (Token.isUnresolved(value) || Token.isUnresolved(own) || value !== own)) {
          throw new InvalidPropError(
            where,
            `load[${index}].${prop}`,
            `(${value}) is not the predictor's own ${prop}: GetMetricData would read the wrong metric`,
            `Use a load metric of the predictor's own ${prop} (leave ${prop} unset).`,
          );
        }
      }
    });
    const leadTime = options.leadTime ?? Duration.minutes(TARGET_DEFAULTS.leadTimeSeconds / 60);
    requirePositiveDuration(where, 'leadTime', leadTime);
    const minCapacity = options.minCapacity ?? cfnTarget.minCapacity;
    const target: PredictorTargetInput = {
      workload: options.workload,
      serviceNamespace: serviceNamespace as PredictorTargetInput['serviceNamespace'],
      resourceId: cfnTarget.resourceId,
      scalableDimension: cfnTarget.scalableDimension,
      load: options.load.map((metric) => ({
        namespace: metric.namespace,
        metricName: metric.metricName,
        dimensions: metric.dimensions ?? {},
        stat: metric.statistic,
      })),
      unitThroughput: options.unitThroughput,
      targetUtilization: options.targetUtilization ?? TARGET_DEFAULTS.targetUtilization,
      leadTimeSeconds: leadTime.toSeconds(),
      minCapacity,
      maxCapacity: options.maxCapacity ?? cfnTarget.maxCapacity,
      quantile: options.quantile ?? TARGET_DEFAULTS.quantile,
      actionBudget: options.actionBudget ?? TARGET_DEFAULTS.actionBudget,
      timeZone: options.timeZone ?? TARGET_DEFAULTS.timeZone,
      ...(options.floorTuning ? { floorTuning: options.floorTuning } : {}),
    };
    // The handler's own validation, at synth; what a token hides is checked by the handler at run time.
    validated(where, 'config', () =>
      parsePredictorTarget(
        {
          ...target,
          serviceNamespace: Token.isUnresolved(serviceNamespace) ? 'ecs' : serviceNamespace,
          minCapacity: known(target.minCapacity!),
          maxCapacity: known(target.maxCapacity!),
          scalableDimension: Token.isUnresolved(target.scalableDimension) ? undefined : target.scalableDimension,
        },
        'config',
      ),
    );
    this.workloads.add(options.workload);
    Tags.of(options.scalableTarget).add(MANAGED_TAG_KEY, 'true');
    // CloudFormation takes Tags on AWS::ApplicationAutoScaling::ScalableTarget; cfn-lint 1.51's schema predates them.
    cfnTarget.addMetadata('cfn-lint', { config: { ignore_checks: ['E3002'] } });
    this.targets.push(target);
    recordProducer(this, () => predictorFootprint(options.workload, logicalIdOf(this.function), options.floorTuning !== undefined));
  }

  /** Records this predictor's workload as the scalable target's one owner in the app, or names the one it has. */
  private claim(where: string, options: PredictiveTargetOptions): void {
    const root = this.node.root;
    const claimed = owners.get(root) ?? new Map<string, { workload: string; predictor: string }>();
    owners.set(root, claimed);
    const path = options.scalableTarget.node.path;
    const owner = claimed.get(path);
    if (owner) {
      throw new InvalidPropError(
        where,
        'scalableTarget',
        `(${path}) is already managed by workload "${owner.workload}" of ${owner.predictor}; workload "${options.workload}" would overwrite and delete its scheduled actions`,
        'Manage each scalable target from one workload of one predictor.',
      );
    }
    claimed.set(path, { workload: options.workload, predictor: this.node.path });
  }

  /** A per-target predictor metric (ForecastP50, ScheduledFloor, PredictorFailure, ...). */
  metric(metricName: MetricName, workload: string, props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return headroomMetric(metricName, workload, { namespace: this.namespace, ...props });
  }
}

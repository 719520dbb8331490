import { Duration, Stack, Token } from 'aws-cdk-lib';
import * as appscaling from 'aws-cdk-lib/aws-applicationautoscaling';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as scheduler from 'aws-cdk-lib/aws-scheduler';
import * as targets from 'aws-cdk-lib/aws-scheduler-targets';
import type * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { PREDICTOR_TARGETS_VARIABLE } from '../../shared/config-shards/config-shards.ts';
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
import { ShardedConfig } from '../common/sharded-config.ts';
import { staleAlarm } from '../common/stale-alarm.ts';
import { MANAGED_TAG_KEY, managedTargetResource, tagManagedTarget } from './managed-tag.ts';
import { InvalidPropError, requirePositiveDuration, requireWholeNumber } from '../common/prop-validation.ts';
import { checkDeployLimits } from '../common/deploy-limits.ts';
import { isCloudWatchStatistic, STATISTIC_HINT } from '../../shared/metrics/statistic.ts';
import { predictorFootprint } from '../../shared/cost/producers.ts';
import { logicalIdOf, recordProducer, recordShared } from '../common/footprint.ts';

export { MANAGED_TAG_KEY } from './managed-tag.ts';

/** Runs the handler's validation at synth and reports what it rejects as a prop error naming the prop. */
function validated(where: string, path: string, parse: () => unknown): void {
  try {
    parse();
  } catch (error) {
    if (!(error instanceof PredictorConfigError)) throw error;
    const detail = path && error.detail.startsWith(`${path}.`) ? error.detail.slice(path.length + 1) : error.detail.replace(/^config\./, '');
    const [named = 'config', ...problem] = detail.split(' ');
    // The calendar's fields are the target's own props (holidays, forgetDays, events).
    const prop = named.replace(/^calendar\./, '');
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
   * capacity): an `appscaling.ScalableTarget`, or what `service.autoScaleTaskCount()` or
   * `table.autoScaleReadCapacity()` return. One scalable target is managed by one workload of one predictor.
   */
  readonly scalableTarget: appscaling.IScalableTargetRef;
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
   * daylight-saving changes); scheduled actions are still written in UTC. Set it for any workload that follows a
   * local day in a zone with daylight saving: under the UTC default the forecast keeps the old UTC hour for up to
   * a week after each change, and floors rise an hour late (an hour short at the morning ramp).
   * @default 'UTC' (right only for load that follows UTC or a zone without daylight saving)
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
  /**
   * Public holidays the load observes, as local dates `YYYY-MM-DD` in `timeZone`: left out of the history the
   * forecast learns from, and forecast like a Sunday (docs/forecasting.md).
   * @default none
   */
  readonly holidays?: string[];
  /**
   * Days the forecast must not learn from (an outage, an incident, a load test), as local dates `YYYY-MM-DD`. Days
   * whose load was below half of the same weekday's median are left out without being declared.
   * @default none declared
   */
  readonly forgetDays?: string[];
  /**
   * Known events ahead (a launch, a sale, a match): the predictor plans floors for them, and leaves their windows out
   * of the history once they are past.
   * @default none
   */
  readonly events?: PredictiveEvent[];
}

/** A known event: over its window the load is the forecast times `multiplier`, or at least `expectedLoad`. */
export interface PredictiveEvent {
  /** Start of the window, an ISO 8601 instant such as `2026-11-27T08:00:00Z`. */
  readonly start: string;
  /** End of the window (exclusive), an ISO 8601 instant. */
  readonly end: string;
  /**
   * The load over the window is the forecast times this.
   * @default 1 (give this or expectedLoad)
   */
  readonly multiplier?: number;
  /**
   * The load over the window is at least this, in the load metric's units per second.
   * @default none (give this or multiplier)
   */
  readonly expectedLoad?: number;
}

/**
 * The scalable target this app defines behind `ref`: itself, or the one inside what aws-cdk-lib's autoScale*()
 * methods return (a ScalableTaskCount, a table's scalable attribute). One imported by ARN cannot be tagged for the
 * predictor's tag-scoped permissions: managedTargetResource refuses it, saying what to do.
 */
function ownScalableTarget(ref: appscaling.IScalableTargetRef): appscaling.IScalableTarget {
  const inner = ref instanceof appscaling.BaseScalableAttribute ? ref.node.tryFindChild('Target') : undefined;
  return inner instanceof appscaling.ScalableTarget ? inner : (ref as appscaling.IScalableTarget);
}

/** Which workload of which predictor manages each scalable target, per app: one owner per target. */
const owners = new WeakMap<Construct, Map<string, { workload: string; predictor: string; path: string }>>();

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
  /** Where the targets' configuration lives (SSM parameters, a few targets each): not in the function's 4 KB environment. */
  readonly targetConfig: ShardedConfig;
  private readonly workloads = new Set<string>();

  constructor(scope: Construct, id: string, props: PredictiveScalingProps = {}) {
    super(scope, id);
    checkDeployLimits(this);
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
    if (!this.interval.isUnresolved() && !Token.isUnresolved(horizonHours) && this.interval.toMilliseconds() > horizonHours * 3_600_000) {
      throw new InvalidPropError(
        NAME,
        'interval',
        `(${this.interval.toHumanString()}) is longer than horizonHours (${horizonHours} hours): between two runs the plan runs out, and the floors it restored stay down until the next run`,
        `Re-plan at least every ${horizonHours} hours, or plan further ahead with a longer horizonHours.`,
      );
    }
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
    this.targetConfig = new ShardedConfig(this, 'Targets', { what: 'predictor target', where: `${NAME}.addTarget` });
    this.function = new HeadroomFunction(this, 'Function', {
      handler: 'predictor',
      description: 'headroom: forecasts load and raises capacity floors ahead of it',
      serviceName: 'headroom-predictor',
      timeout: Duration.minutes(5),
      // One full vCPU: a day's first run replays each tuned target's week (bench/results/predictor.md).
      memorySize: 1769,
      // The settings are a few hundred bytes whatever the number of targets; the targets are read from SSM.
      environment: {
        [PREDICTOR_CONFIG_VARIABLE]: JSON.stringify(settings),
        [PREDICTOR_TARGETS_VARIABLE]: this.targetConfig.pointer(),
      },
    });
    this.targetConfig.grantRead(this.function);
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
      `arn:${partition}:ssm:${region}:${account}:parameter${this.targetConfig.basePath}/*`,
      'The predictor reads its own configuration parameters only: every version of them, under its own path.',
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
    // Scheduler invokes asynchronously, and Lambda would run a failed invocation twice more on its own. A failed run
    // is superseded by the next scheduled one, which re-reads every wall and action; a retry minutes later would
    // only spend another run's GetMetricData and Application Auto Scaling calls on the same failure, and the
    // Failing alarm already reports it. An event older than one interval is the next run's to do.
    this.function.configureAsyncInvoke({
      retryAttempts: 0,
      maxEventAge: Duration.seconds(Math.min(Math.max(this.interval.toSeconds(), 60), 21_600)),
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
    this.stale = staleAlarm(this, 'Stale', {
      runs: this.function.metricInvocations(),
      interval: this.interval,
      alarmDescription:
        'headroom’s predictor has not run in two of its last three intervals: its floors are getting stale (is its schedule disabled?)',
    });
    if (props.alarmTopic) {
      for (const alarm of [this.failing, this.stale]) alarm.addAlarmAction(new actions.SnsAction(props.alarmTopic));
    }
    this.node.addValidation({ validate: () => (this.targetConfig.shardCount === 0 ? ['PredictiveScaling has no targets: call addTarget()'] : []) });
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
    const scalableTarget = ownScalableTarget(options.scalableTarget);
    const cfnTarget = managedTargetResource(where, scalableTarget);
    const serviceNamespace = cfnTarget.serviceNamespace;
    if (!Token.isUnresolved(serviceNamespace) && serviceNamespace !== 'ecs' && serviceNamespace !== 'dynamodb') {
      throw new InvalidPropError(
        where,
        'scalableTarget',
        `is in the ${serviceNamespace} namespace`,
        'The predictor manages ECS services and DynamoDB tables and indexes.',
      );
    }
    this.claim(where, options.workload, scalableTarget, cfnTarget);
    if (options.floorTuning && serviceNamespace === 'dynamodb') {
      throw new InvalidPropError(
        where,
        'floorTuning',
        'is a queue worker’s model (what QueueScaledService.addToPredictor() fills in), and the scalable target is a DynamoDB table’s',
        'Remove floorTuning: a table’s floors follow quantile and targetUtilization.',
      );
    }
    const known = (value: number) => (Token.isUnresolved(value) ? undefined : value);
    const declaredMin = known(cfnTarget.minCapacity);
    const declaredMax = known(cfnTarget.maxCapacity);
    if (
      options.minCapacity !== undefined &&
      !Token.isUnresolved(options.minCapacity) &&
      declaredMin !== undefined &&
      options.minCapacity < declaredMin
    ) {
      throw new InvalidPropError(
        where,
        'minCapacity',
        `(${options.minCapacity}) is below the scalable target's minCapacity (${declaredMin}): the predictor never lowers it`,
        `Leave minCapacity unset, or set it to at least ${declaredMin}.`,
      );
    }
    if (
      options.maxCapacity !== undefined &&
      !Token.isUnresolved(options.maxCapacity) &&
      declaredMax !== undefined &&
      options.maxCapacity > declaredMax
    ) {
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
      if (!Token.isUnresolved(metric.statistic) && !isCloudWatchStatistic(metric.statistic)) {
        throw new InvalidPropError(
          where,
          `load[${index}].statistic`,
          `(${JSON.stringify(metric.statistic)}) is not a statistic GetMetricData accepts`,
          `${STATISTIC_HINT}.`,
        );
      }
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
      ...(options.holidays || options.forgetDays || options.events
        ? { calendar: { holidays: options.holidays, forgetDays: options.forgetDays, events: options.events } }
        : {}),
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
    this.targetConfig.add(target);
    this.workloads.add(options.workload);
    tagManagedTarget(where, cfnTarget, this.function);
    recordProducer(this, () => predictorFootprint(options.workload, logicalIdOf(this.function), options.floorTuning !== undefined));
  }

  /**
   * Records this predictor's workload as the scalable target's one owner in the app, or names the one it has. One owner per scalable target in the app: the same ScalableTarget construct, or another construct for the same
   * resource (its resourceId and scalableDimension, in any stack of the app), would let two predictors, or two
   * workloads of one, rewrite and delete each other's scheduled actions.
   */
  private claim(where: string, workload: string, scalableTarget: appscaling.IScalableTarget, cfnTarget: appscaling.CfnScalableTarget): void {
    const root = this.node.root;
    const claimed = owners.get(root) ?? new Map<string, { workload: string; predictor: string; path: string }>();
    owners.set(root, claimed);
    const path = scalableTarget.node.path;
    const resource = [cfnTarget.serviceNamespace, cfnTarget.resourceId, cfnTarget.scalableDimension];
    const keys = [`path:${path}`, ...(resource.some((part) => Token.isUnresolved(part)) ? [] : [`resource:${resource.join('|')}`])];
    const owner = keys.map((key) => claimed.get(key)).find((found) => found !== undefined);
    if (owner) {
      const same = owner.path === path ? `(${path})` : `(${path}, resource ${cfnTarget.resourceId})`;
      const other = owner.path === path ? '' : ` through ${owner.path}`;
      throw new InvalidPropError(
        where,
        'scalableTarget',
        `${same} is already managed by workload "${owner.workload}" of ${owner.predictor}${other}; workload "${workload}" would overwrite and delete its scheduled actions`,
        'Manage each scalable target from one workload of one predictor.',
      );
    }
    for (const key of keys) claimed.set(key, { workload: workload, predictor: this.node.path, path });
  }

  /** A per-target predictor metric (ForecastP50, ScheduledFloor, PredictorFailure, ...). */
  metric(metricName: MetricName, workload: string, props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return headroomMetric(metricName, workload, { namespace: this.namespace, ...props });
  }
}

import { ArnFormat, Duration, Stack } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import type * as sns from 'aws-cdk-lib/aws-sns';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import { DefaultDashboardFactory, MonitoringFacade } from 'cdk-monitoring-constructs';
import { Construct } from 'constructs';
import { MetricName } from '../../shared/metrics/names.ts';
import { warnWithoutContainerInsights } from '../common/container-insights.ts';
import { headroomMetric } from '../common/headroom-metric.ts';
import { describeNumber, InvalidPropError, requireResolved, requireSecondsBetween, requireWholeNumber } from '../common/prop-validation.ts';
import { alarmName, requireWorkloadName } from './alarm-name.ts';
import { deploymentDashboardName } from './dashboard-name.ts';
import { staleAlarm } from '../common/stale-alarm.ts';
import { checkDeployLimits } from '../common/deploy-limits.ts';
import {
  ecsUtilizationWidgets,
  maxCapacityOf,
  metricConsumedCapacity,
  metricCurrentCapacity,
  metricRequestedCapacity,
  type WorkloadCapacity,
} from './workload-capacity.ts';

export interface WorkloadQueue {
  readonly queue: sqs.IQueue;
  readonly deadLetterQueue?: sqs.IQueue;
  /** The latency SLO the oldest message is compared with. */
  readonly acceptableLatency: Duration;
}

export interface WorkloadDashboardProps {
  /** The `Workload` dimension headroom publishes this workload's metrics under; also the dashboard's title. */
  readonly workload: string;
  /** What holds the workload's capacity (ECS service, Lambda function or DynamoDB table) and its walls. */
  readonly capacity: WorkloadCapacity;
  /**
   * The queue the workload drains.
   * @default no queue widgets
   */
  readonly queue?: WorkloadQueue;
  /**
   * The metric target tracking holds and its target, plotted against each other.
   * @default no scaling-signal widget
   */
  readonly scalingSignal?: { readonly metric: cloudwatch.IMetric; readonly target: number; readonly title?: string };
  /**
   * The declared time per message and the consumers' measured one (milliseconds): plotted together, with an alarm
   * when they differ by more than 2x for 15 minutes (the declared value then over- or under-provisions).
   * @default no time-per-message widget or alarm
   */
  readonly timePerMessage?: { readonly declared: Duration; readonly measured: cloudwatch.IMetric };
  /**
   * The load the predictor forecasts, plotted against the forecast.
   * @default no load line (the forecast alone when `predictor` is set)
   */
  readonly load?: cloudwatch.IMetric;
  /**
   * Show and alarm on headroom's predictor for this workload.
   * @default no predictor widgets or alarms
   */
  readonly predictor?: WorkloadPredictorOptions;
  /**
   * Minutes at maximum capacity before the capacity-pinned alarm fires.
   * @default 15
   */
  readonly capacityPinnedMinutes?: number;
  /**
   * Alarms of the workload's other constructs (latency SLO, DLQ), folded into the composite unhealthy alarm.
   * @default none
   */
  readonly workloadAlarms?: cloudwatch.IAlarm[];
  /**
   * Where alarm notifications go.
   * @default no notification
   */
  readonly alarmTopic?: sns.ITopic;
  /**
   * More widgets for this workload, after headroom's own: for example `SloBurnRateAlarms.widgets()` (error budget
   * remaining and burn rates).
   * @default none
   */
  readonly extraWidgets?: cloudwatch.IWidget[];
  /**
   * CloudWatch namespace of headroom's own metrics.
   * @default 'Headroom'
   */
  readonly namespace?: string;
}

/** What a construct that builds its own dashboard lets its user add or change. */
export type WorkloadDashboardOptions = Partial<
  Pick<WorkloadDashboardProps, 'load' | 'predictor' | 'capacityPinnedMinutes' | 'alarmTopic' | 'namespace' | 'extraWidgets'>
>;

export interface WorkloadPredictorOptions {
  /** How often the predictor runs (whole minutes, at most 12 hours): its plan is stale after two runs without a success. */
  readonly interval: Duration;
  /**
   * Forecast error (MAPE, percent) above which the forecast-error alarm fires.
   * @default 50
   */
  readonly maxForecastErrorPercent?: number;
}

const NAME = 'WorkloadDashboard';
const MINUTE = Duration.minutes(1);

/**
 * One dashboard per scaled workload: load vs forecast, capacity (desired, running, scheduled floor, min/max),
 * backlog per task vs target, age of oldest message vs the SLO, DLQ depth, predictor runs and forecast error,
 * with cdk-monitoring-constructs' standard widgets for the service, function, queue and table below them.
 * Alarms: capacity pinned at max, predictor failing or stale, forecast error too high, and a composite
 * "workload unhealthy" alarm over all of them and the workload's own alarms.
 */
export class WorkloadDashboard extends Construct {
  readonly dashboard: cloudwatch.Dashboard;
  readonly capacityPinnedAtMax: cloudwatch.Alarm;
  readonly predictorFailing?: cloudwatch.Alarm;
  readonly planStale?: cloudwatch.Alarm;
  readonly forecastErrorHigh?: cloudwatch.Alarm;
  /** Measured and declared time per message differ by more than 2x (when `timePerMessage` is given). */
  readonly timePerMessageMismatch?: cloudwatch.Alarm;
  readonly unhealthy: cloudwatch.CompositeAlarm;
  /** The widgets headroom adds, in order. */
  readonly headlineWidgets: cloudwatch.IWidget[];
  /** The workload's name, as its dashboard shows it. */
  readonly workload: string;
  /** The composite alarm, referenced by ARN (for alarm widgets elsewhere, such as the overview). */
  readonly unhealthyStatus: cloudwatch.IAlarm;
  private readonly capacityWidget: cloudwatch.GraphWidget;
  private readonly overviewCapacity: () => cloudwatch.GraphWidget;

  constructor(scope: Construct, id: string, props: WorkloadDashboardProps) {
    super(scope, id);
    checkDeployLimits(this);
    const pinnedMinutes = props.capacityPinnedMinutes ?? 15;
    requireWorkloadName(NAME, props.workload);
    requireWholeNumber(NAME, 'capacityPinnedMinutes', pinnedMinutes, 1, 1440);
    if (props.predictor) requirePredictorInterval(props.predictor.interval);
    const maxError = props.predictor?.maxForecastErrorPercent ?? 50;
    if (!(maxError > 0)) {
      throw new InvalidPropError(
        NAME,
        'predictor.maxForecastErrorPercent',
        `must be above 0, got ${maxError}`,
        'Set a positive percentage such as 50.',
      );
    }
    const metric = (name: MetricName, statistic = 'Average') => headroomMetric(name, props.workload, { namespace: props.namespace, statistic });

    const maxCapacity = maxCapacityOf(props.capacity);
    if (props.capacity.kind === 'ecs')
      warnWithoutContainerInsights(
        this,
        props.capacity.service,
        `${props.workload}'s CapacityPinnedAtMax alarm and capacity graph (RunningTaskCount)`,
      );
    this.capacityPinnedAtMax = metricCurrentCapacity(props.capacity).createAlarm(this, 'CapacityPinnedAtMax', {
      alarmDescription: `${props.workload} has run at its maximum capacity (${describeNumber(maxCapacity)}) for ${pinnedMinutes} minutes: raise the maximum or find the bottleneck`,
      threshold: maxCapacity,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      evaluationPeriods: pinnedMinutes,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });
    const ownAlarms: cloudwatch.Alarm[] = [this.capacityPinnedAtMax];

    if (props.predictor) {
      const runs = props.predictor.interval.toMinutes();
      // Three runs where they fit in CloudWatch's one-day evaluation limit, else as many as fit.
      const errorRuns = Math.min(3, Math.floor(1440 / runs));
      this.predictorFailing = metric(MetricName.predictorFailure, 'Sum')
        .with({ period: props.predictor.interval })
        .createAlarm(this, 'PredictorFailing', {
          alarmDescription: `headroom's predictor failed for ${props.workload}: no new floor was raised; see its log`,
          threshold: 0,
          comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
          evaluationPeriods: 1,
          treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
        });
      this.planStale = staleAlarm(this, 'PlanStale', {
        runs: metric(MetricName.predictorSuccess, 'Sum'),
        interval: props.predictor.interval,
        alarmDescription: `headroom's predictor has not planned ${props.workload} successfully in two of its last three runs: its floors are getting stale`,
      });
      this.forecastErrorHigh = metric(MetricName.forecastErrorMape, 'Maximum')
        .with({ period: props.predictor.interval })
        .createAlarm(this, 'ForecastErrorHigh', {
          alarmDescription: `The forecast for ${props.workload} missed by more than ${maxError}% (MAPE): check the load metric and history`,
          threshold: maxError,
          comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
          evaluationPeriods: errorRuns,
          datapointsToAlarm: Math.min(2, errorRuns),
          treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
        });
      ownAlarms.push(this.predictorFailing, this.planStale, this.forecastErrorHigh);
    }

    // A mismatch is a configuration warning, not an outage: notified, but not part of the unhealthy composite.
    const warnings: cloudwatch.Alarm[] = [];
    if (props.timePerMessage) {
      this.timePerMessageMismatch = this.timePerMessageRatio(props.timePerMessage).createAlarm(this, 'TimePerMessageMismatch', {
        alarmDescription: `${props.workload}: the consumers' measured time per message differs from the declared ${props.timePerMessage.declared.toHumanString()} by more than 2x: correct timePerMessage (the scaling signal blends in the measured value, the prior still weighs)`,
        threshold: 2,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
        evaluationPeriods: 3,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      });
      warnings.push(this.timePerMessageMismatch);
    }
    const unhealthyName = alarmName(Stack.of(this).stackName, props.workload, 'unhealthy');
    this.unhealthy = new cloudwatch.CompositeAlarm(this, 'Unhealthy', {
      compositeAlarmName: unhealthyName,
      alarmDescription: `${props.workload} is unhealthy: one of its headroom alarms is firing`,
      alarmRule: cloudwatch.AlarmRule.anyOf(
        ...[...ownAlarms, ...(props.workloadAlarms ?? [])].map((alarm) => cloudwatch.AlarmRule.fromAlarm(alarm, cloudwatch.AlarmState.ALARM)),
      ),
    });
    if (props.alarmTopic) {
      const action = new actions.SnsAction(props.alarmTopic);
      for (const alarm of [...ownAlarms, ...warnings, this.unhealthy]) {
        alarm.addAlarmAction(action);
        alarm.addOkAction(action);
      }
    }

    // The status widget names the alarm by a formatted ARN rather than Fn::GetAtt, which keeps the dashboard
    // independent of the alarm resource (and deployable where alarms are created out of band).
    this.workload = props.workload;
    const unhealthyByArn = cloudwatch.Alarm.fromAlarmArn(
      this,
      'UnhealthyByArn',
      Stack.of(this).formatArn({ service: 'cloudwatch', resource: 'alarm', resourceName: unhealthyName, arnFormat: ArnFormat.COLON_RESOURCE_NAME }),
    );
    this.unhealthyStatus = unhealthyByArn;
    this.capacityWidget = this.capacityGraph(props, metric, 'Capacity: desired, running, scheduled floor', 12);
    this.overviewCapacity = () => this.capacityGraph(props, metric, `${props.workload}: capacity`, 8);
    this.headlineWidgets = this.widgets(props, metric, unhealthyByArn);
    const facade = new MonitoringFacade(this, 'Monitoring', {
      dashboardFactory: new DefaultDashboardFactory(this, 'Dashboards', {
        // Unique per stack and region: dashboards are global per account.
        dashboardNamePrefix: deploymentDashboardName(this, props.workload),
        createDashboard: true,
        createSummaryDashboard: false,
        createAlarmDashboard: false,
      }),
    });
    for (const widget of this.headlineWidgets) facade.addWidget(widget);
    this.addStandardSegments(facade, props);
    this.dashboard = (facade.dashboardFactory as DefaultDashboardFactory).createdDashboard()!;
  }

  /** How many times measured and declared time per message differ (>= 1 either way; no data without measurements). */
  private timePerMessageRatio(timePerMessage: NonNullable<WorkloadDashboardProps['timePerMessage']>): cloudwatch.MathExpression {
    const declared = timePerMessage.declared.toMilliseconds();
    return new cloudwatch.MathExpression({
      label: 'Measured / declared time per message (either way)',
      expression: `MAX([measured / ${declared}, ${declared} / measured])`,
      usingMetrics: { measured: timePerMessage.measured },
      period: Duration.minutes(5),
    });
  }

  private widgets(
    props: WorkloadDashboardProps,
    metric: (name: MetricName, statistic?: string) => cloudwatch.Metric,
    unhealthy: cloudwatch.IAlarm,
  ): cloudwatch.IWidget[] {
    const widgets: cloudwatch.IWidget[] = [
      new cloudwatch.AlarmStatusWidget({ title: `${props.workload}: alarms`, alarms: [unhealthy], width: 24, height: 3 }),
    ];
    if (props.predictor || props.load) {
      widgets.push(
        new cloudwatch.GraphWidget({
          title: 'Load vs forecast (p50, p90)',
          width: 12,
          left: [
            ...(props.load ? [props.load] : []),
            ...(props.predictor
              ? [metric(MetricName.forecastP50).with({ label: 'Forecast p50' }), metric(MetricName.forecastP90).with({ label: 'Forecast p90' })]
              : []),
          ],
        }),
      );
    }
    widgets.push(this.capacityWidget);
    if (props.scalingSignal) {
      widgets.push(
        new cloudwatch.GraphWidget({
          title: props.scalingSignal.title ?? 'Scaling signal vs target',
          width: 12,
          left: [props.scalingSignal.metric],
          leftAnnotations: [{ value: props.scalingSignal.target, label: 'Target', color: cloudwatch.Color.GREEN }],
        }),
      );
    }
    if (props.timePerMessage) {
      const declaredMs = props.timePerMessage.declared.toMilliseconds();
      widgets.push(
        new cloudwatch.GraphWidget({
          title: 'Time per message: measured vs declared (ms)',
          width: 12,
          left: [props.timePerMessage.measured],
          leftAnnotations: [
            { value: declaredMs, label: 'Declared', color: cloudwatch.Color.GREEN },
            { value: 2 * declaredMs, label: '2x declared', color: cloudwatch.Color.ORANGE },
            { value: declaredMs / 2, label: 'Half declared', color: cloudwatch.Color.ORANGE },
          ],
        }),
      );
    }
    if (props.queue) {
      widgets.push(
        new cloudwatch.GraphWidget({
          title: 'Age of oldest message vs SLO (seconds)',
          width: 12,
          left: [props.queue.queue.metricApproximateAgeOfOldestMessage({ statistic: 'Maximum', period: MINUTE })],
          leftAnnotations: [{ value: props.queue.acceptableLatency.toSeconds(), label: 'Acceptable latency', color: cloudwatch.Color.RED }],
        }),
      );
      if (props.queue.deadLetterQueue) {
        widgets.push(
          new cloudwatch.GraphWidget({
            title: 'Dead-letter queue depth',
            width: 12,
            left: [props.queue.deadLetterQueue.metricApproximateNumberOfMessagesVisible({ statistic: 'Maximum', period: MINUTE })],
          }),
        );
      }
    }
    if (props.capacity.kind === 'dynamodb') {
      const table = props.capacity.table;
      widgets.push(
        new cloudwatch.GraphWidget({
          title: 'DynamoDB throttled requests',
          width: 12,
          left: ['ReadThrottleEvents', 'WriteThrottleEvents'].map(
            (metricName) =>
              new cloudwatch.Metric({
                namespace: 'AWS/DynamoDB',
                metricName,
                dimensionsMap: { TableName: table.tableName },
                statistic: 'Sum',
                period: MINUTE,
              }),
          ),
        }),
      );
    }
    if (props.predictor) {
      widgets.push(
        new cloudwatch.GraphWidget({
          title: 'Predictor runs and errors',
          width: 12,
          left: [
            metric(MetricName.predictorSuccess, 'Sum').with({ label: 'Succeeded' }),
            metric(MetricName.predictorFailure, 'Sum').with({ label: 'Failed' }),
          ],
        }),
        new cloudwatch.GraphWidget({
          title: 'Forecast error of the previous run',
          width: 12,
          left: [metric(MetricName.forecastErrorMape, 'Maximum').with({ label: 'MAPE %' })],
          right: [
            metric(MetricName.forecastErrorMase, 'Maximum').with({ label: 'MASE' }),
            metric(MetricName.forecastBreakerOpen, 'Maximum').with({ label: 'Breaker open (no floors)' }),
          ],
        }),
      );
    }
    widgets.push(...(props.extraWidgets ?? []));
    return widgets;
  }

  /** A capacity graph for another dashboard (a widget belongs to one dashboard only). */
  capacityWidgetForOverview(): cloudwatch.GraphWidget {
    return this.overviewCapacity();
  }

  private capacityGraph(
    props: WorkloadDashboardProps,
    metric: (name: MetricName, statistic?: string) => cloudwatch.Metric,
    title: string,
    width: number,
  ): cloudwatch.GraphWidget {
    const minCapacity = props.capacity.kind === 'ecs' ? props.capacity.minCapacity : undefined;
    const requested = metricRequestedCapacity(props.capacity);
    const consumed = metricConsumedCapacity(props.capacity);
    return new cloudwatch.GraphWidget({
      title,
      width,
      left: [
        ...(requested ? [requested] : []),
        metricCurrentCapacity(props.capacity).with({ label: 'Current capacity' }),
        ...(consumed ? [consumed] : []),
        ...(props.predictor ? [metric(MetricName.scheduledFloor, 'Maximum').with({ label: 'Scheduled floor' })] : []),
      ],
      leftAnnotations: [
        { value: maxCapacityOf(props.capacity), label: 'Max', color: cloudwatch.Color.RED },
        ...(minCapacity !== undefined ? [{ value: minCapacity, label: 'Min', color: cloudwatch.Color.GREY }] : []),
      ],
    });
  }

  private addStandardSegments(facade: MonitoringFacade, props: WorkloadDashboardProps): void {
    if (props.queue?.deadLetterQueue) {
      facade.monitorSqsQueueWithDlq({ queue: props.queue.queue, deadLetterQueue: props.queue.deadLetterQueue });
    } else if (props.queue) {
      facade.monitorSqsQueue({ queue: props.queue.queue });
    }
    const capacity = props.capacity;
    if (capacity.kind === 'ecs') {
      // cdk-monitoring-constructs' service segment plots p100 of AWS/ECS utilization, a percentile ECS does not support.
      for (const widget of ecsUtilizationWidgets(capacity.service)) facade.addWidget(widget);
    } else if (capacity.kind === 'lambda') {
      facade.monitorLambdaFunction({ lambdaFunction: capacity.function });
    } else {
      facade.monitorDynamoTable({ table: capacity.table });
    }
  }
}

// The plan-stale alarm looks at three runs, and CloudWatch evaluates an alarm over at most a day for periods under an hour.
function requirePredictorInterval(interval: Duration): void {
  requireResolved(NAME, 'predictor.interval', interval, "the alarms' periods are derived from it");
  const seconds = requireSecondsBetween(NAME, 'predictor.interval', interval, Duration.minutes(1), Duration.hours(12));
  if (seconds % 60 !== 0) {
    throw new InvalidPropError(
      NAME,
      'predictor.interval',
      `(${interval.toHumanString()}) is not a whole number of minutes, which CloudWatch alarm periods must be`,
      "Use the predictor's own interval (PredictiveScaling.interval).",
    );
  }
}

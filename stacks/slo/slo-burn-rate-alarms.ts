import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import type * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import {
  badShareThreshold,
  DEFAULT_SLO_PERIOD_MS,
  errorBudget,
  SloInputError,
  validateAlerts,
  WORKBOOK_ALERTS,
  type BurnRateAlert,
} from '../../shared/slo/index.ts';
import { InvalidPropError } from '../common/prop-validation.ts';
import { periodId, type ServiceLevelIndicator } from './service-level-indicator.ts';
import { checkDeployLimits } from '../common/deploy-limits.ts';
import { recordShared } from '../common/footprint.ts';

export interface SloBurnRateAlarmsProps {
  /** What a bad event is, and where its share comes from (see albLatencyIndicator, albErrorIndicator, messageWaitIndicator). */
  readonly indicator: ServiceLevelIndicator;
  /** The share of events that must be good over the SLO period, e.g. 0.999. */
  readonly objective: number;
  /**
   * The burn-rate alerts: each fires when both its long and its short window burn the budget at least `burnRate`
   * times as fast as the period allows.
   * @default the SRE workbook's: page at 14.4x over 1 h and 5 min, page at 6x over 6 h and 30 min, ticket at 1x over 3 days and 6 h
   */
  readonly alerts?: readonly BurnRateAlert[];
  /**
   * The period the error budget is counted over.
   * @default Duration.days(30)
   */
  readonly period?: Duration;
  /**
   * Where page-severity alerts notify (ALARM and OK).
   * @default no notification
   */
  readonly pageTopic?: sns.ITopic;
  /**
   * Where ticket-severity alerts notify (ALARM and OK).
   * @default no notification
   */
  readonly ticketTopic?: sns.ITopic;
}

/** One burn-rate alert as CloudWatch builds it: two metric-math alarms joined by a composite AND. */
export interface BurnRateAlarmPair {
  readonly alert: BurnRateAlert;
  readonly longWindow: cloudwatch.Alarm;
  readonly shortWindow: cloudwatch.Alarm;
  readonly composite: cloudwatch.CompositeAlarm;
}

const NAME = 'SloBurnRateAlarms';

/**
 * Multiwindow, multi-burn-rate SLO alerts (The Site Reliability Workbook, ch. 5) as CloudWatch alarms. Each
 * window is one metric-math alarm whose single datapoint covers the whole window: its period is the window
 * (PutMetricAlarm allows periods of any multiple of 60 s with period x evaluation periods up to 7 days, 1 day
 * below a 1-hour period), so the 3-day ticket window is one 259,200 s datapoint. Metric math has no moving sum,
 * and M-of-N datapoints over shorter periods would test every sub-period against the threshold instead of the
 * window's share. The long and short alarms of an alert are joined by a composite alarm (AND), which is what
 * notifies.
 */
export class SloBurnRateAlarms extends Construct {
  readonly pairs: readonly BurnRateAlarmPair[];
  readonly objective: number;
  readonly period: Duration;
  private readonly indicator: ServiceLevelIndicator;
  /** 1 - objective, without floating-point noise in the expressions (1 - 0.999 is 0.0010000000000000009). */
  private readonly budget: number;

  constructor(scope: Construct, id: string, props: SloBurnRateAlarmsProps) {
    super(scope, id);
    checkDeployLimits(this);
    recordShared(this);
    const alerts = props.alerts ?? WORKBOOK_ALERTS;
    this.period = props.period ?? Duration.millis(DEFAULT_SLO_PERIOD_MS);
    try {
      validateAlerts(alerts, props.objective, this.period.toMilliseconds());
    } catch (error) {
      if (!(error instanceof SloInputError)) throw error;
      throw new InvalidPropError(NAME, error.field, error.problem, error.fix);
    }
    this.objective = props.objective;
    this.indicator = props.indicator;
    this.budget = Number(errorBudget(props.objective).toPrecision(12));
    const budgetPercent = (100 * errorBudget(props.objective)).toPrecision(3);
    this.pairs = alerts.map((alert) => {
      const threshold = Number(badShareThreshold(alert.burnRate, props.objective).toPrecision(12));
      const windowAlarm = (which: 'Long' | 'Short', windowMs: number) => {
        const window = Duration.millis(windowMs);
        return new cloudwatch.Alarm(this, `${alert.name}-${which}`, {
          metric: props.indicator.badShare(window),
          alarmDescription: `${props.indicator.description}: at least ${alert.burnRate}x the error budget (${budgetPercent}% of events) over ${window.toHumanString()}`,
          threshold,
          comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
          evaluationPeriods: 1,
          treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
        });
      };
      const longWindow = windowAlarm('Long', alert.longWindowMs);
      const shortWindow = windowAlarm('Short', alert.shortWindowMs);
      const composite = new cloudwatch.CompositeAlarm(this, alert.name, {
        alarmDescription: `${alert.severity === 'page' ? 'Page' : 'Ticket'}: the error budget of ${props.indicator.description} is burning at ${alert.burnRate}x over ${Duration.millis(alert.longWindowMs).toHumanString()} and still now`,
        alarmRule: cloudwatch.AlarmRule.allOf(
          cloudwatch.AlarmRule.fromAlarm(longWindow, cloudwatch.AlarmState.ALARM),
          cloudwatch.AlarmRule.fromAlarm(shortWindow, cloudwatch.AlarmState.ALARM),
        ),
      });
      const topic = alert.severity === 'page' ? props.pageTopic : props.ticketTopic;
      if (topic) {
        composite.addAlarmAction(new actions.SnsAction(topic));
        composite.addOkAction(new actions.SnsAction(topic));
      }
      return { alert, longWindow, shortWindow, composite };
    });
  }

  /** The composite alarms of page severity (for a workload's unhealthy alarm, say). */
  get pages(): cloudwatch.CompositeAlarm[] {
    return this.pairs.filter((pair) => pair.alert.severity === 'page').map((pair) => pair.composite);
  }

  /** The composite alarms of every alert. */
  get composites(): cloudwatch.CompositeAlarm[] {
    return this.pairs.map((pair) => pair.composite);
  }

  /** The burn rate over a window: the bad share over the error budget (1 spends the budget exactly over the period). */
  metricBurnRate(window: Duration): cloudwatch.MathExpression {
    return new cloudwatch.MathExpression({
      expression: `share${periodId(window)} / ${this.budget}`,
      usingMetrics: { [`share${periodId(window)}`]: this.indicator.badShare(window) },
      period: window,
      label: `Burn rate over ${window.toHumanString()}`,
    });
  }

  /** The share of the period's error budget left: 1 - bad share over the period / budget (negative once overspent). */
  metricErrorBudgetRemaining(): cloudwatch.MathExpression {
    return new cloudwatch.MathExpression({
      expression: `100 * (1 - share${periodId(this.period)} / ${this.budget})`,
      usingMetrics: { [`share${periodId(this.period)}`]: this.indicator.badShare(this.period) },
      period: this.period,
      label: `Error budget remaining over ${this.period.toHumanString()} (%)`,
    });
  }

  /**
   * Dashboard widgets: the error budget remaining over the SLO period, and the burn rate over each alert's long
   * window against the alerts' burn rates (one point per window: the 1-hour line moves hourly, the 3-day one every 3 days).
   */
  widgets(): cloudwatch.IWidget[] {
    const longWindows = [...new Set(this.pairs.map((pair) => pair.alert.longWindowMs))].sort((a, b) => a - b);
    return [
      new cloudwatch.SingleValueWidget({
        title: `Error budget remaining: ${this.indicator.description} (objective ${(100 * this.objective).toPrecision(4)}%)`,
        metrics: [this.metricErrorBudgetRemaining()],
        setPeriodToTimeRange: true,
        start: `-PT${Math.round(this.period.toHours())}H`,
        width: 6,
        height: 6,
      }),
      new cloudwatch.GraphWidget({
        title: `Burn rate: ${this.indicator.description}`,
        width: 18,
        height: 6,
        left: longWindows.map((windowMs) => this.metricBurnRate(Duration.millis(windowMs))),
        leftAnnotations: this.pairs.map((pair) => ({
          value: pair.alert.burnRate,
          label: `${pair.alert.name} (${pair.alert.burnRate}x)`,
          color: pair.alert.severity === 'page' ? cloudwatch.Color.RED : cloudwatch.Color.ORANGE,
        })),
      }),
    ];
  }
}

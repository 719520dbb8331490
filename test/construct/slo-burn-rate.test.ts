import { Duration, Stack } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as sns from 'aws-cdk-lib/aws-sns';
import { Match, type Template } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { WORKBOOK_ALERTS } from '../../shared/slo/index.ts';
import { messageWaitIndicator, ratioIndicator, SloBurnRateAlarms, type SloBurnRateAlarmsProps } from '../../stacks/slo/index.ts';
import { checkedTemplate, nagCheckedApp } from '../support/template-checks.ts';

function sloStack(overrides: Partial<SloBurnRateAlarmsProps> = {}): { stack: Stack; slo: SloBurnRateAlarms } {
  const stack = new Stack(nagCheckedApp(), 'Slo');
  const key = new kms.Key(stack, 'Key', { enableKeyRotation: true });
  const page = new sns.Topic(stack, 'Page', { masterKey: key, enforceSSL: true });
  const ticket = new sns.Topic(stack, 'Ticket', { masterKey: key, enforceSSL: true });
  const slo = new SloBurnRateAlarms(stack, 'OrdersWait', {
    indicator: messageWaitIndicator('orders', Duration.minutes(5)),
    objective: 0.99,
    pageTopic: page,
    ticketTopic: ticket,
    ...overrides,
  });
  return { stack, slo };
}

/** The metric-math alarms of the stack, by their single period. */
function windowAlarms(template: Template): Array<{ period: number; threshold: number; statistic: string; id: string }> {
  return Object.values(template.findResources('AWS::CloudWatch::Alarm')).map((alarm) => {
    const stat = (alarm.Properties.Metrics as Array<{ Id: string; MetricStat?: { Period: number; Stat: string } }>).find(
      (query) => query.MetricStat,
    )!;
    return { period: stat.MetricStat!.Period, threshold: alarm.Properties.Threshold as number, statistic: stat.MetricStat!.Stat, id: stat.Id };
  });
}

describe('SloBurnRateAlarms for a queue consumer (MessageWaitTime per message)', () => {
  const { stack } = sloStack();
  const template = checkedTemplate(stack);

  it('builds one alarm per window of the workbook’s alerts: 1 h + 5 min, 6 h + 30 min, 3 days + 6 h', () => {
    expect(
      windowAlarms(template)
        .map((alarm) => alarm.period)
        .sort((a, b) => a - b),
    ).toEqual([300, 1800, 3600, 21600, 21600, 259200]);
  });

  it('sets each window’s threshold at burn rate x the error budget (99%: 14.4% bad, 6%, 1%)', () => {
    const byPeriod = Object.fromEntries(windowAlarms(template).map((alarm) => [`${alarm.period}@${alarm.threshold}`, alarm.threshold]));
    expect(Object.keys(byPeriod).sort()).toEqual(['1800@0.06', '21600@0.01', '21600@0.06', '259200@0.01', '300@0.144', '3600@0.144'].sort());
  });

  it('counts every message: the percentile rank of MessageWaitTime at the SLO (ms)', () => {
    for (const alarm of windowAlarms(template)) expect(alarm.statistic).toBe('PR(:300000)');
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Metrics: Match.arrayWith([
        Match.objectLike({
          MetricStat: Match.objectLike({
            Metric: { Namespace: 'Headroom', MetricName: 'MessageWaitTime', Dimensions: [{ Name: 'Workload', Value: 'orders' }] },
          }),
        }),
      ]),
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      EvaluationPeriods: 1,
      TreatMissingData: 'notBreaching',
    });
  });

  it('joins each long and short window by a composite AND', () => {
    const composites = Object.values(template.findResources('AWS::CloudWatch::CompositeAlarm'));
    expect(composites).toHaveLength(3);
    for (const composite of composites) {
      const rule = JSON.stringify(composite.Properties.AlarmRule);
      expect(rule).toContain(') AND ALARM(');
      expect(rule).not.toContain(' OR ');
      expect(rule.match(/ALARM\(/g)).toHaveLength(2);
    }
  });

  it('pairs the long window with its own short window in each composite', () => {
    const alarms = template.findResources('AWS::CloudWatch::Alarm');
    const periodOf = (logicalId: string) =>
      (alarms[logicalId]!.Properties.Metrics as Array<{ MetricStat?: { Period: number } }>).find((query) => query.MetricStat)!.MetricStat!.Period;
    const pairs = Object.values(template.findResources('AWS::CloudWatch::CompositeAlarm')).map((composite) => {
      const ids = [...JSON.stringify(composite.Properties.AlarmRule).matchAll(/"Fn::GetAtt":\["([A-Za-z0-9]+)","Arn"\]/g)].map((match) => match[1]!);
      return ids.map(periodOf).sort((a, b) => b - a);
    });
    expect(pairs.sort((a, b) => a[0]! - b[0]!)).toEqual([
      [3600, 300],
      [21600, 1800],
      [259200, 21600],
    ]);
  });

  it('sends pages to the page topic and tickets to the ticket topic', () => {
    const composites = Object.values(template.findResources('AWS::CloudWatch::CompositeAlarm'));
    const topicsOf = (text: RegExp) =>
      composites
        .filter((composite) => text.test(composite.Properties.AlarmDescription))
        .map((composite) => JSON.stringify(composite.Properties.AlarmActions));
    expect(topicsOf(/^Page/)).toHaveLength(2);
    for (const actions of topicsOf(/^Page/)) expect(actions).toMatch(/Page/);
    expect(topicsOf(/^Ticket/)).toHaveLength(1);
    expect(topicsOf(/^Ticket/)[0]).toMatch(/Ticket/);
  });
});

describe('SloBurnRateAlarms with configured alerts', () => {
  it('takes other burn rates and windows', () => {
    const { stack } = sloStack({
      alerts: [{ name: 'fast', severity: 'page', burnRate: 10, longWindowMs: 2 * 3_600_000, shortWindowMs: 10 * 60_000 }],
    });
    const template = checkedTemplate(stack);
    expect(windowAlarms(template).map((alarm) => [alarm.period, alarm.threshold])).toEqual(
      expect.arrayContaining([
        [7200, 0.1],
        [600, 0.1],
      ]),
    );
    template.resourceCountIs('AWS::CloudWatch::CompositeAlarm', 1);
  });

  it('builds an availability SLI from a ratio of counts (a Lambda consumer’s failures over its messages)', () => {
    const stack = new Stack(nagCheckedApp(), 'Ratio');
    const metric = (metricName: string) => new cloudwatch.Metric({ namespace: 'Headroom', metricName, dimensionsMap: { Workload: 'thumbnails' } });
    new SloBurnRateAlarms(stack, 'Failures', {
      indicator: ratioIndicator(metric('MessagesFailed'), metric('MessagesProcessed'), 'failed messages'),
      objective: 0.999,
    });
    checkedTemplate(stack).hasResourceProperties('AWS::CloudWatch::Alarm', {
      Threshold: 0.0144,
      Metrics: Match.arrayWith([Match.objectLike({ Expression: 'FILL(bad60m, 0) / total60m' })]),
    });
  });
});

describe('SloBurnRateAlarms widgets', () => {
  it('shows the error budget remaining over the 30-day period and the burn rates against the alert thresholds', () => {
    const { stack, slo } = sloStack();
    new cloudwatch.Dashboard(stack, 'Dashboard', { widgets: [slo.widgets()] });
    const body = JSON.stringify(checkedTemplate(stack).toJSON());
    expect(body).toContain('100 * (1 - share43200m / 0.01)');
    expect(body).toContain('\\"start\\":\\"-PT720H\\"');
    for (const alert of WORKBOOK_ALERTS) expect(body).toContain(`${alert.name} (${alert.burnRate}x)`);
  });
});

describe('SloBurnRateAlarms validation', () => {
  it.each([
    [{ objective: 99 }, /SloBurnRateAlarms: objective must be a fraction strictly between 0 and 1, got 99\. Use for example 0.999/],
    [{ objective: 0.9 }, /SloBurnRateAlarms: alerts\[page-1h\]\.burnRate \(14.4\) x the error budget/],
    [{ alerts: [] }, /SloBurnRateAlarms: alerts is empty/],
    [
      { alerts: [{ ...WORKBOOK_ALERTS[2]!, longWindowMs: 10 * 86_400_000 }] },
      /alerts\[ticket-3d\]\.longWindowMs must be whole minutes from 1 minute to 7 days/,
    ],
    [{ period: Duration.hours(12) }, /SloBurnRateAlarms: period must be whole minutes and at least a day/],
  ])('refuses %o, naming the prop', (overrides, message) => {
    expect(() => sloStack(overrides as Partial<SloBurnRateAlarmsProps>)).toThrow(message);
  });
});

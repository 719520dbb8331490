import { describe, expect, it } from 'vitest';
import { BACKLOG_METRICS, PUBLISHER_METRICS } from '../../../shared/backlog/metric-data.ts';
import {
  backlogPublisherFootprint,
  type CloudFormationTemplate,
  FOOTPRINT_METADATA_KEY,
  monthlyCost,
  PRICES,
  predictorFootprint,
  SHARED_WORKLOAD,
} from '../../../shared/cost/index.ts';
import { rateMinutes } from '../../../shared/cost/monthly-cost.ts';

const RUNS_A_MONTH_EVERY_MINUTE = 730 * 60;

function template(
  resources: Record<string, { Type: string; Properties?: Record<string, unknown> }>,
  workloads: Record<string, string[]>,
  producers = [] as unknown[],
): CloudFormationTemplate {
  return { Metadata: { [FOOTPRINT_METADATA_KEY]: { workloads, producers } }, Resources: resources };
}

function line(report: ReturnType<typeof monthlyCost>, workload: string, item: string) {
  return report.workloads.find((entry) => entry.workload === workload)?.lines.find((entry) => entry.item === item);
}

const alarm = (properties: Record<string, unknown>) => ({ Type: 'AWS::CloudWatch::Alarm', Properties: properties });
const metricStat = (period: number) => ({
  Id: `m${period}`,
  MetricStat: { Metric: { MetricName: 'X', Namespace: 'N' }, Period: period, Stat: 'Sum' },
});

describe('monthlyCost', () => {
  it('prices a single-metric alarm at one standard alarm metric', () => {
    const report = monthlyCost({ S: template({ A: alarm({ MetricName: 'X', Namespace: 'N', Period: 60 }) }, { w: ['A'] }) });
    expect(line(report, 'w', 'alarms (standard resolution)')).toMatchObject({ quantity: 1, monthlyUsd: PRICES.cloudwatch.standardAlarmMetricMonth });
  });

  it('prices a metric-math alarm per metric it evaluates, not per expression', () => {
    const math = alarm({ Metrics: [metricStat(60), { ...metricStat(60), Id: 'm2' }, { Id: 'e', Expression: 'm60 / m2' }] });
    const report = monthlyCost({ S: template({ A: math }, { w: ['A'] }) });
    expect(line(report, 'w', 'alarms (standard resolution)')?.quantity).toBe(2);
  });

  it('prices an alarm on a period under a minute at the high-resolution rate', () => {
    const report = monthlyCost({ S: template({ A: alarm({ MetricName: 'X', Namespace: 'N', Period: 10 }) }, { w: ['A'] }) });
    expect(line(report, 'w', 'alarms (high resolution)')).toMatchObject({
      quantity: 1,
      monthlyUsd: PRICES.cloudwatch.highResolutionAlarmMetricMonth,
    });
  });

  it('prices composite alarms and dashboards by the piece', () => {
    const report = monthlyCost({
      S: template({ C: { Type: 'AWS::CloudWatch::CompositeAlarm' }, D: { Type: 'AWS::CloudWatch::Dashboard' } }, { w: ['C', 'D'] }),
    });
    expect(report.totalUsd).toBeCloseTo(PRICES.cloudwatch.compositeAlarmMonth + PRICES.cloudwatch.dashboardMonth, 10);
  });

  it('counts the two alarms Application Auto Scaling creates for an ECS target-tracking policy, per metric of its math', () => {
    const policy = {
      Type: 'AWS::ApplicationAutoScaling::ScalingPolicy',
      Properties: {
        PolicyType: 'TargetTrackingScaling',
        ScalingTargetId: { Ref: 'T' },
        TargetTrackingScalingPolicyConfiguration: {
          TargetValue: 1,
          CustomizedMetricSpecification: { Metrics: [metricStat(60), { Id: 'e', Expression: 'm60' }, { ...metricStat(60), Id: 'n' }] },
        },
      },
    };
    const report = monthlyCost({
      S: template({ P: policy, T: { Type: 'AWS::ApplicationAutoScaling::ScalableTarget', Properties: { ServiceNamespace: 'ecs' } } }, { w: ['P'] }),
    });
    expect(line(report, 'w', 'target-tracking alarms (created by Application Auto Scaling)')?.quantity).toBe(2 * 2);
  });

  it('counts four alarms for a DynamoDB target-tracking policy and one fewer pair when scale-in is disabled', () => {
    const policy = (disableScaleIn: boolean) => ({
      Type: 'AWS::ApplicationAutoScaling::ScalingPolicy',
      Properties: {
        PolicyType: 'TargetTrackingScaling',
        ScalingTargetId: { Ref: 'T' },
        TargetTrackingScalingPolicyConfiguration: { TargetValue: 70, DisableScaleIn: disableScaleIn, PredefinedMetricSpecification: {} },
      },
    });
    const table = { Type: 'AWS::ApplicationAutoScaling::ScalableTarget', Properties: { ServiceNamespace: 'dynamodb' } };
    const both = monthlyCost({ S: template({ P: policy(false), T: table }, { w: ['P'] }) });
    const outOnly = monthlyCost({ S: template({ P: policy(true), T: table }, { w: ['P'] }) });
    expect(line(both, 'w', 'target-tracking alarms (created by Application Auto Scaling)')?.quantity).toBe(4);
    expect(line(outOnly, 'w', 'target-tracking alarms (created by Application Auto Scaling)')?.quantity).toBe(2);
  });

  it('leaves out resources no headroom construct recorded', () => {
    const report = monthlyCost({
      S: template({ Mine: alarm({ MetricName: 'X', Namespace: 'N', Period: 60 }), Theirs: { Type: 'AWS::CloudWatch::Dashboard' } }, { w: ['Mine'] }),
    });
    expect(report.totalUsd).toBeCloseTo(PRICES.cloudwatch.standardAlarmMetricMonth, 10);
  });

  it('prices a scheduled function’s runs for the workloads it serves: metrics, reads and an equal share of each run', () => {
    const resources = {
      Fn: { Type: 'AWS::Lambda::Function', Properties: { MemorySize: 256 } },
      Schedule: {
        Type: 'AWS::Scheduler::Schedule',
        Properties: { ScheduleExpression: 'rate(1 minute)', Target: { Arn: { 'Fn::GetAtt': ['Fn', 'Arn'] } } },
      },
    };
    const producers = [
      backlogPublisherFootprint('a', 'Fn', PUBLISHER_METRICS, 'arrivals-and-measured'),
      backlogPublisherFootprint('b', 'Fn', BACKLOG_METRICS, 'none'),
    ];
    const report = monthlyCost({ S: template(resources, {}, producers) });
    expect(line(report, 'a', 'custom metrics')?.quantity).toBe(8);
    expect(line(report, 'b', 'custom metrics')?.quantity).toBe(3);
    // Arrivals every run, the measured time's two statistics every 5 minutes.
    expect(line(report, 'a', 'GetMetricData')?.quantity).toBeCloseTo(RUNS_A_MONTH_EVERY_MINUTE + (2 * RUNS_A_MONTH_EVERY_MINUTE) / 5, 6);
    expect(line(report, 'b', 'GetMetricData')).toBeUndefined();
    expect(line(report, 'a', 'Lambda and Scheduler invocations')?.quantity).toBeCloseTo(RUNS_A_MONTH_EVERY_MINUTE / 2, 6);
  });

  it('spreads nothing over an unscheduled function: the predictor’s metrics cost, its runs do not', () => {
    const report = monthlyCost({ S: template({}, {}, [predictorFootprint('w', 'Missing', false)]) });
    expect(report.workloads.find((entry) => entry.workload === 'w')?.lines.map((entry) => entry.item)).toEqual(['custom metrics']);
  });

  it('reports the cost per workload with the shared resources spread over the workloads', () => {
    const report = monthlyCost({
      S: template({ A: { Type: 'AWS::CloudWatch::Dashboard' }, B: { Type: 'AWS::CloudWatch::Dashboard' } }, { w: ['A'], [SHARED_WORKLOAD]: ['B'] }),
    });
    expect(report.workloadCount).toBe(1);
    expect(report.perWorkloadUsd).toBeCloseTo(2 * PRICES.cloudwatch.dashboardMonth, 10);
  });
});

describe('rateMinutes', () => {
  it.each([
    ['rate(1 minute)', 1],
    ['rate(5 minutes)', 5],
    ['rate(1 hour)', 60],
    ['rate(2 days)', 2_880],
  ])('reads %s as %d minutes', (expression, minutes) => {
    expect(rateMinutes(expression)).toBe(minutes);
  });

  it('does not guess at cron expressions', () => {
    expect(rateMinutes('cron(0 * * * ? *)')).toBeUndefined();
  });
});

import { describe, expect, it } from 'vitest';
import { AWS_METRICS } from '../../../shared/metrics/aws-catalogue.ts';
import { HEADROOM_METRICS } from '../../../shared/metrics/contract.ts';
import { type MetricRead, metricReadProblem } from '../../../shared/metrics/metric-read.ts';
import { MetricName } from '../../../shared/metrics/names.ts';
import { templateMetricReads } from '../../support/template-metric-reads.ts';

const read = (overrides: Partial<MetricRead>): MetricRead => ({
  namespace: 'Headroom',
  metricName: 'MessageWaitTime',
  dimensions: ['Workload'],
  statistic: 'Average',
  where: 'Alarm',
  ...overrides,
});
const problem = (overrides: Partial<MetricRead>) => metricReadProblem(read(overrides), ['Headroom']);

describe('a metric read matched against its producer', () => {
  it('accepts what the consumer kits publish: MessageWaitTime with {Workload}, its percentile rank included', () => {
    expect(problem({})).toBeUndefined();
    expect(problem({ statistic: 'PR(:300000)' })).toBeUndefined();
  });

  it('rejects another dimension set than the producer’s: {service, Workload} is another metric', () => {
    expect(problem({ dimensions: ['service', 'Workload'] })).toMatch(/publishes it with \{Workload\}, so this read sees no data/);
    expect(problem({ dimensions: [] })).toMatch(/sees no data/);
  });

  it('rejects percentiles of a metric published once a run (no raw events), and a Sum of a gauge', () => {
    expect(problem({ metricName: 'RequiredCapacityPerTask', statistic: 'p99' })).toMatch(/percentile-type statistics need raw values/);
    expect(problem({ metricName: 'BacklogPerTask', statistic: 'Sum' })).toMatch(/Sum means nothing/);
  });

  it('rejects a name headroom does not publish, a namespace nobody publishes in, and a misspelt statistic', () => {
    expect(problem({ metricName: 'MessageWait' })).toMatch(/publish no metric of this name/);
    expect(problem({ namespace: 'Other' })).toMatch(/no producer publishes in namespace Other/);
    expect(problem({ statistic: 'Avg' })).toMatch(/not a CloudWatch statistic/);
  });

  it('checks AWS metrics against their documented sets: HTTPCode_ELB_5XX_Count has no TargetGroup dimension', () => {
    const elb = { namespace: 'AWS/ApplicationELB', metricName: 'HTTPCode_ELB_5XX_Count', statistic: 'Sum' };
    expect(problem({ ...elb, dimensions: ['LoadBalancer'] })).toBeUndefined();
    expect(problem({ ...elb, dimensions: ['LoadBalancer', 'TargetGroup'] })).toMatch(/AWS publishes it with \{LoadBalancer\} or/);
    expect(problem({ ...elb, dimensions: ['LoadBalancer'], statistic: 'Average' })).toMatch(/Average means nothing/);
  });

  it('rejects percentiles where AWS publishes none, and a metric missing from the catalogue', () => {
    const cpu = { namespace: 'AWS/ECS', metricName: 'CPUUtilization', dimensions: ['ClusterName', 'ServiceName'] };
    expect(problem({ ...cpu, statistic: 'Maximum' })).toBeUndefined();
    expect(problem({ ...cpu, statistic: 'p100' })).toMatch(/percentile-type/);
    expect(problem({ ...cpu, metricName: 'CPUReservation', statistic: 'Average' })).toMatch(/not in the AWS catalogue/);
  });
});

describe('the contract and the catalogue', () => {
  it('define every metric name headroom publishes, once', () => {
    expect(HEADROOM_METRICS.map((entry) => entry.metricName).sort()).toEqual(Object.values(MetricName).sort());
  });

  it('cite an AWS documentation page for every AWS metric', () => {
    for (const entry of AWS_METRICS) expect(entry.doc, entry.metricName).toMatch(/^https:\/\/docs\.aws\.amazon\.com\//);
  });
});

describe('reading a template’s metrics', () => {
  it('finds metrics in alarm metric math, scaling-policy queries, dashboard bodies and JSON configuration', () => {
    const metricStat = (name: string) => ({
      Id: 'm',
      MetricStat: { Metric: { Namespace: 'Headroom', MetricName: name, Dimensions: [{ Name: 'Workload', Value: 'w' }] }, Stat: 'Average' },
    });
    const body = JSON.stringify({
      widgets: [
        {
          properties: {
            title: 'T',
            metrics: [['AWS/SQS', 'NumberOfMessagesSent', 'QueueName', 'TOKEN', { stat: 'Sum' }], [{ expression: 'm1 * 2' }]],
          },
        },
      ],
    });
    const [before, after] = body.split('TOKEN');
    const reads = templateMetricReads({
      Resources: {
        Alarm: { Type: 'AWS::CloudWatch::Alarm', Properties: { Metrics: [metricStat('QueueBacklog'), { Id: 'e', Expression: 'm * 2' }] } },
        Policy: {
          Type: 'AWS::ApplicationAutoScaling::ScalingPolicy',
          Properties: { TargetTrackingScalingPolicyConfiguration: { CustomizedMetricSpecification: { Metrics: [metricStat('RunningCapacity')] } } },
        },
        Board: { Type: 'AWS::CloudWatch::Dashboard', Properties: { DashboardBody: { 'Fn::Join': ['', [before, { Ref: 'Queue' }, after]] } } },
        Fn: {
          Type: 'AWS::Lambda::Function',
          Properties: {
            Environment: {
              Variables: {
                CONFIG: {
                  'Fn::Join': [
                    '',
                    [
                      '[{"load":{"namespace":"AWS/SQS","metricName":"NumberOfMessagesSent","dimensions":{"QueueName":"',
                      { Ref: 'Q' },
                      '"},"stat":"Sum"}}]',
                    ],
                  ],
                },
              },
            },
          },
        },
      },
    });
    expect(reads.map((entry) => `${entry.metricName} ${entry.statistic}`)).toEqual([
      'QueueBacklog Average',
      'RunningCapacity Average',
      'NumberOfMessagesSent Sum',
      'NumberOfMessagesSent Sum',
    ]);
  });
});

import { App, CfnParameter, Duration, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as sns from 'aws-cdk-lib/aws-sns';
import { describe, expect, it } from 'vitest';
import { QueueScaledService, WorkloadDashboard, type WorkloadDashboardProps } from '../../stacks/index.ts';
import { fargateWorker } from '../support/ecs-fixture.ts';
import { checkedTemplate, nagCheckedApp } from '../support/template-checks.ts';

function dashboardBody(template: Template): string {
  const dashboards = Object.values(template.findResources('AWS::CloudWatch::Dashboard'));
  expect(dashboards).toHaveLength(1);
  return JSON.stringify(dashboards[0]!.Properties.DashboardBody);
}

describe('WorkloadDashboard', () => {
  describe('for a queue-scaled ECS service with the predictor', () => {
    const stack = new Stack(nagCheckedApp(), 'Dashboarded');
    const { service, queue } = fargateWorker(stack);
    const scaling = new QueueScaledService(stack, 'Scaling', {
      service,
      queue,
      acceptableLatency: Duration.minutes(5),
      timePerMessage: Duration.seconds(3),
      minCapacity: 2,
      maxCapacity: 30,
      workload: 'orders',
      alarmTopic: new sns.Topic(stack, 'Alarms', { enforceSSL: true }),
    });
    scaling.addDashboard({ predictor: { interval: Duration.hours(1) } });
    const template = checkedTemplate(stack);
    const body = dashboardBody(template);

    it('plots load vs forecast, capacity with its walls and the scheduled floor, the scaling signal vs target', () => {
      for (const title of ['Load vs forecast (p50, p90)', 'Capacity: desired, running, scheduled floor', 'Required capacity per task vs target']) {
        expect(body).toContain(title);
      }
      for (const metric of ['ForecastP50', 'ForecastP90', 'ScheduledFloor', 'DesiredTaskCount', 'RunningTaskCount', 'RequiredCapacityPerTask']) {
        expect(body).toContain(metric);
      }
      expect(body).toMatch(/\\"value\\":0.9,\\"label\\":\\"Target\\"/);
      expect(body).toMatch(/\\"value\\":30,\\"label\\":\\"Max\\"/);
    });

    it('plots message age against the SLO and the dead-letter queue depth', () => {
      expect(body).toContain('Age of oldest message vs SLO');
      expect(body).toMatch(/\\"value\\":300,\\"label\\":\\"Acceptable latency\\"/);
      expect(body).toContain('Dead-letter queue depth');
    });

    it('plots the predictor’s runs, errors and forecast error', () => {
      for (const metric of ['PredictorSuccess', 'PredictorFailure', 'ForecastErrorMAPE', 'ForecastErrorMASE', 'ForecastBreakerOpen'])
        expect(body).toContain(metric);
    });

    it('adds cdk-monitoring-constructs’ standard widgets for the queue and the service', () => {
      expect(body).toContain('ApproximateNumberOfMessagesVisible');
      expect(body).toContain('CPUUtilization');
    });

    it('alarms when the service runs at maximum capacity for 15 minutes', () => {
      template.hasResourceProperties('AWS::CloudWatch::Alarm', {
        MetricName: 'RunningTaskCount',
        Threshold: 30,
        EvaluationPeriods: 15,
        ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      });
    });

    it('alarms when the predictor fails, and when it has not succeeded in two of three runs, not before its first', () => {
      template.hasResourceProperties('AWS::CloudWatch::Alarm', { MetricName: 'PredictorFailure', Threshold: 0, Period: 3600 });
      template.hasResourceProperties('AWS::CloudWatch::Alarm', {
        Metrics: Match.arrayWith([
          Match.objectLike({ Expression: 'FILL(runs, 0)', ReturnData: true }),
          Match.objectLike({
            Id: 'runs',
            MetricStat: Match.objectLike({ Metric: Match.objectLike({ MetricName: 'PredictorSuccess' }), Period: 3600 }),
          }),
        ]),
        ComparisonOperator: 'LessThanThreshold',
        EvaluationPeriods: 3,
        DatapointsToAlarm: 2,
        TreatMissingData: 'ignore',
      });
    });

    it('alarms when the forecast error is above 50% in two of three runs', () => {
      template.hasResourceProperties('AWS::CloudWatch::Alarm', {
        MetricName: 'ForecastErrorMAPE',
        Threshold: 50,
        DatapointsToAlarm: 2,
        EvaluationPeriods: 3,
      });
    });

    it('folds every alarm, the SLO and DLQ alarms included, into one composite "unhealthy" alarm with notifications', () => {
      const composites = Object.values(template.findResources('AWS::CloudWatch::CompositeAlarm'));
      expect(composites).toHaveLength(1);
      const rule = JSON.stringify(composites[0]!.Properties.AlarmRule);
      expect(rule.match(/ALARM\(/g)).toHaveLength(6);
      template.hasResourceProperties('AWS::CloudWatch::CompositeAlarm', { AlarmActions: [{ Ref: Match.stringLikeRegexp('^Alarms') }] });
    });
  });

  describe('for a DynamoDB table', () => {
    const stack = new Stack(nagCheckedApp(), 'TableDashboard');
    const table = new dynamodb.Table(stack, 'Table', {
      partitionKey: { name: 'pk', type: dynamodb.AttributeType.STRING },
      billingMode: dynamodb.BillingMode.PROVISIONED,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
    });
    new WorkloadDashboard(stack, 'Dashboard', { workload: 'sessions', capacity: { kind: 'dynamodb', table, maxCapacity: 500, capacity: 'read' } });
    const body = dashboardBody(checkedTemplate(stack));

    it('plots provisioned against consumed capacity per second, and throttled requests', () => {
      expect(body).toContain('ProvisionedReadCapacityUnits');
      expect(body).toContain('consumed / PERIOD(consumed)');
      expect(body).toContain('ReadThrottleEvents');
    });
  });

  it('rejects a capacityPinnedMinutes that is not a whole number of minutes', () => {
    const stack = new Stack(nagCheckedApp(), 'Bad');
    const table = new dynamodb.Table(stack, 'Table', { partitionKey: { name: 'pk', type: dynamodb.AttributeType.STRING } });
    expect(
      () =>
        new WorkloadDashboard(stack, 'Dashboard', {
          workload: 'x',
          capacity: { kind: 'dynamodb', table, maxCapacity: 5, capacity: 'write' },
          capacityPinnedMinutes: 0.5,
        }),
    ).toThrow(/capacityPinnedMinutes must be a whole number between 1 and 1440, got 0.5/);
  });
});

function tableDashboard(props: Partial<WorkloadDashboardProps> & { readonly stackName?: string } = {}): Stack {
  const stack = new Stack(new App(), props.stackName ?? 'Workloads');
  const table = new dynamodb.Table(stack, 'Table', { partitionKey: { name: 'pk', type: dynamodb.AttributeType.STRING } });
  new WorkloadDashboard(stack, 'Dashboard', {
    workload: 'sessions',
    capacity: { kind: 'dynamodb', table, maxCapacity: 50, capacity: 'read' },
    ...props,
  });
  return stack;
}

describe('WorkloadDashboard names and limits', () => {
  it('keeps a composite alarm name built from a long workload within CloudWatch’s 255 characters, distinct per workload', () => {
    const names = ['a', 'b'].map((last) => {
      const composites = Template.fromStack(tableDashboard({ workload: `${'w'.repeat(249)}${last}` })).findResources(
        'AWS::CloudWatch::CompositeAlarm',
      );
      return Object.values(composites)[0]!.Properties.AlarmName as string;
    });
    for (const name of names) {
      expect(name.length).toBeLessThanOrEqual(255);
      expect(name).toMatch(/^Workloads-w+-[0-9a-f]{12}-unhealthy$/);
    }
    expect(names[0]).not.toBe(names[1]);
  });

  it('describes a token maximum capacity by reference, not as an encoded number', () => {
    const stack = new Stack(new App(), 'TokenMax');
    const table = new dynamodb.Table(stack, 'Table', { partitionKey: { name: 'pk', type: dynamodb.AttributeType.STRING } });
    const maxCapacity = new CfnParameter(stack, 'Max', { type: 'Number' }).valueAsNumber;
    new WorkloadDashboard(stack, 'Dashboard', { workload: 'sessions', capacity: { kind: 'dynamodb', table, maxCapacity, capacity: 'read' } });
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Threshold: { Ref: 'Max' },
      AlarmDescription: { 'Fn::Join': ['', Match.arrayWith([{ Ref: 'Max' }])] },
    });
    expect(JSON.stringify(template.toJSON())).not.toMatch(/e\+2[89]\d/);
  });

  it('evaluates the forecast error over as many runs as fit in a day', () => {
    Template.fromStack(tableDashboard({ predictor: { interval: Duration.hours(12) } })).hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: 'ForecastErrorMAPE',
      Period: 43_200,
      EvaluationPeriods: 2,
      DatapointsToAlarm: 2,
    });
  });

  const rejected: [string, Partial<WorkloadDashboardProps>, RegExp][] = [
    [
      'a workload with characters CloudWatch rejects in a dimension',
      { workload: 'Bestellungen-Köln' },
      /WorkloadDashboard: workload "Bestellungen-Köln" cannot be a CloudWatch dimension value \(it contains "ö"/,
    ],
    ['a blank workload', { workload: '   ' }, /workload " {3}" cannot be a CloudWatch dimension value .*not all spaces/],
    ['a workload with a control character', { workload: 'orders\n' }, /it contains "\\n"/],
    [
      'a predictor interval whose stale alarm would look beyond a day',
      { predictor: { interval: Duration.days(1) } },
      /predictor.interval \(1 day\) must be between 1 minute and 12 hours/,
    ],
    [
      'a predictor interval that is not whole minutes',
      { predictor: { interval: Duration.seconds(90) } },
      /predictor.interval \(1 minute 30 seconds\) is not a whole number of minutes/,
    ],
    [
      'a predictor interval that is not whole seconds',
      { predictor: { interval: Duration.millis(60_500) } },
      /predictor.interval \(60.5 seconds\) is not a whole number of seconds/,
    ],
  ];
  for (const [name, props, message] of rejected) {
    it(`rejects ${name}`, () => {
      expect(() => tableDashboard(props)).toThrow(message);
    });
  }

  it('rejects a token predictor interval, from which the alarm periods are derived', () => {
    const stack = new Stack(new App(), 'TokenInterval');
    const table = new dynamodb.Table(stack, 'Table', { partitionKey: { name: 'pk', type: dynamodb.AttributeType.STRING } });
    const interval = Duration.seconds(new CfnParameter(stack, 'Interval', { type: 'Number' }).valueAsNumber);
    expect(
      () =>
        new WorkloadDashboard(stack, 'Dashboard', {
          workload: 'x',
          capacity: { kind: 'dynamodb', table, maxCapacity: 5, capacity: 'read' },
          predictor: { interval },
        }),
    ).toThrow(/predictor.interval is a token .* the alarms' periods are derived from it/);
  });
});

import { Duration, Stack } from 'aws-cdk-lib';
import { Match, type Template } from 'aws-cdk-lib/assertions';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as sns from 'aws-cdk-lib/aws-sns';
import { describe, expect, it } from 'vitest';
import { QueueScaledService, WorkloadDashboard } from '../../stacks/index.ts';
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
      for (const metric of ['PredictorSuccess', 'PredictorFailure', 'ForecastErrorMAPE', 'ForecastErrorMASE']) expect(body).toContain(metric);
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

    it('alarms when the predictor fails, and when it has not succeeded for two runs', () => {
      template.hasResourceProperties('AWS::CloudWatch::Alarm', { MetricName: 'PredictorFailure', Threshold: 0, Period: 3600 });
      template.hasResourceProperties('AWS::CloudWatch::Alarm', {
        MetricName: 'PredictorSuccess',
        Period: 7200,
        ComparisonOperator: 'LessThanThreshold',
        TreatMissingData: 'breaching',
      });
    });

    it('alarms when the forecast error is above 50% in two of three runs', () => {
      template.hasResourceProperties('AWS::CloudWatch::Alarm', { MetricName: 'ForecastErrorMAPE', Threshold: 50, DatapointsToAlarm: 2, EvaluationPeriods: 3 });
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
      () => new WorkloadDashboard(stack, 'Dashboard', { workload: 'x', capacity: { kind: 'dynamodb', table, maxCapacity: 5, capacity: 'write' }, capacityPinnedMinutes: 0.5 }),
    ).toThrow(/capacityPinnedMinutes must be a whole number between 1 and 1440, got 0.5/);
  });
});

import { Duration, Stack } from 'aws-cdk-lib';
import { Match } from 'aws-cdk-lib/assertions';
import * as appscaling from 'aws-cdk-lib/aws-applicationautoscaling';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { describe, expect, it } from 'vitest';
import { NativePredictiveScaling, PredictiveScaling, PredictorMode, QueueScaledService } from '../../stacks/index.ts';
import { fargateWorker } from '../support/ecs-fixture.ts';
import { checkedTemplate, nagCheckedApp } from '../support/template-checks.ts';

function predictedStack(): { stack: Stack; target: appscaling.ScalableTarget } {
  const stack = new Stack(nagCheckedApp(), 'Predicted');
  const { service, queue } = fargateWorker(stack);
  const scaling = new QueueScaledService(stack, 'Scaling', { service, queue, acceptableLatency: Duration.minutes(5), timePerMessage: Duration.seconds(2), maxCapacity: 40, workload: 'orders' });
  const predictor = new PredictiveScaling(stack, 'Predictor', { mode: PredictorMode.FORECAST_AND_SCALE });
  predictor.addTarget({
    workload: 'orders',
    scalableTarget: scaling.scalableTarget,
    load: [queue.metricNumberOfMessagesSent({ statistic: 'Sum', period: Duration.hours(1) })],
    unitThroughput: 0.5,
    floor: 1,
    max: 40,
  });
  return { stack, target: scaling.scalableTarget };
}

describe('PredictiveScaling', () => {
  const template = checkedTemplate(predictedStack().stack);

  it('runs the predictor hourly from EventBridge Scheduler', () => {
    template.hasResourceProperties('AWS::Scheduler::Schedule', { ScheduleExpression: 'rate(1 hour)' });
  });

  it('may write scheduled actions only on scalable targets tagged as managed by headroom', () => {
    template.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Action: ['application-autoscaling:PutScheduledAction', 'application-autoscaling:DeleteScheduledAction'],
            Condition: { StringEquals: { 'aws:ResourceTag/headroom:managed': 'true' } },
          }),
        ]),
      },
    });
  });

  it('is granted no register, deregister or policy action', () => {
    const policies = JSON.stringify(template.findResources('AWS::IAM::Policy'));
    for (const action of ['RegisterScalableTarget', 'DeregisterScalableTarget', 'PutScalingPolicy', 'DeleteScalingPolicy']) expect(policies).not.toContain(action);
  });

  it('tags the scalable targets it manages', () => {
    template.hasResourceProperties('AWS::ApplicationAutoScaling::ScalableTarget', { Tags: [{ Key: 'headroom:managed', Value: 'true' }] });
  });

  it('configures the predictor with the target, its load metric and forecastAndScale mode', () => {
    const functions = template.findResources('AWS::Lambda::Function', { Properties: { Description: Match.stringLikeRegexp('forecasts load') } });
    const config = JSON.stringify(Object.values(functions)[0]!.Properties.Environment.Variables.HEADROOM_PREDICTOR_CONFIG);
    for (const fragment of ['forecastAndScale', 'NumberOfMessagesSent', 'ecs:service:DesiredCount', '\\"workload\\":\\"orders\\"', '\\"unitThroughput\\":0.5']) expect(config).toContain(fragment);
  });

  it('alarms when a predictor run fails', () => {
    template.hasResourceProperties('AWS::CloudWatch::Alarm', { MetricName: 'Errors', Namespace: 'AWS/Lambda', Threshold: 0, Period: 3600 });
  });

  it('alarms when the predictor has not run for two intervals (a stale plan)', () => {
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: 'Invocations',
      Period: 7200,
      Threshold: 1,
      ComparisonOperator: 'LessThanThreshold',
      TreatMissingData: 'breaching',
    });
  });

  it('reads three weeks of history by default, so the weekly models can be backtested', () => {
    const functions = template.findResources('AWS::Lambda::Function', { Properties: { Description: Match.stringLikeRegexp('forecasts load') } });
    expect(JSON.stringify(Object.values(functions)[0]!.Properties.Environment.Variables.HEADROOM_PREDICTOR_CONFIG)).toContain('\\"historyDays\\":21');
  });

  it('rejects historyDays beyond the 63 days CloudWatch keeps 5-minute data, naming the prop', () => {
    const { stack } = predictedStack();
    expect(() => new PredictiveScaling(stack, 'LongMemory', { historyDays: 90 })).toThrow(/historyDays must be a whole number between 2 and 63, got 90/);
  });

  it('rejects a second target with the same workload, and a target outside ECS and DynamoDB', () => {
    const { stack, target } = predictedStack();
    const predictor = new PredictiveScaling(stack, 'Another');
    const load = [new cloudwatch.Metric({ namespace: 'X', metricName: 'Y' })];
    predictor.addTarget({ workload: 'w', scalableTarget: target, load, unitThroughput: 1, floor: 1, max: 2 });
    expect(() => predictor.addTarget({ workload: 'w', scalableTarget: target, load, unitThroughput: 1, floor: 1, max: 2 })).toThrow(/workload "w" is already managed/);
    const lambdaTarget = new appscaling.ScalableTarget(stack, 'Concurrency', { serviceNamespace: appscaling.ServiceNamespace.LAMBDA, resourceId: 'function:f:live', scalableDimension: 'lambda:function:ProvisionedConcurrency', minCapacity: 0, maxCapacity: 5 });
    expect(() => predictor.addTarget({ workload: 'l', scalableTarget: lambdaTarget, load, unitThroughput: 1, floor: 1, max: 2 })).toThrow(/scalableTarget is in the lambda namespace/);
  });
});

describe('NativePredictiveScaling', () => {
  it('declares AWS’s own predictive scaling policy for an ECS service, forecast only by default', () => {
    const stack = new Stack(nagCheckedApp(), 'Native');
    const { service, queue } = fargateWorker(stack);
    const scaling = new QueueScaledService(stack, 'Scaling', { service, queue, acceptableLatency: Duration.minutes(5), timePerMessage: Duration.seconds(2), maxCapacity: 10 });
    new NativePredictiveScaling(stack, 'Native', { scalableTarget: scaling.scalableTarget, targetValue: 60 });
    checkedTemplate(stack).hasResourceProperties('AWS::ApplicationAutoScaling::ScalingPolicy', {
      PolicyType: 'PredictiveScaling',
      PredictiveScalingPolicyConfiguration: {
        Mode: 'ForecastOnly',
        SchedulingBufferTime: 300,
        MetricSpecifications: [{ TargetValue: 60, PredefinedMetricPairSpecification: { PredefinedMetricType: 'ECSServiceCPUUtilization' } }],
      },
    });
  });
});

import { Duration, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { BacklogMetricSource, QueueScaledService, type QueueScaledServiceProps } from '../../stacks/index.ts';
import { fargateWorker } from '../support/ecs-fixture.ts';
import { checkedTemplate, nagCheckedApp } from '../support/template-checks.ts';

function scaledStack(overrides: Partial<QueueScaledServiceProps> = {}): Stack {
  const stack = new Stack(nagCheckedApp(), 'Scaled');
  const { service, queue } = fargateWorker(stack);
  new QueueScaledService(stack, 'Scaling', {
    service,
    queue,
    acceptableLatency: Duration.minutes(5),
    timePerMessage: Duration.seconds(3),
    maxCapacity: 30,
    workload: 'orders',
    ...overrides,
  });
  return stack;
}

function invalid(overrides: Partial<QueueScaledServiceProps>): () => Stack {
  return () => scaledStack(overrides);
}

describe('QueueScaledService', () => {
  describe('with the backlog publisher (default)', () => {
    const template = checkedTemplate(scaledStack({ burstStepScaling: true }));

    it('tracks backlog per task at acceptableLatency / timePerMessage', () => {
      template.hasResourceProperties('AWS::ApplicationAutoScaling::ScalingPolicy', {
        PolicyType: 'TargetTrackingScaling',
        TargetTrackingScalingPolicyConfiguration: {
          TargetValue: 100,
          ScaleInCooldown: 300,
          ScaleOutCooldown: 60,
          CustomizedMetricSpecification: {
            Namespace: 'Headroom',
            MetricName: 'BacklogPerTask',
            Dimensions: [{ Name: 'Workload', Value: 'orders' }],
            Statistic: 'Average',
          },
        },
      });
    });

    it('registers the service desired count between min and max capacity', () => {
      template.hasResourceProperties('AWS::ApplicationAutoScaling::ScalableTarget', {
        ScalableDimension: 'ecs:service:DesiredCount',
        ServiceNamespace: 'ecs',
        MinCapacity: 1,
        MaxCapacity: 30,
      });
    });

    it('removes DesiredCount from the service so a deploy does not reset the autoscaler', () => {
      const services = template.findResources('AWS::ECS::Service');
      expect(Object.values(services)).toHaveLength(1);
      expect(Object.values(services)[0]!.Properties).not.toHaveProperty('DesiredCount');
    });

    it('adds burst step scaling that adds 50% past twice the target and 100% past four times', () => {
      template.hasResourceProperties('AWS::ApplicationAutoScaling::ScalingPolicy', {
        PolicyType: 'StepScaling',
        StepScalingPolicyConfiguration: Match.objectLike({
          AdjustmentType: 'PercentChangeInCapacity',
          StepAdjustments: [
            { MetricIntervalLowerBound: 0, MetricIntervalUpperBound: 200, ScalingAdjustment: 50 },
            { MetricIntervalLowerBound: 200, ScalingAdjustment: 100 },
          ],
        }),
      });
      template.hasResourceProperties('AWS::CloudWatch::Alarm', {
        MetricName: 'BacklogPerTask',
        Threshold: 200,
        ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      });
    });

    it('registers the queue and service with the shared backlog publisher', () => {
      const functions = template.findResources('AWS::Lambda::Function', {
        Properties: { Environment: { Variables: { HEADROOM_METRIC_NAMESPACE: 'Headroom' } } },
      });
      expect(Object.keys(functions)).toHaveLength(1);
      const sources = JSON.stringify(Object.values(functions)[0]!.Properties.Environment.Variables.HEADROOM_BACKLOG_SOURCES);
      expect(sources).toContain('\\"workload\\":\\"orders\\"');
      expect(sources).toContain('\\"kind\\":\\"ecs\\"');
    });

    it('alarms when the oldest message waits longer than the acceptable latency', () => {
      template.hasResourceProperties('AWS::CloudWatch::Alarm', {
        Namespace: 'AWS/SQS',
        MetricName: 'ApproximateAgeOfOldestMessage',
        Threshold: 300,
        ComparisonOperator: 'GreaterThanThreshold',
      });
    });

    it('alarms when the queue’s own dead-letter queue is not empty', () => {
      template.hasResourceProperties('AWS::CloudWatch::Alarm', {
        Namespace: 'AWS/SQS',
        MetricName: 'ApproximateNumberOfMessagesVisible',
        Threshold: 0,
        Dimensions: [{ Name: 'QueueName', Value: { 'Fn::GetAtt': [Match.stringLikeRegexp('^DeadLetters'), 'QueueName'] } }],
      });
    });
  });

  describe('with metric math', () => {
    const template = checkedTemplate(scaledStack({ metricSource: BacklogMetricSource.METRIC_MATH }));

    it('tracks a metric-math backlog per task that never divides by zero running tasks', () => {
      template.hasResourceProperties('AWS::ApplicationAutoScaling::ScalingPolicy', {
        TargetTrackingScalingPolicyConfiguration: {
          TargetValue: 100,
          CustomizedMetricSpecification: {
            Metrics: Match.arrayWith([
              Match.objectLike({ Id: 'running', MetricStat: Match.objectLike({ Metric: Match.objectLike({ Namespace: 'ECS/ContainerInsights', MetricName: 'RunningTaskCount' }) }) }),
              Match.objectLike({ Id: 'backlogPerTask', ReturnData: true, Expression: 'IF(running > 0, (visible + inFlight) / running, visible + inFlight)' }),
            ]),
          },
        },
      });
    });

    it('needs no backlog publisher function', () => {
      Template.fromJSON(template.toJSON()).resourceCountIs('AWS::Lambda::Function', 0);
    });
  });

  describe('rejects at synth', () => {
    it('a minCapacity above maxCapacity, naming both props', () => {
      expect(invalid({ minCapacity: 5, maxCapacity: 3 })).toThrow(/minCapacity \(5\) is above maxCapacity \(3\)/);
    });

    it('a fractional maxCapacity', () => {
      expect(invalid({ maxCapacity: 2.5 })).toThrow(/maxCapacity must be a whole number >= 1, got 2.5/);
    });

    it('an acceptableLatency shorter than timePerMessage, with the fix', () => {
      expect(invalid({ acceptableLatency: Duration.seconds(1), timePerMessage: Duration.seconds(2) })).toThrow(
        /acceptableLatency .* is shorter than timePerMessage .* Raise acceptableLatency/,
      );
    });

    it('a zero timePerMessage', () => {
      expect(invalid({ timePerMessage: Duration.seconds(0) })).toThrow(/timePerMessage must be longer than zero/);
    });

    it('burst step scaling without the high-resolution publisher metric', () => {
      expect(invalid({ metricSource: BacklogMetricSource.METRIC_MATH, burstStepScaling: true })).toThrow(/burstStepScaling needs the high-resolution publisher metric/);
    });
  });
});

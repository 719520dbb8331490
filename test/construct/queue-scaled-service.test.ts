import { Duration, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { describe, expect, it } from 'vitest';
import { evaluateMetricMath } from '../../shared/metrics/math/index.ts';
import { BacklogMetricSource, QueueScaledService, type QueueScaledServiceProps } from '../../stacks/index.ts';
import { ScalingSignal } from '../../stacks/queue-scaled-service/queue-scaled-service.ts';
import { fargateWorker } from '../support/ecs-fixture.ts';
import { backlogSourcesText } from '../support/deployed-config.ts';
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

const REQUIRED_CAPACITY_EXPRESSION = '(((sent / 60) * 3) + (((visible + inFlight) * 3) / 105)) / IF(running > 1, running, 1)';

describe('QueueScaledService', () => {
  describe('by default (required capacity, from the backlog publisher)', () => {
    const template = checkedTemplate(scaledStack());

    it('tracks RequiredCapacityPerTask at 0.9, with scale-out after 1 minute and scale-in after 5', () => {
      template.hasResourceProperties('AWS::ApplicationAutoScaling::ScalingPolicy', {
        PolicyType: 'TargetTrackingScaling',
        TargetTrackingScalingPolicyConfiguration: {
          TargetValue: 0.9,
          ScaleInCooldown: 300,
          ScaleOutCooldown: 60,
          CustomizedMetricSpecification: {
            Namespace: 'Headroom',
            MetricName: 'RequiredCapacityPerTask',
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

    it('guards bursts with step scaling on the oldest message’s age: +25% at half the latency, +50% at three quarters', () => {
      template.hasResourceProperties('AWS::ApplicationAutoScaling::ScalingPolicy', {
        PolicyType: 'StepScaling',
        StepScalingPolicyConfiguration: Match.objectLike({
          AdjustmentType: 'PercentChangeInCapacity',
          MinAdjustmentMagnitude: 1,
          Cooldown: 60,
          StepAdjustments: [
            { MetricIntervalLowerBound: 0, MetricIntervalUpperBound: 75, ScalingAdjustment: 25 },
            { MetricIntervalLowerBound: 75, ScalingAdjustment: 50 },
          ],
        }),
      });
      template.hasResourceProperties('AWS::CloudWatch::Alarm', {
        Namespace: 'AWS/SQS',
        MetricName: 'ApproximateAgeOfOldestMessage',
        Statistic: 'Maximum',
        Period: 60,
        EvaluationPeriods: 1,
        Threshold: 150,
        ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      });
    });

    it('adds no scale-from-zero policy while minCapacity is above 0', () => {
      expect(JSON.stringify(template.toJSON())).not.toContain('BacklogWithoutCapacity');
    });

    it('registers the queue with its time per message, drain budget and measured metric with the shared publisher', () => {
      const functions = template.findResources('AWS::Lambda::Function', {
        Properties: { Environment: { Variables: { HEADROOM_METRIC_NAMESPACE: 'Headroom' } } },
      });
      expect(Object.keys(functions)).toHaveLength(1);
      const sources = backlogSourcesText(template);
      expect(sources).toContain('\\"workload\\":\\"orders\\"');
      // 3 s per message; drain budget half of (5 min - 90 s start-up) = 105 s.
      expect(sources).toContain('\\"requiredCapacity\\":{\\"timePerMessageMs\\":3000,\\"drainBudgetMs\\":105000');
      expect(sources).toContain('\\"metricName\\":\\"MessageProcessingTime\\"');
    });

    it('has the publisher publish only the signal its policy tracks', () => {
      expect(backlogSourcesText(template)).toContain('\\"metrics\\":[\\"RequiredCapacityPerTask\\"]');
    });

    it('has the publisher publish every metric it computes when diagnostic metrics are asked for', () => {
      expect(backlogSourcesText(Template.fromStack(scaledStack({ diagnosticMetrics: true })))).not.toContain('metrics\\":[');
    });

    it('lets the publisher read the queue’s NumberOfMessagesSent and the measured time per message', () => {
      template.hasResourceProperties('AWS::IAM::Policy', {
        PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Action: 'cloudwatch:GetMetricData', Resource: '*' })]) },
      });
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

  describe('scaled to zero', () => {
    const template = checkedTemplate(scaledStack({ minCapacity: 0 }));

    it('starts the first task with step scaling on BacklogWithoutCapacity (target tracking cannot leave zero)', () => {
      template.hasResourceProperties('AWS::CloudWatch::Alarm', {
        Namespace: 'Headroom',
        MetricName: 'BacklogWithoutCapacity',
        Statistic: 'Maximum',
        Period: 60,
        EvaluationPeriods: 1,
        Threshold: 0.5,
      });
      template.hasResourceProperties('AWS::ApplicationAutoScaling::ScalingPolicy', {
        PolicyType: 'StepScaling',
        StepScalingPolicyConfiguration: Match.objectLike({
          AdjustmentType: 'ChangeInCapacity',
          StepAdjustments: [{ MetricIntervalLowerBound: 0, ScalingAdjustment: 1 }],
        }),
      });
    });

    it('has the publisher publish BacklogWithoutCapacity beside the signal', () => {
      expect(backlogSourcesText(template)).toContain('\\"metrics\\":[\\"RequiredCapacityPerTask\\",\\"BacklogWithoutCapacity\\"]');
    });

    it('does the same in metric math from Container Insights’ desired task count, its precedence in parentheses', () => {
      const template = checkedTemplate(scaledStack({ minCapacity: 0, metricSource: BacklogMetricSource.METRIC_MATH }));
      const expression = 'IF((desired == 0) AND ((visible + inFlight) > 0), 1, 0)';
      template.hasResourceProperties('AWS::CloudWatch::Alarm', { Metrics: Match.arrayWith([Match.objectLike({ Expression: expression })]) });
      const series = { desired: [0, 0, 2, undefined], visible: [3, 0, 3, 3], inFlight: [0, 0, 0, 0] };
      // Messages and no task: 1; no messages, or tasks: 0; Container Insights silent: no datapoint, no step.
      expect(evaluateMetricMath(expression, { series, periodSeconds: 60 })).toEqual([1, 0, 0, undefined]);
    });

    it('warns at synth that metric math from zero waits on SQS metrics an inactive queue stops, and points to the publisher', () => {
      const stack = scaledStack({ minCapacity: 0, metricSource: BacklogMetricSource.METRIC_MATH });
      const warnings = Annotations.fromStack(stack).findWarning('*', Match.stringLikeRegexp('minCapacity: 0 with BacklogMetricSource.METRIC_MATH'));
      expect(warnings).toHaveLength(1);
      expect(JSON.stringify(warnings[0]!.entry.data)).toContain('up to 15 minutes');
    });
  });

  describe('with AWS’s backlog-per-task recipe', () => {
    const template = checkedTemplate(scaledStack({ signal: ScalingSignal.BACKLOG_PER_TASK }));

    it('tracks backlog per task at acceptableLatency / timePerMessage', () => {
      template.hasResourceProperties('AWS::ApplicationAutoScaling::ScalingPolicy', {
        TargetTrackingScalingPolicyConfiguration: Match.objectLike({
          TargetValue: 100,
          CustomizedMetricSpecification: Match.objectLike({ MetricName: 'BacklogPerTask' }),
        }),
      });
    });

    it('adds no burst guard unless asked, and registers no required-capacity settings', () => {
      template.resourcePropertiesCountIs('AWS::ApplicationAutoScaling::ScalingPolicy', { PolicyType: 'StepScaling' }, 0);
      expect(JSON.stringify(template.toJSON())).not.toContain('requiredCapacity');
    });
  });

  describe('with metric math', () => {
    const template = checkedTemplate(scaledStack({ metricSource: BacklogMetricSource.METRIC_MATH }));

    it('tracks required capacity per task in metric math: arrivals and the drained backlog per running task', () => {
      template.hasResourceProperties('AWS::ApplicationAutoScaling::ScalingPolicy', {
        TargetTrackingScalingPolicyConfiguration: {
          TargetValue: 0.9,
          ScaleInCooldown: 300,
          ScaleOutCooldown: 60,
          CustomizedMetricSpecification: {
            Metrics: Match.arrayWith([
              Match.objectLike({
                Id: 'sent',
                MetricStat: Match.objectLike({ Metric: Match.objectLike({ Namespace: 'AWS/SQS', MetricName: 'NumberOfMessagesSent' }), Stat: 'Sum' }),
              }),
              Match.objectLike({
                Id: 'running',
                MetricStat: Match.objectLike({ Metric: Match.objectLike({ Namespace: 'ECS/ContainerInsights', MetricName: 'RunningTaskCount' }) }),
              }),
              Match.objectLike({
                Id: 'signal',
                ReturnData: true,
                Expression: REQUIRED_CAPACITY_EXPRESSION,
              }),
            ]),
          },
        },
      });
    });

    it('evaluates, as CloudWatch would, to what the queue needs per running task, and to nothing for an inactive queue', () => {
      // 120 sent a minute at 3 s each is 6 tasks; 210 waiting drained in 105 s at 3 s each is 6 more: 12 over 4 running.
      const series = { sent: [120, 120, undefined], visible: [200, 0, undefined], inFlight: [10, 0, undefined], running: [4, 0, 4] };
      expect(evaluateMetricMath(REQUIRED_CAPACITY_EXPRESSION, { series, periodSeconds: 60 })).toEqual([3, 6, undefined]);
    });

    it('keeps AWS’s recipe expressible in metric math, never dividing by zero running tasks', () => {
      const recipe = checkedTemplate(scaledStack({ metricSource: BacklogMetricSource.METRIC_MATH, signal: ScalingSignal.BACKLOG_PER_TASK }));
      recipe.hasResourceProperties('AWS::ApplicationAutoScaling::ScalingPolicy', {
        TargetTrackingScalingPolicyConfiguration: Match.objectLike({
          TargetValue: 100,
          CustomizedMetricSpecification: {
            Metrics: Match.arrayWith([
              Match.objectLike({ Id: 'signal', Expression: 'IF(running > 0, (visible + inFlight) / running, visible + inFlight)' }),
            ]),
          },
        }),
      });
    });

    it('needs no backlog publisher function, and still guards bursts on the SQS age metric', () => {
      Template.fromJSON(template.toJSON()).resourceCountIs('AWS::Lambda::Function', 0);
      template.hasResourceProperties('AWS::CloudWatch::Alarm', { MetricName: 'ApproximateAgeOfOldestMessage', Threshold: 150 });
    });
  });

  describe('its dashboard', () => {
    const stack = new Stack(nagCheckedApp(), 'Dashboard');
    const { service, queue } = fargateWorker(stack);
    new QueueScaledService(stack, 'Scaling', {
      service,
      queue,
      acceptableLatency: Duration.minutes(5),
      timePerMessage: Duration.seconds(3),
      maxCapacity: 30,
      workload: 'orders',
    }).addDashboard();
    const template = checkedTemplate(stack);
    const body = JSON.stringify(Object.values(template.findResources('AWS::CloudWatch::Dashboard'))[0]!.Properties.DashboardBody);

    it('plots the scaling signal against its target', () => {
      expect(body).toContain('Required capacity per task vs target');
      expect(body).toContain('RequiredCapacityPerTask');
    });

    it('plots measured against declared time per message', () => {
      expect(body).toContain('Time per message: measured vs declared (ms)');
      expect(body).toContain('MessageProcessingTime');
    });

    it('alarms when measured and declared time per message differ by more than 2x either way', () => {
      template.hasResourceProperties('AWS::CloudWatch::Alarm', {
        Threshold: 2,
        ComparisonOperator: 'GreaterThanThreshold',
        TreatMissingData: 'notBreaching',
        Metrics: Match.arrayWith([
          Match.objectLike({ Expression: 'MAX([measured / 3000, 3000 / measured])' }),
          Match.objectLike({
            Id: 'measured',
            MetricStat: Match.objectLike({
              Metric: Match.objectLike({ MetricName: 'MessageProcessingTime', Dimensions: [{ Name: 'Workload', Value: 'orders' }] }),
            }),
          }),
        ]),
      });
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

    it('a targetUtilization outside [0.5, 1], with the fix', () => {
      expect(invalid({ targetUtilization: 1.2 })).toThrow(/targetUtilization must be between 0.5 and 1, got 1.2\. Use 0.9/);
    });

    it('a targetUtilization with AWS’s recipe, which has its own target', () => {
      expect(invalid({ signal: ScalingSignal.BACKLOG_PER_TASK, targetUtilization: 0.8 })).toThrow(
        /targetUtilization is the RequiredCapacityPerTask target/,
      );
    });

    it('a measured time per message with metric math, which cannot read it', () => {
      const measured = new cloudwatch.Metric({ namespace: 'Headroom', metricName: 'MessageProcessingTime' });
      expect(invalid({ metricSource: BacklogMetricSource.METRIC_MATH, measuredTimePerMessage: measured })).toThrow(
        /measuredTimePerMessage is read by the backlog publisher only/,
      );
    });
  });
});

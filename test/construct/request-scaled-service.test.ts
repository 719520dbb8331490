import { Duration, Stack, Token, Validations } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as ecsPatterns from 'aws-cdk-lib/aws-ecs-patterns';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Match, type Template } from 'aws-cdk-lib/assertions';
import { evaluateMetricMath, implicitPrecedence, parseMetricMath } from '../../shared/metrics/math/index.ts';
import { describe, expect, it } from 'vitest';
import { RequestScaledService, type RequestScaledServiceProps } from '../../stacks/request-scaled-service/request-scaled-service.ts';
import { fitRequiredTasks, requiredTasks } from '../../shared/request-scaling/required-tasks.ts';
import { PredictiveScaling } from '../../stacks/predictive-scaling/index.ts';
import { predictorConfigText } from '../support/deployed-config.ts';
import { checkedTemplate, nagCheckedApp } from '../support/template-checks.ts';

/** A cdk-nag-clean web service behind an ALB, the way aws-ecs-patterns builds it. */
function webService(stack: Stack): ecsPatterns.ApplicationLoadBalancedFargateService {
  const vpc = new ec2.Vpc(stack, 'Vpc', { maxAzs: 2, natGateways: 1, flowLogs: { all: { trafficType: ec2.FlowLogTrafficType.REJECT } } });
  const cluster = new ecs.Cluster(stack, 'Cluster', { vpc, containerInsightsV2: ecs.ContainerInsights.ENABLED });
  const web = new ecsPatterns.ApplicationLoadBalancedFargateService(stack, 'Web', {
    cluster,
    minHealthyPercent: 100,
    taskImageOptions: {
      image: ecs.ContainerImage.fromRegistry('public.ecr.aws/nginx/nginx:stable'),
      logDriver: ecs.LogDrivers.awsLogs({ streamPrefix: 'web', logGroup: new logs.LogGroup(stack, 'Logs') }),
    },
  });
  Validations.of(web.loadBalancer).acknowledge({ id: 'AwsSolutions-ELB2', reason: 'test fixture: access logs need a region-bound bucket' });
  Validations.of(web.taskDefinition).acknowledge({ id: 'AwsSolutions-ECS2', reason: 'test fixture' });
  Validations.of(web.loadBalancer).acknowledge({ id: 'AwsSolutions-EC23', reason: 'test fixture: a public web service' });
  return web;
}

function scaledStack(overrides: Partial<RequestScaledServiceProps> = {}, extend?: (scaling: RequestScaledService, stack: Stack) => void): Stack {
  const stack = new Stack(nagCheckedApp(), 'Web');
  const web = webService(stack);
  const scaling = new RequestScaledService(stack, 'Scaling', {
    loadBalancedService: web,
    requestsPerSecondPerTask: 40,
    latencySlo: Duration.millis(500),
    maxCapacity: 20,
    workload: 'checkout',
    ...overrides,
  });
  extend?.(scaling, stack);
  return stack;
}

const RESOURCE_LABEL = {
  'Fn::Join': [
    '',
    [
      { 'Fn::GetAtt': [Match.stringLikeRegexp('^WebLB'), 'LoadBalancerFullName'] },
      '/',
      { 'Fn::GetAtt': [Match.stringLikeRegexp('^WebLBPublicListenerECSGroup'), 'TargetGroupFullName'] },
    ],
  ],
};

type PolicyResource = {
  Properties: { TargetTrackingScalingPolicyConfiguration: { CustomizedMetricSpecification: { Metrics: { Id: string; Expression?: string }[] } } };
};
const trackingPolicy = (template: Template): PolicyResource =>
  Object.values(
    template.findResources('AWS::ApplicationAutoScaling::ScalingPolicy', { Properties: { PolicyType: 'TargetTrackingScaling' } }),
  )[0] as PolicyResource;
const signalExpression = (policy: PolicyResource): string =>
  policy.Properties.TargetTrackingScalingPolicyConfiguration.CustomizedMetricSpecification.Metrics.find((metric) => metric.Id === 'signal')!
    .Expression!;

describe('RequestScaledService', () => {
  describe('with an ApplicationLoadBalancedFargateService', () => {
    const template = checkedTemplate(
      scaledStack({}, (scaling) => {
        scaling.addSloAlarms({ objective: 0.999 });
        scaling.addNativePredictiveScaling();
        scaling.addDashboard();
      }),
    );

    it('tracks RequiredTasksPerTask at 0.7: metric math over the target group’s RequestCount, the running and the healthy tasks', () => {
      const dimensions = [
        { Name: 'LoadBalancer', Value: Match.anyValue() },
        { Name: 'TargetGroup', Value: Match.anyValue() },
      ];
      template.hasResourceProperties('AWS::ApplicationAutoScaling::ScalingPolicy', {
        PolicyType: 'TargetTrackingScaling',
        TargetTrackingScalingPolicyConfiguration: {
          TargetValue: 0.7,
          ScaleInCooldown: 300,
          ScaleOutCooldown: 180,
          CustomizedMetricSpecification: {
            Metrics: [
              {
                Id: 'requests',
                ReturnData: false,
                MetricStat: {
                  Metric: { Namespace: 'AWS/ApplicationELB', MetricName: 'RequestCount', Dimensions: Match.arrayEquals(dimensions) },
                  Stat: 'Sum',
                },
              },
              {
                Id: 'running',
                ReturnData: false,
                MetricStat: {
                  Metric: {
                    Namespace: 'ECS/ContainerInsights',
                    MetricName: 'RunningTaskCount',
                    Dimensions: Match.arrayEquals([
                      { Name: 'ClusterName', Value: Match.anyValue() },
                      { Name: 'ServiceName', Value: Match.anyValue() },
                    ]),
                  },
                  Stat: 'Average',
                },
              },
              {
                Id: 'healthy',
                ReturnData: false,
                MetricStat: {
                  Metric: { Namespace: 'AWS/ApplicationELB', MetricName: 'HealthyHostCount', Dimensions: Match.arrayEquals(dimensions) },
                  Stat: 'Average',
                },
              },
              {
                Id: 'signal',
                ReturnData: true,
                Expression: Match.stringLikeRegexp(
                  '^\\(\\(FILL\\(requests, 0\\) / 2[0-9.]+\\) \\+ .*\\) / MAX\\(\\[FILL\\(running, 0\\), FILL\\(healthy, 0\\), 1\\]\\)$',
                ),
              },
            ],
          },
        },
      });
    });

    it('counts, in its metric math, at least the tasks Erlang C asks for at every fleet size up to maxCapacity', () => {
      const expression = signalExpression(trackingPolicy(template));
      // Evaluate the deployed formula for one running task, as CloudWatch would, against the fitted curve it was written from.
      const evaluate = (requestsPerMinute: number) =>
        (
          evaluateMetricMath(expression, { series: { requests: [requestsPerMinute], running: [1], healthy: [1] }, periodSeconds: 60 }) as number[]
        )[0]!;
      const curve = fitRequiredTasks(40, 0.5, 20);
      for (const requestsPerSecond of [1, 30, 41, 200, 750]) {
        expect(evaluate(requestsPerSecond * 60)).toBeGreaterThanOrEqual(requiredTasks(curve, requestsPerSecond) - 1e-12);
        expect(evaluate(requestsPerSecond * 60)).toBeLessThan(requiredTasks(curve, requestsPerSecond) + 1e-3);
      }
    });

    it('writes out its precedence: no ^ next to another operator without parentheses', () => {
      expect(implicitPrecedence(parseMetricMath(signalExpression(trackingPolicy(template))))).toEqual([]);
    });

    it('reads a minute without requests (no RequestCount reported) as zero, so target tracking can scale an idle fleet in', () => {
      const expression = signalExpression(trackingPolicy(template));
      const series = { requests: [undefined, undefined], running: [10, 10], healthy: [10, 10] };
      const [idle] = evaluateMetricMath(expression, { series, periodSeconds: 60 }) as number[];
      // A datapoint (not missing data), under the low alarm's 90% of the 0.7 target.
      expect(idle).toBeDefined();
      expect(idle!).toBeLessThan(0.9 * 0.7);
    });

    it('divides by the running tasks ECS scales from, by the healthy targets where Container Insights is silent, by at least one', () => {
      const expression = signalExpression(trackingPolicy(template));
      const needed = (
        evaluateMetricMath(expression, { series: { requests: [6000], running: [1], healthy: [1] }, periodSeconds: 60 }) as number[]
      )[0]!;
      const series = { requests: [6000, 6000, 6000], running: [8, undefined, 0], healthy: [5, 4, 0] };
      expect(evaluateMetricMath(expression, { series, periodSeconds: 60 })).toEqual([needed / 8, needed / 4, needed]);
    });

    it('guards latency with step scaling on p99 TargetResponseTime over the SLO for one minute: +25%, +50% over twice the SLO', () => {
      template.hasResourceProperties('AWS::ApplicationAutoScaling::ScalingPolicy', {
        PolicyType: 'StepScaling',
        StepScalingPolicyConfiguration: {
          AdjustmentType: 'PercentChangeInCapacity',
          MinAdjustmentMagnitude: 1,
          Cooldown: 180,
          MetricAggregationType: 'Maximum',
          StepAdjustments: [
            { MetricIntervalLowerBound: 0, MetricIntervalUpperBound: 0.5, ScalingAdjustment: 25 },
            { MetricIntervalLowerBound: 0.5, ScalingAdjustment: 50 },
          ],
        },
      });
      template.hasResourceProperties('AWS::CloudWatch::Alarm', {
        MetricName: 'TargetResponseTime',
        ExtendedStatistic: 'p99',
        Period: 60,
        Threshold: 0.5,
        ComparisonOperator: 'GreaterThanOrEqualToThreshold',
        EvaluationPeriods: 1,
        DatapointsToAlarm: 1,
      });
    });

    it('adds no scale-in step on latency: target tracking alone scales in', () => {
      const lowerAlarms = Object.values(template.findResources('AWS::CloudWatch::Alarm')).filter(
        (alarm) => alarm.Properties.MetricName === 'TargetResponseTime' && String(alarm.Properties.ComparisonOperator).startsWith('LessThan'),
      );
      expect(lowerAlarms).toHaveLength(0);
    });

    it('registers the service desired count between min and max and removes DesiredCount from the service', () => {
      template.hasResourceProperties('AWS::ApplicationAutoScaling::ScalableTarget', {
        ScalableDimension: 'ecs:service:DesiredCount',
        MinCapacity: 1,
        MaxCapacity: 20,
      });
      expect(Object.values(template.findResources('AWS::ECS::Service'))[0]!.Properties).not.toHaveProperty('DesiredCount');
    });

    it('alarms when the p99 has been over the latency SLO for 3 minutes', () => {
      template.hasResourceProperties('AWS::CloudWatch::Alarm', {
        MetricName: 'TargetResponseTime',
        ExtendedStatistic: 'p99',
        Threshold: 0.5,
        ComparisonOperator: 'GreaterThanThreshold',
        EvaluationPeriods: 3,
        DatapointsToAlarm: 3,
      });
    });

    it('declares AWS predictive scaling on the ALBRequestCount pair with the derived resource label, at what one task serves within the SLO', () => {
      template.hasResourceProperties('AWS::ApplicationAutoScaling::ScalingPolicy', {
        PolicyType: 'PredictiveScaling',
        PredictiveScalingPolicyConfiguration: {
          Mode: 'ForecastOnly',
          SchedulingBufferTime: 300,
          MetricSpecifications: [
            { TargetValue: 40 * 60, PredefinedMetricPairSpecification: { PredefinedMetricType: 'ALBRequestCount', ResourceLabel: RESOURCE_LABEL } },
          ],
        },
      });
    });

    it('builds latency and availability burn-rate alerts: three composite pairs each', () => {
      const composites = Object.values(template.findResources('AWS::CloudWatch::CompositeAlarm')).filter((alarm) =>
        /burning/.test(alarm.Properties.AlarmDescription),
      );
      expect(composites).toHaveLength(6);
    });

    it('measures latency events by TargetResponseTime’s percentile rank at the SLO', () => {
      template.hasResourceProperties('AWS::CloudWatch::Alarm', {
        Threshold: Match.anyValue(),
        Metrics: Match.arrayWith([
          Match.objectLike({
            MetricStat: Match.objectLike({ Metric: Match.objectLike({ MetricName: 'TargetResponseTime' }), Stat: 'PR(:0.5)', Period: 3600 }),
          }),
        ]),
      });
    });

    /** The 5-minute window alarm whose metrics include `id`: its queries, and its expression. */
    const windowAlarm = (id: string) => {
      const alarm = Object.values(template.findResources('AWS::CloudWatch::Alarm')).find((candidate) =>
        (candidate.Properties.Metrics ?? []).some((query: { Id: string }) => query.Id === id),
      )!;
      const queries = alarm.Properties.Metrics as {
        Id: string;
        Expression?: string;
        MetricStat?: { Metric: { MetricName: string; Dimensions: { Name: string }[] }; Stat: string };
      }[];
      return { queries, expression: queries.find((query) => query.Expression)!.Expression! };
    };
    const share = (expression: string, series: Record<string, (number | undefined)[]>) =>
      evaluateMetricMath(expression, { series, periodSeconds: 300 });

    it('counts the load balancer’s own 5xx (HTTPCode_ELB_5XX_Count, LoadBalancer dimension only) with the targets’ as errors', () => {
      const { queries } = windowAlarm('elbBad5m');
      const elb = queries.find((query) => query.Id === 'elbBad5m')!.MetricStat!;
      expect(elb.Metric.MetricName).toBe('HTTPCode_ELB_5XX_Count');
      expect(elb.Metric.Dimensions.map((dimension) => dimension.Name)).toEqual(['LoadBalancer']);
      expect(queries.find((query) => query.Id === 'targetBad5m')!.MetricStat!.Metric.MetricName).toBe('HTTPCode_Target_5XX_Count');
    });

    it('reads a crashed fleet as down: with no target answering, the load balancer’s 503s are all the requests', () => {
      const { expression } = windowAlarm('elbBad5m');
      // ALB reports none of RequestCount, target 5xx for a fleet that never got a request routed; only ELB 5xx.
      expect(share(expression, { targetBad5m: [undefined, 3], elbBad5m: [120, undefined], total5m: [undefined, 100] })).toEqual([1, 0.03]);
      // No request at all: no datapoint (not breaching), rather than a share of nothing.
      expect(share(expression, { targetBad5m: [undefined], elbBad5m: [undefined], total5m: [undefined] })).toEqual([undefined]);
    });

    it('counts requests the load balancer timed out (no TargetResponseTime datapoint) against the latency SLO', () => {
      const { queries, expression } = windowAlarm('timedOut5m');
      expect(queries.find((query) => query.Id === 'timedOut5m')!.MetricStat!.Metric.MetricName).toBe('HTTPCode_ELB_504_Count');
      expect(queries.find((query) => query.Id === 'responses5m')!.MetricStat!.Stat).toBe('SampleCount');
      // 90 responses, 99% of them within the SLO, and 10 timeouts: (0.9 + 10) / 100 bad.
      expect((share(expression, { fast5m: [99], responses5m: [90], timedOut5m: [10] }) as number[])[0]).toBeCloseTo(0.109, 10);
      // A hung fleet: no response at all, every request timed out.
      expect(share(expression, { fast5m: [undefined], responses5m: [undefined], timedOut5m: [40] })).toEqual([1]);
    });

    it('folds the latency breach and the page alerts into the dashboard’s unhealthy alarm', () => {
      const unhealthy = Object.values(template.findResources('AWS::CloudWatch::CompositeAlarm')).find((alarm) =>
        /unhealthy/.test(String(alarm.Properties.AlarmDescription)),
      )!;
      const rule = JSON.stringify(unhealthy.Properties.AlarmRule);
      expect(rule.match(/ALARM\(/g)!.length).toBe(1 /* capacity pinned */ + 1 /* latency breach */ + 4 /* page pairs: 2 SLIs x 2 */);
    });

    it('shows required tasks per task, p99 vs SLO, burn rates and error budgets on the dashboard', () => {
      const body = JSON.stringify(
        Object.values(template.findResources('AWS::CloudWatch::Dashboard')).map((dashboard) => dashboard.Properties.DashboardBody),
      );
      for (const title of [
        'Required tasks per task vs target',
        'p99 response time vs SLO (seconds)',
        'Error budget remaining: requests slower than 500 ms or timed out (objective 99.90%)',
        'Burn rate: requests answered 5xx by a target or the load balancer',
      ]) {
        expect(body).toContain(title);
      }
    });
  });

  describe('with a service, target group and load balancer of the user’s', () => {
    it('derives the resource label from their full names', () => {
      const stack = new Stack(nagCheckedApp(), 'Own');
      const web = webService(stack);
      const scaling = new RequestScaledService(stack, 'Scaling', {
        service: web.service,
        targetGroup: web.targetGroup,
        loadBalancer: web.loadBalancer,
        requestsPerSecondPerTask: 10,
        latencySlo: Duration.seconds(1),
        maxCapacity: 8,
        latencyGuard: false,
      });
      expect(stack.resolve(scaling.resourceLabel)).toEqual(
        stack.resolve(`${web.loadBalancer.loadBalancerFullName}/${web.targetGroup.targetGroupFullName}`),
      );
      const template = checkedTemplate(stack);
      template.resourcePropertiesCountIs('AWS::ApplicationAutoScaling::ScalingPolicy', { PolicyType: 'StepScaling' }, 0);
    });
  });

  describe('the required-tasks target', () => {
    it('is targetUtilization when given', () => {
      const policies = checkedTemplate(scaledStack({ targetUtilization: 0.85 })).findResources('AWS::ApplicationAutoScaling::ScalingPolicy', {
        Properties: { PolicyType: 'TargetTrackingScaling' },
      });
      expect(Object.values(policies)[0]!.Properties.TargetTrackingScalingPolicyConfiguration.TargetValue).toBe(0.85);
    });

    it('exposes the fitted curve it scales on', () => {
      const stack = new Stack(nagCheckedApp(), 'Curve');
      const scaling = new RequestScaledService(stack, 'Scaling', {
        loadBalancedService: webService(stack),
        requestsPerSecondPerTask: 40,
        latencySlo: Duration.millis(500),
        maxCapacity: 20,
      });
      expect(scaling.requiredTasks).toEqual(fitRequiredTasks(40, 0.5, 20));
    });
  });

  describe('with headroom’s predictor', () => {
    it('adds the target group’s hourly RequestCount as the load, at the one-task rate within the SLO, planned from the p50 at utilization 1', () => {
      const template = checkedTemplate(
        scaledStack({ minCapacity: 2 }, (scaling, stack) => {
          const predictor = new PredictiveScaling(stack, 'Predictor');
          scaling.addPredictiveScaling(predictor);
        }),
      );
      const config = predictorConfigText(template);
      expect(config).toContain('\\"metricName\\":\\"RequestCount\\"');
      expect(config).toContain('\\"stat\\":\\"Sum\\"');
      // What one task serves within the SLO: a floor never asks for fewer tasks than the forecast needs at any fleet size.
      expect(config).toContain('\\"unitThroughput\\":40,');
      expect(config).toMatch(/\\"minCapacity\\":2,\\"maxCapacity\\":20/);
      expect(config).toMatch(/\\"targetUtilization\\":1\b/);
      expect(config).toContain('\\"quantile\\":\\"p50\\"');
      template.hasResourceProperties('AWS::ApplicationAutoScaling::ScalableTarget', {
        Tags: Match.arrayWith([{ Key: 'headroom:managed', Value: 'true' }]),
      });
    });
  });

  describe('validation', () => {
    const invalid = (overrides: Partial<RequestScaledServiceProps>) => () => scaledStack(overrides);

    it('names a missing part of the service, target group and load balancer', () => {
      const stack = new Stack(nagCheckedApp(), 'Missing');
      const web = webService(stack);
      expect(
        () =>
          new RequestScaledService(stack, 'Scaling', {
            service: web.service,
            targetGroup: web.targetGroup,
            requestsPerSecondPerTask: 1,
            latencySlo: Duration.seconds(1),
            maxCapacity: 2,
          }),
      ).toThrow(
        /RequestScaledService: loadBalancer is missing\. Give service, targetGroup and loadBalancer together \(missing: loadBalancer\), or loadBalancedService\./,
      );
    });

    it('refuses both a load-balanced service and a service of the user’s', () => {
      const stack = new Stack(nagCheckedApp(), 'Both');
      const web = webService(stack);
      expect(
        () =>
          new RequestScaledService(stack, 'Scaling', {
            loadBalancedService: web,
            service: web.service,
            requestsPerSecondPerTask: 1,
            latencySlo: Duration.seconds(1),
            maxCapacity: 2,
          }),
      ).toThrow(/loadBalancedService is given with service/);
    });

    it.each([
      [{ requestsPerSecondPerTask: 0 }, /requestsPerSecondPerTask must be a positive number, got 0\. Load-test one task/],
      [{ latencySlo: Duration.seconds(0) }, /latencySlo must be longer than zero/],
      [{ latencySlo: Duration.hours(2) }, /latencySlo \(2 hours\) is longer than an hour/],
      [{ targetUtilization: 80 }, /targetUtilization must be a fraction in \(0, 1\], got 80\. Use for example 0.7 \(not a percentage\)/],
      [{ minCapacity: 30 }, /minCapacity \(30\) is above maxCapacity \(20\)/],
      [{ maxCapacity: 0 }, /maxCapacity must be a whole number between 1 and 5000, got 0/],
      [{ latencyGuardMinutes: 0 }, /latencyGuardMinutes must be a whole number between 1 and 1440/],
      [{ requestsPerSecondPerTask: Token.asNumber({ Ref: 'Rate' }) }, /requestsPerSecondPerTask is a token\. Give a number known at synth/],
      [{ latencyGuard: false, latencyGuardMinutes: 3 }, /latencyGuardMinutes is set but latencyGuard is false/],
    ])('refuses %o, naming the prop', (overrides, message) => {
      expect(invalid(overrides as Partial<RequestScaledServiceProps>)).toThrow(message);
    });

    it('refuses a native scheduling buffer over an hour', () => {
      expect(() => scaledStack({}, (scaling) => scaling.addNativePredictiveScaling({ schedulingBuffer: Duration.hours(2) }))).toThrow(
        /NativePredictiveScaling: schedulingBuffer is over AWS’s limit of 1 hour/,
      );
    });
  });
});

// The target group type is part of the public props: keep it the class that has targetGroupFullName.
void elbv2.ApplicationTargetGroup;

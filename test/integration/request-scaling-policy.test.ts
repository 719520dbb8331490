// moto 5.2.1 cannot deploy a target group's Fn::GetAtt (README: local-AWS limits), so RequestScaledService's
// RequiredTasksPerTask policy goes to the local Application Auto Scaling through the SDK, exactly as synthesized with
// the load balancer's and target group's full names filled in, and is read back from what moto stores.
import {
  ApplicationAutoScalingClient,
  DescribeScalingPoliciesCommand,
  PutScalingPolicyCommand,
  RegisterScalableTargetCommand,
  type TargetTrackingScalingPolicyConfiguration,
} from '@aws-sdk/client-application-auto-scaling';
import { CreateClusterCommand, CreateServiceCommand, ECSClient, RegisterTaskDefinitionCommand } from '@aws-sdk/client-ecs';
import { App, Duration, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as ecsPatterns from 'aws-cdk-lib/aws-ecs-patterns';
import { beforeAll, describe, expect, it } from 'vitest';
import { RequestScaledService } from '../../stacks/request-scaled-service/request-scaled-service.ts';
import { uniqueName } from '../support/names.ts';

const LOAD_BALANCER = 'app/checkout/50dc6c495c0c9188';
const TARGET_GROUP = 'targetgroup/checkout/73e2d6bc24d8a067';

/** The synthesized RequiredTasksPerTask policy configuration, with the full names CloudFormation would resolve. */
function synthesizedConfiguration(): TargetTrackingScalingPolicyConfiguration {
  const stack = new Stack(new App(), 'Web');
  const cluster = new ecs.Cluster(stack, 'Cluster', { vpc: new ec2.Vpc(stack, 'Vpc', { maxAzs: 2, natGateways: 0 }) });
  const web = new ecsPatterns.ApplicationLoadBalancedFargateService(stack, 'Checkout', {
    cluster,
    taskImageOptions: { image: ecs.ContainerImage.fromRegistry('public.ecr.aws/nginx/nginx:stable') },
  });
  new RequestScaledService(stack, 'Scaling', {
    loadBalancedService: web,
    requestsPerSecondPerTask: 40,
    latencySlo: Duration.millis(500),
    maxCapacity: 20,
  });
  const [policy] = Object.values(
    Template.fromStack(stack).findResources('AWS::ApplicationAutoScaling::ScalingPolicy', { Properties: { PolicyType: 'TargetTrackingScaling' } }),
  );
  const fullNames: Record<string, string> = { LoadBalancer: LOAD_BALANCER, TargetGroup: TARGET_GROUP };
  const resolved = JSON.stringify(policy!.Properties.TargetTrackingScalingPolicyConfiguration, (key, value) =>
    key === 'Dimensions' ? (value as Array<{ Name: string }>).map(({ Name }) => ({ Name, Value: fullNames[Name] })) : value,
  );
  return JSON.parse(resolved) as TargetTrackingScalingPolicyConfiguration;
}

describe('the RequiredTasksPerTask policy on the local Application Auto Scaling', () => {
  const autoscaling = new ApplicationAutoScalingClient({});
  const clusterName = uniqueName('web');
  const resourceId = `service/${clusterName}/checkout`;
  let configuration: TargetTrackingScalingPolicyConfiguration;

  beforeAll(async () => {
    const ecsClient = new ECSClient({});
    await ecsClient.send(new CreateClusterCommand({ clusterName }));
    const family = uniqueName('checkout');
    await ecsClient.send(
      new RegisterTaskDefinitionCommand({ family, containerDefinitions: [{ name: 'web', image: 'public.ecr.aws/nginx/nginx:stable', memory: 512 }] }),
    );
    await ecsClient.send(new CreateServiceCommand({ cluster: clusterName, serviceName: 'checkout', taskDefinition: family, desiredCount: 1 }));
    await autoscaling.send(
      new RegisterScalableTargetCommand({
        ServiceNamespace: 'ecs',
        ResourceId: resourceId,
        ScalableDimension: 'ecs:service:DesiredCount',
        MinCapacity: 1,
        MaxCapacity: 20,
      }),
    );
    configuration = synthesizedConfiguration();
    await autoscaling.send(
      new PutScalingPolicyCommand({
        PolicyName: 'checkout-required-tasks',
        ServiceNamespace: 'ecs',
        ResourceId: resourceId,
        ScalableDimension: 'ecs:service:DesiredCount',
        PolicyType: 'TargetTrackingScaling',
        TargetTrackingScalingPolicyConfiguration: configuration,
      }),
    );
  });

  it('stores the metric math over RequestCount, RunningTaskCount and HealthyHostCount, at the target, as synthesized', async () => {
    const { ScalingPolicies } = await autoscaling.send(new DescribeScalingPoliciesCommand({ ServiceNamespace: 'ecs', ResourceId: resourceId }));
    expect(ScalingPolicies).toHaveLength(1);
    const stored = ScalingPolicies![0]!.TargetTrackingScalingPolicyConfiguration!;
    expect(stored.TargetValue).toBe(0.7);
    const metrics = stored.CustomizedMetricSpecification!.Metrics!;
    expect(metrics.map((metric) => metric.Id)).toEqual(['requests', 'running', 'healthy', 'signal']);
    expect(metrics[0]!.MetricStat).toMatchObject({
      Metric: {
        Namespace: 'AWS/ApplicationELB',
        MetricName: 'RequestCount',
        Dimensions: expect.arrayContaining([{ Name: 'TargetGroup', Value: TARGET_GROUP }]),
      },
      Stat: 'Sum',
    });
    expect(metrics[1]!.MetricStat).toMatchObject({ Metric: { Namespace: 'ECS/ContainerInsights', MetricName: 'RunningTaskCount' }, Stat: 'Average' });
    expect(metrics[2]!.MetricStat).toMatchObject({ Metric: { MetricName: 'HealthyHostCount' }, Stat: 'Average' });
    expect(metrics[3]).toMatchObject({
      ReturnData: true,
      Expression: configuration.CustomizedMetricSpecification!.Metrics![3]!.Expression,
    });
    expect(metrics[3]!.Expression).toMatch(
      /^\(\(FILL\(requests, 0\) \/ [\d.]+\)( \+ \([\d.]+ \* \(\(FILL\(requests, 0\) \/ [\d.]+\) \^ 0\.5\)\))? \+ [\d.]+\) \/ MAX\(\[FILL\(running, 0\), FILL\(healthy, 0\), 1\]\)$/,
    );
  });
});

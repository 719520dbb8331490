import { App, Duration, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as appscaling from 'aws-cdk-lib/aws-applicationautoscaling';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { describe, expect, it } from 'vitest';
import { BacklogPublisher, OverviewDashboard, PredictiveScaling, QueueScaledService } from '../../stacks/index.ts';
import { checkDeployLimits, environmentBound, LAMBDA_ENVIRONMENT_MAX_BYTES } from '../../stacks/common/deploy-limits.ts';
import { deployedLengthBound } from '../../stacks/common/deployed-length.ts';
import { HeadroomFunction } from '../../stacks/common/headroom-function.ts';
import { SHARD_MAX_BYTES } from '../../shared/config-shards/config-shards.ts';
import { fargateWorker } from '../support/ecs-fixture.ts';
import { configShardValues } from '../support/deployed-config.ts';
import { assertCfnLintClean } from '../support/template-checks.ts';

const WORKLOADS = 200;

/** Logical id -> type, from a synthesized template. */
function typesOf(template: Template): Map<string, string> {
  const resources = template.toJSON().Resources as Record<string, { Type: string }>;
  return new Map(Object.entries(resources).map(([id, resource]) => [id, resource.Type]));
}

/**
 * A platform team's stack at the size the issue asks for: 200 queue workers, each with its own queue (a token
 * URL and name), a scalable target in a shared cluster (a token cluster name), a predictor target with a floor
 * tuning and a publisher source with RequiredCapacityPerTask: the configuration as QueueScaledService writes it,
 * without the per-workload alarms and dashboards that would take the stack past 500 resources on their own.
 */
function platformStack(): Stack {
  const stack = new Stack(new App(), 'Platform');
  const cluster = ecs.Cluster.fromClusterAttributes(stack, 'Cluster', {
    clusterName: new ecs.CfnCluster(stack, 'SharedCluster').ref,
    vpc: ec2.Vpc.fromVpcAttributes(stack, 'Vpc', { vpcId: 'vpc-0123456789abcdef0', availabilityZones: ['us-east-1a'] }),
  });
  // Application Auto Scaling's service-linked role for ECS, shared by every target as it is in an account.
  const scalingRole = iam.Role.fromRoleArn(
    stack,
    'ScalingRole',
    'arn:aws:iam::123456789012:role/aws-service-role/ecs.application-autoscaling.amazonaws.com/AWSServiceRoleForApplicationAutoScaling_ECSService',
  );
  const predictor = new PredictiveScaling(stack, 'Predictor');
  const publisher = BacklogPublisher.of(stack);
  for (let index = 0; index < WORKLOADS; index++) {
    const workload = `orders-worker-${String(index).padStart(3, '0')}`;
    const queue = new sqs.Queue(stack, `Queue${index}`);
    const service = ecs.FargateService.fromFargateServiceAttributes(stack, `Service${index}`, { cluster, serviceName: workload });
    const scalableTarget = new appscaling.ScalableTarget(stack, `Target${index}`, {
      serviceNamespace: appscaling.ServiceNamespace.ECS,
      resourceId: `service/${cluster.clusterName}/${workload}`,
      scalableDimension: 'ecs:service:DesiredCount',
      minCapacity: 1,
      maxCapacity: 40,
      role: scalingRole,
    });
    predictor.addTarget({
      workload,
      scalableTarget,
      load: [queue.metricNumberOfMessagesSent({ statistic: 'Sum', period: Duration.hours(1) })],
      unitThroughput: 0.5,
      timeZone: 'Europe/Berlin',
      floorTuning: { acceptableLatencySeconds: 300, startupSeconds: 90, scaleOutCooldownSeconds: 60, reactiveTarget: 1, drainShare: 0.5 },
    });
    publisher.addSource({
      workload,
      queue,
      consumer: { kind: 'ecs', service },
      requiredCapacity: {
        timePerMessage: Duration.seconds(2),
        drainBudget: Duration.seconds(105),
        measuredTimePerMessage: new cloudwatch.Metric({
          namespace: 'Headroom',
          metricName: 'MessageProcessingTime',
          dimensionsMap: { service: workload, Workload: workload },
        }),
      },
    });
  }
  return stack;
}

describe('200 workloads in one stack', () => {
  const stack = platformStack();
  const template = Template.fromStack(stack);
  const types = typesOf(template);
  const functions = Object.values(template.findResources('AWS::Lambda::Function'));

  it('synthesizes within CloudFormation’s 500 resources, with one configuration parameter per shard, not per workload', () => {
    const resources = Object.keys(template.toJSON().Resources);
    expect(resources.length).toBeLessThan(500);
    const parameters = Object.keys(template.findResources('AWS::SSM::Parameter'));
    expect(parameters.length).toBeLessThanOrEqual(WORKLOADS / 4);
  });

  it('keeps each function’s environment under 4 KB with every reference at its longest deployed length', () => {
    expect(functions).toHaveLength(2);
    for (const fn of functions) {
      const variables = fn.Properties.Environment.Variables as Record<string, unknown>;
      expect(environmentBound(variables, types)).toBeLessThan(1024);
    }
  });

  it('holds every workload in shards whose deployed value cannot pass 8 KB', () => {
    for (const what of ['predictor target', 'backlog source'] as const) {
      const shards = configShardValues(template, what);
      for (const value of shards) expect(deployedLengthBound(value, types)).toBeLessThanOrEqual(SHARD_MAX_BYTES);
      const text = JSON.stringify(shards);
      for (const index of [0, 57, 199]) expect(text).toContain(`orders-worker-${String(index).padStart(3, '0')}`);
      expect(text.match(/\\"workload\\":/g)).toHaveLength(WORKLOADS);
    }
  });

  it('passes cfn-lint', () => {
    assertCfnLintClean(stack);
  }, 600_000);
});

describe('deployed-length bounds of references', () => {
  it('counts a queue URL reference at the longest URL SQS can return, not at its placeholder', () => {
    const stack = new Stack(new App(), 'Bounds');
    const queue = new sqs.Queue(stack, 'Queue');
    const types = new Map([[stack.resolve((queue.node.defaultChild as sqs.CfnQueue).logicalId) as string, 'AWS::SQS::Queue']]);
    // https://sqs.<region>.<suffix>/<account>/<80-character name>
    expect(deployedLengthBound(stack.resolve(queue.queueUrl), types)).toBe('https://sqs.'.length + 20 + 1 + 20 + 1 + 12 + 1 + 80);
    expect(deployedLengthBound(stack.resolve(queue.queueName), types)).toBe(80);
    expect(queue.queueUrl.length).toBeLessThan(40);
  });

  it('counts a reference it has no documented bound for at 1,024 characters', () => {
    expect(deployedLengthBound({ 'Fn::ImportValue': 'elsewhere' }, new Map())).toBe(1024);
  });
});

/** A stack whose `Watched` construct is checked for deploy limits, as every headroom construct is. */
function watchedScope(): { app: App; scope: Construct } {
  const app = new App();
  const stack = new Stack(app, 'Limits');
  const scope = new Construct(stack, 'Watched');
  checkDeployLimits(scope);
  return { app, scope };
}

describe('deploy limits checked at synth', () => {
  it('refuses a headroom function whose environment may deploy past 4 KB', () => {
    const { app, scope } = watchedScope();
    new HeadroomFunction(scope, 'Fn', { handler: 'predictor', description: 'big', serviceName: 'big', environment: { BIG: 'x'.repeat(4100) } });
    expect(() => app.synth()).toThrow(
      /environment may deploy as \d+ bytes .* above the 4 KB Lambda allows per function \(https:\/\/docs\.aws\.amazon\.com\/lambda/,
    );
  });

  it('counts references in an environment at their deployed length, not their placeholder length', () => {
    const { app, scope } = watchedScope();
    const environment: Record<string, string> = {};
    for (let index = 0; index < 26; index++) environment[`QUEUE_${index}`] = new sqs.Queue(scope, `Queue${index}`).queueUrl;
    // 26 placeholders are well under 4 KB; 26 queue URLs of up to 147 characters are not.
    expect(JSON.stringify(environment).length).toBeLessThan(LAMBDA_ENVIRONMENT_MAX_BYTES / 2);
    new HeadroomFunction(scope, 'Fn', { handler: 'predictor', description: 'queues', serviceName: 'queues', environment });
    expect(() => app.synth()).toThrow(/environment may deploy as 4\d{3} bytes/);
  });

  it('refuses an alarm evaluated over more than a day at a period under an hour', () => {
    const { app, scope } = watchedScope();
    new cloudwatch.Metric({ namespace: 'Headroom', metricName: 'QueueBacklog', period: Duration.minutes(5) }).createAlarm(scope, 'Long', {
      threshold: 1,
      evaluationPeriods: 300,
    });
    expect(() => app.synth()).toThrow(/evaluates 300 periods of 300 s \(90000 s\), above the 86400 s CloudWatch allows for a period under an hour/);
  });

  it('refuses an alarm evaluated over more than seven days', () => {
    const { app, scope } = watchedScope();
    new cloudwatch.Metric({ namespace: 'Headroom', metricName: 'QueueBacklog', period: Duration.hours(1) }).createAlarm(scope, 'Long', {
      threshold: 1,
      evaluationPeriods: 200,
    });
    expect(() => app.synth()).toThrow(/above the 604800 s CloudWatch allows/);
  });

  // aws-cdk-lib checks an L2 alarm's metric count itself; metric-math target tracking exists only as an L1 policy.
  it('refuses a metric-math scaling policy over more than 10 metrics, or with more than one query returning data', () => {
    const { app, scope } = watchedScope();
    const metrics = Array.from({ length: 11 }, (_, index) => ({
      id: `m${index}`,
      returnData: false,
      metricStat: { metric: { namespace: 'Headroom', metricName: `M${index}` }, stat: 'Sum' },
    }));
    new appscaling.CfnScalingPolicy(scope, 'Wide', {
      policyName: 'wide',
      policyType: 'TargetTrackingScaling',
      scalingTargetId: 'service/cluster/orders|ecs:service:DesiredCount|ecs',
      targetTrackingScalingPolicyConfiguration: {
        targetValue: 1,
        customizedMetricSpecification: {
          metrics: [
            ...metrics,
            { id: 'total', expression: metrics.map((metric) => metric.id).join(' + '), returnData: true },
            { id: 'twice', expression: 'total * 2', returnData: true },
          ],
        },
      },
    });
    expect(() => app.synth()).toThrow(/scaling policy's metric math has 11 metrics \(at most 10\)[\s\S]*2 queries returning data \(exactly one must/);
  });

  it('refuses an alarm name with a control character or longer than 255 characters', () => {
    const { app, scope } = watchedScope();
    const metric = new cloudwatch.Metric({ namespace: 'Headroom', metricName: 'QueueBacklog' });
    metric.createAlarm(scope, 'Control', { threshold: 1, evaluationPeriods: 1, alarmName: 'orders\tbacklog' });
    metric.createAlarm(scope, 'Long', { threshold: 1, evaluationPeriods: 1, alarmName: `orders-${'x'.repeat(250)}` });
    expect(() => app.synth()).toThrow(/contains the control character[\s\S]*may be 257 characters long \(at most 255\)/);
  });

  it('refuses a dashboard name PutDashboard would reject, naming the prop', () => {
    const stack = new Stack(new App(), 'Named');
    const { service, queue } = fargateWorker(stack);
    const scaling = new QueueScaledService(stack, 'Scaling', {
      service,
      queue,
      acceptableLatency: Duration.minutes(5),
      timePerMessage: Duration.seconds(2),
      maxCapacity: 10,
      workload: 'orders',
    });
    const workloads = [scaling.addDashboard()];
    expect(() => new OverviewDashboard(stack, 'Overview', { workloads, dashboardName: 'all workloads!' })).toThrow(
      /OverviewDashboard: dashboardName "all workloads!" is not a dashboard name PutDashboard accepts .* Leave dashboardName unset for a name unique to the stack and region/,
    );
  });
});

// CloudWatch dashboards are global per account: the same app in a second region or stage must not collide.
describe('dashboard names across regions and stages', () => {
  function dashboardNames(stackName: string, region: string): string[] {
    const stack = new Stack(new App(), stackName, { env: { account: '123456789012', region } });
    const { service, queue } = fargateWorker(stack);
    const scaling = new QueueScaledService(stack, 'Scaling', {
      service,
      queue,
      acceptableLatency: Duration.minutes(5),
      timePerMessage: Duration.seconds(2),
      maxCapacity: 10,
      workload: 'orders',
    });
    new OverviewDashboard(stack, 'Overview', { workloads: [scaling.addDashboard()] });
    return Object.values(Template.fromStack(stack).findResources('AWS::CloudWatch::Dashboard')).map(
      (dashboard) => dashboard.Properties.DashboardName,
    );
  }

  it('names each dashboard after its stack and region', () => {
    expect(dashboardNames('Orders-Prod', 'eu-west-1').sort()).toEqual([
      'headroom-orders-Orders-Prod-eu-west-1',
      'headroom-overview-Orders-Prod-eu-west-1',
    ]);
  });

  it('gives the same app in a second region, or as a second stage, dashboards of its own', () => {
    const first = dashboardNames('Orders-Prod', 'eu-west-1');
    for (const other of [dashboardNames('Orders-Prod', 'us-east-1'), dashboardNames('Orders-Staging', 'eu-west-1')]) {
      for (const name of other) expect(first).not.toContain(name);
    }
  });
});

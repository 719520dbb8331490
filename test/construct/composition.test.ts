import { App, Duration, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as ecsPatterns from 'aws-cdk-lib/aws-ecs-patterns';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import { describe, expect, it } from 'vitest';
import { PredictiveScaling, QueueScaledService, TableScaling } from '../../stacks/index.ts';
import { fargateWorker } from '../support/ecs-fixture.ts';

// Issue 20, point 10: headroom layered onto what users already have. Application Auto Scaling takes one scalable
// target per resource and dimension; a second AWS::ApplicationAutoScaling::ScalableTarget for the same one
// synthesizes (aws-cdk-lib warns at most) and fails at deploy.

const worker = (stack: Stack) => fargateWorker(stack);
const queueScaling = (stack: Stack, id: string, service: ecs.BaseService, queue: sqs.IQueue, maxCapacity = 10) =>
  new QueueScaledService(stack, id, { service, queue, acceptableLatency: Duration.minutes(2), timePerMessage: Duration.seconds(1), maxCapacity });

function table(stack: Stack): dynamodb.Table {
  return new dynamodb.Table(stack, 'Sessions', {
    partitionKey: { name: 'pk', type: dynamodb.AttributeType.STRING },
    billingMode: dynamodb.BillingMode.PROVISIONED,
  });
}

describe('QueueScaledService on a service that already has autoScaleTaskCount()', () => {
  // Synthesized while the file is collected: the first synth of an ECS stack can take a minute on a busy machine.
  const layered = (() => {
    const stack = new Stack(new App(), 'Layered');
    const { service, queue } = worker(stack);
    const taskCount = service.autoScaleTaskCount({ maxCapacity: 10 });
    taskCount.scaleOnCpuUtilization('Cpu', { targetUtilizationPercent: 60 });
    queueScaling(stack, 'Scaling', service, queue);
    return Template.fromStack(stack);
  })();

  it('adds its policies to that scalable target instead of registering a second', () => {
    const template = layered;
    template.resourceCountIs('AWS::ApplicationAutoScaling::ScalableTarget', 1);
    const [targetId] = Object.keys(template.findResources('AWS::ApplicationAutoScaling::ScalableTarget'));
    expect(targetId).toMatch(/^ServiceTaskCountTarget/);
    template.hasResourceProperties('AWS::ApplicationAutoScaling::ScalingPolicy', {
      PolicyName: Match.stringLikeRegexp('RequiredCapacityTracking'),
      ScalingTargetId: { Ref: targetId },
    });
    template.hasResourceProperties('AWS::ApplicationAutoScaling::ScalingPolicy', {
      PolicyName: Match.stringLikeRegexp('Cpu'),
      ScalingTargetId: { Ref: targetId },
    });
  });

  it('refuses walls that differ from the ones autoScaleTaskCount() registered, naming the prop', () => {
    const stack = new Stack(new App(), 'Walls');
    const { service, queue } = worker(stack);
    service.autoScaleTaskCount({ maxCapacity: 5 });
    expect(() => queueScaling(stack, 'Scaling', service, queue, 10)).toThrow(
      /QueueScaledService: maxCapacity \(10\) differs from the maxCapacity that service.autoScaleTaskCount\(\) registered \(5\).*Give QueueScaledService the same maxCapacity/,
    );
  });

  it('refuses autoScaleTaskCount() called after it, at synth, naming both and the order that works', () => {
    const stack = new Stack(new App(), 'After');
    const { service, queue } = worker(stack);
    queueScaling(stack, 'Scaling', service, queue);
    service.autoScaleTaskCount({ maxCapacity: 10 });
    expect(() => Template.fromStack(stack)).toThrow(
      /QueueScaledService \(After\/Scaling\): its scalable target .* is also registered by After\/Service\/TaskCount\/Target.*call it before/s,
    );
  });

  it('refuses a second headroom construct on the same service at synth', () => {
    const stack = new Stack(new App(), 'Twice');
    const { service, queue } = worker(stack);
    queueScaling(stack, 'First', service, queue);
    queueScaling(stack, 'Second', service, queue);
    expect(() => Template.fromStack(stack)).toThrow(
      /also registered by Twice\/(First|Second)\/Target.*Scale each ECS service from one headroom construct/s,
    );
  });

  it('refuses a second headroom construct attached to the same autoScaleTaskCount()', () => {
    const stack = new Stack(new App(), 'TwiceAttached');
    const { service, queue } = worker(stack);
    service.autoScaleTaskCount({ maxCapacity: 10 });
    queueScaling(stack, 'First', service, queue);
    expect(() => queueScaling(stack, 'Second', service, queue)).toThrow(
      /QueueScaledService: service already has its task count scaled by TwiceAttached\/First/,
    );
  });
});

describe('QueueScaledService on an aws-ecs-patterns QueueProcessingFargateService', () => {
  it('refuses it, naming the pattern’s own scaling and the fix', () => {
    const stack = new Stack(new App(), 'Pattern');
    const vpc = new ec2.Vpc(stack, 'Vpc', { maxAzs: 2 });
    const cluster = new ecs.Cluster(stack, 'Cluster', { vpc });
    const pattern = new ecsPatterns.QueueProcessingFargateService(stack, 'Worker', {
      cluster,
      image: ecs.ContainerImage.fromRegistry('public.ecr.aws/docker/library/busybox:stable'),
      maxScalingCapacity: 10,
    });
    expect(() => queueScaling(stack, 'Scaling', pattern.service, pattern.sqsQueue)).toThrow(
      /QueueScaledService: service is the service of an aws-ecs-patterns QueueProcessingFargateService \(Pattern\/Worker\), which scales it already.*Build the service with ecs.FargateService/,
    );
  });
});

describe('PredictiveScaling.addTarget with what autoScaleTaskCount() returned', () => {
  it('manages the ScalableTaskCount’s scalable target and tags it for the predictor', () => {
    const stack = new Stack(new App(), 'TaskCount');
    const { service, queue } = worker(stack);
    const taskCount = service.autoScaleTaskCount({ minCapacity: 2, maxCapacity: 10 });
    taskCount.scaleOnCpuUtilization('Cpu', { targetUtilizationPercent: 60 });
    new PredictiveScaling(stack, 'Predictor').addTarget({
      workload: 'orders',
      scalableTarget: taskCount,
      load: [queue.metricNumberOfMessagesSent({ statistic: 'Sum', period: Duration.hours(1) })],
      unitThroughput: 1,
    });
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::ApplicationAutoScaling::ScalableTarget', 1);
    template.hasResourceProperties('AWS::ApplicationAutoScaling::ScalableTarget', {
      MinCapacity: 2,
      Tags: Match.arrayWith([{ Key: 'headroom:managed', Value: 'true' }]),
    });
  });
});

describe('TableScaling on a table that already scales', () => {
  it('refuses table.autoScaleReadCapacity() at synth, naming the call and the fix', () => {
    const stack = new Stack(new App(), 'TableLayered');
    const sessions = table(stack);
    sessions.autoScaleReadCapacity({ minCapacity: 5, maxCapacity: 100 }).scaleOnUtilization({ targetUtilizationPercent: 70 });
    new TableScaling(stack, 'Scaling', { table: sessions, read: { min: 5, max: 100 } });
    expect(() => Template.fromStack(stack)).toThrow(
      /TableScaling \(TableLayered\/Scaling\) read: its scalable target .* also registered by TableLayered\/Sessions\/ReadScaling\/Target.*table.autoScaleReadCapacity\(\) registers it too: remove that call/s,
    );
  });

  it('accepts the table’s write capacity scaled by autoScaleWriteCapacity() while it scales read', () => {
    const stack = new Stack(new App(), 'TableSplit');
    const sessions = table(stack);
    sessions.autoScaleWriteCapacity({ minCapacity: 5, maxCapacity: 100 }).scaleOnUtilization({ targetUtilizationPercent: 70 });
    new TableScaling(stack, 'Scaling', { table: sessions, read: { min: 5, max: 100 } });
    Template.fromStack(stack).resourceCountIs('AWS::ApplicationAutoScaling::ScalableTarget', 2);
  });

  it('refuses a TableV2, pointing to its own autoscaled capacity', () => {
    const stack = new Stack(new App(), 'V2');
    const v2 = new dynamodb.TableV2(stack, 'Global', {
      partitionKey: { name: 'pk', type: dynamodb.AttributeType.STRING },
      billing: dynamodb.Billing.provisioned({
        readCapacity: dynamodb.Capacity.fixed(5),
        writeCapacity: dynamodb.Capacity.autoscaled({ maxCapacity: 50 }),
      }),
    });
    expect(() => new TableScaling(stack, 'Scaling', { table: v2, read: { min: 5, max: 100 } })).toThrow(
      /TableScaling: table is a dynamodb.TableV2 .*Capacity.autoscaled/,
    );
  });
});

import { App, Duration, Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { describe, expect, it } from 'vitest';
import { QueueScaledService } from '../../stacks/index.ts';

describe('QueueScaledService on an imported ECS service', () => {
  it('refuses it by name instead of crashing with a TypeError', () => {
    const stack = new Stack(new App(), 'Imported', { env: { account: '123456789012', region: 'us-east-1' } });
    const vpc = new ec2.Vpc(stack, 'Vpc', { maxAzs: 2 });
    const cluster = ecs.Cluster.fromClusterAttributes(stack, 'Cluster', { clusterName: 'workers', vpc });
    const service = ecs.FargateService.fromFargateServiceAttributes(stack, 'Service', { cluster, serviceName: 'orders' });
    const queue = new sqs.Queue(stack, 'Queue');
    expect(
      () =>
        new QueueScaledService(stack, 'Scaling', {
          service: service as unknown as ecs.BaseService,
          queue,
          acceptableLatency: Duration.minutes(2),
          timePerMessage: Duration.seconds(1),
          maxCapacity: 10,
        }),
    ).toThrow(/QueueScaledService: service is an imported service .* Pass the ecs.FargateService or ecs.Ec2Service defined in this app/);
  });
});

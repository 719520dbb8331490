import { Duration, type Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Validations } from 'aws-cdk-lib';

/** A minimal, cdk-nag-clean Fargate worker and its queue, for construct tests to scale. */
export function fargateWorker(stack: Stack): { service: ecs.FargateService; queue: sqs.Queue; deadLetterQueue: sqs.Queue } {
  const vpc = new ec2.Vpc(stack, 'Vpc', { maxAzs: 2, natGateways: 1, flowLogs: { all: { trafficType: ec2.FlowLogTrafficType.REJECT } } });
  const cluster = new ecs.Cluster(stack, 'Cluster', { vpc, containerInsightsV2: ecs.ContainerInsights.ENABLED });
  const taskDefinition = new ecs.FargateTaskDefinition(stack, 'Task');
  taskDefinition.addContainer('worker', {
    image: ecs.ContainerImage.fromRegistry('public.ecr.aws/docker/library/busybox:stable'),
    logging: ecs.LogDrivers.awsLogs({ streamPrefix: 'worker', logGroup: new logs.LogGroup(stack, 'Logs') }),
  });
  Validations.of(taskDefinition).acknowledge({ id: 'AwsSolutions-ECS2', reason: 'test fixture' });
  const service = new ecs.FargateService(stack, 'Service', { cluster, taskDefinition, desiredCount: 2, minHealthyPercent: 100 });
  const deadLetterQueue = new sqs.Queue(stack, 'DeadLetters', { enforceSSL: true, retentionPeriod: Duration.days(14) });
  const queue = new sqs.Queue(stack, 'Queue', { enforceSSL: true, deadLetterQueue: { queue: deadLetterQueue, maxReceiveCount: 5 } });
  return { service, queue, deadLetterQueue };
}

// An ECS Fargate worker that drains an SQS queue, scaled on backlog per task with headroom.
import { App, Duration, Stack, Validations, type StackProps } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import { QueueScaledService } from 'cdk-headroom';

export class EcsQueueWorkerStack extends Stack {
  constructor(scope: Construct, id: string, props?: StackProps) {
    super(scope, id, props);
    // Rejected-traffic flow logs: what you need to debug a security group, at a fraction of logging all traffic.
    const vpc = new ec2.Vpc(this, 'Vpc', { maxAzs: 2, natGateways: 1, flowLogs: { rejected: { trafficType: ec2.FlowLogTrafficType.REJECT } } });
    const cluster = new ecs.Cluster(this, 'Cluster', { vpc, containerInsightsV2: ecs.ContainerInsights.ENABLED });

    const deadLetterQueue = new sqs.Queue(this, 'DeadLetters', { retentionPeriod: Duration.days(14), enforceSSL: true });
    const queue = new sqs.Queue(this, 'Jobs', {
      visibilityTimeout: Duration.minutes(5),
      enforceSSL: true,
      deadLetterQueue: { queue: deadLetterQueue, maxReceiveCount: 5 },
    });

    const taskDefinition = new ecs.FargateTaskDefinition(this, 'Task');
    taskDefinition.addContainer('worker', {
      image: ecs.ContainerImage.fromRegistry('public.ecr.aws/docker/library/busybox:stable'), // your worker image
      environment: { QUEUE_URL: queue.queueUrl },
      logging: ecs.LogDrivers.awsLogs({ streamPrefix: 'worker' }),
    });
    queue.grantConsumeMessages(taskDefinition.taskRole);
    Validations.of(taskDefinition).acknowledge({
      id: 'AwsSolutions-ECS2',
      reason: 'The only environment variable is the queue URL, which is not a secret; secrets would go in ecs.Secret.',
    });
    const service = new ecs.FargateService(this, 'Worker', { cluster, taskDefinition, minHealthyPercent: 100 });

    // Keep every job's wait under 2 minutes at 1.5 s a job: scaled on the capacity the queue needs per task (arrivals
    // x 1.5 s + the backlog drained within the latency budget), held at 0.9.
    const scaling = new QueueScaledService(this, 'Scaling', {
      service,
      queue,
      acceptableLatency: Duration.minutes(2),
      timePerMessage: Duration.millis(1500),
      minCapacity: 1,
      maxCapacity: 50,
      burstStepScaling: true,
    });
    scaling.addDashboard();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  new EcsQueueWorkerStack(new App(), 'EcsQueueWorker');
}

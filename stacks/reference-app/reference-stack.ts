import { Duration, Stack, Validations, type StackProps } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as logs from 'aws-cdk-lib/aws-logs';
import type * as sns from 'aws-cdk-lib/aws-sns';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import { HeadroomFunction, handlerAssetDir } from '../common/headroom-function.ts';
import { PredictiveScaling, PredictorMode } from '../predictive-scaling/index.ts';
import { QueueConsumerFunction } from '../queue-consumer-function/queue-consumer-function.ts';
import { QueueScaledService } from '../queue-scaled-service/queue-scaled-service.ts';
import { AlarmTopic } from '../workload-dashboard/alarm-topic.ts';
import { OverviewDashboard } from '../workload-dashboard/overview-dashboard.ts';

/** Context set by the local demo's deploy: no Docker, no containers run (moto). */
export const LOCAL_AWS_CONTEXT = 'headroom:localAws';

/**
 * headroom's reference app: an ECS Fargate worker and a Lambda consumer, each on its own queue, scaled on
 * backlog per task. It synthesizes with no AWS account and is what `npm start` creates in the local AWS.
 */
export class ReferenceStack extends Stack {
  readonly workerQueue: sqs.Queue;
  readonly workerService: ecs.FargateService;
  readonly workerScaling: QueueScaledService;
  readonly consumer: QueueConsumerFunction;
  readonly alarmTopic: sns.Topic;
  readonly predictor: PredictiveScaling;

  constructor(scope: Construct, id: string, props?: StackProps) {
    super(scope, id, props);
    // Encrypted with a key CloudWatch may use (cdk-nag's current pack no longer flags an unencrypted topic).
    this.alarmTopic = new AlarmTopic(this, 'AlarmTopic').topic;

    const vpc = new ec2.Vpc(this, 'Vpc', {
      maxAzs: 2,
      natGateways: 1,
      flowLogs: { all: { trafficType: ec2.FlowLogTrafficType.REJECT } },
    });
    const cluster = new ecs.Cluster(this, 'Cluster', { vpc, containerInsightsV2: ecs.ContainerInsights.ENABLED });

    const workerDeadLetters = new sqs.Queue(this, 'WorkerDeadLetterQueue', {
      retentionPeriod: Duration.days(14),
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
    });
    this.workerQueue = new sqs.Queue(this, 'WorkerQueue', {
      visibilityTimeout: Duration.minutes(5),
      retentionPeriod: Duration.days(4),
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      deadLetterQueue: { queue: workerDeadLetters, maxReceiveCount: 5 },
    });

    const taskDefinition = new ecs.FargateTaskDefinition(this, 'WorkerTask', { cpu: 256, memoryLimitMiB: 512 });
    taskDefinition.addContainer('worker', {
      // The order worker on headroom's worker kit (functions/demo-worker/task.ts), built into an image at deploy. The
      // local AWS has no Docker to build it and moto runs no containers: there the demo runs the same worker
      // in-process, and the task definition names a stand-in image (context headroom:localAws).
      ...(this.node.tryGetContext(LOCAL_AWS_CONTEXT) === 'true'
        ? {
            image: ecs.ContainerImage.fromRegistry('public.ecr.aws/docker/library/busybox:stable'),
            command: ['sh', '-c', 'while true; do sleep 60; done'],
          }
        : { image: ecs.ContainerImage.fromAsset(handlerAssetDir('demo-worker-task')) }),
      // ECS's default: SIGTERM, then SIGKILL 30 s later; the kit finishes or gives back its messages within 25 s.
      stopTimeout: Duration.seconds(30),
      environment: { QUEUE_URL: this.workerQueue.queueUrl },
      logging: ecs.LogDrivers.awsLogs({
        streamPrefix: 'worker',
        logGroup: new logs.LogGroup(this, 'WorkerLogs', { retention: logs.RetentionDays.ONE_MONTH }),
      }),
    });
    if (taskDefinition.executionRole && this.node.tryGetContext(LOCAL_AWS_CONTEXT) !== 'true') {
      Validations.of(taskDefinition.executionRole).acknowledge({
        id: 'AwsSolutions-IAM5[Resource::*]',
        reason:
          'ecr:GetAuthorizationToken, which pulling the worker image from the assets repository needs, has no resource-level permissions (Amazon ECR User Guide, Identity-based policy examples).',
      });
    }
    this.workerQueue.grantConsumeMessages(taskDefinition.taskRole);
    Validations.of(taskDefinition).acknowledge({
      id: 'AwsSolutions-ECS2',
      reason: 'The only environment variable is the queue URL, which is not a secret.',
    });

    this.workerService = new ecs.FargateService(this, 'WorkerService', {
      cluster,
      taskDefinition,
      minHealthyPercent: 100,
      circuitBreaker: { rollback: true },
      vpcSubnets: { subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS },
    });
    this.workerScaling = new QueueScaledService(this, 'WorkerScaling', {
      service: this.workerService,
      queue: this.workerQueue,
      acceptableLatency: Duration.minutes(5),
      timePerMessage: Duration.seconds(2),
      minCapacity: 1,
      maxCapacity: 40,
      burstStepScaling: true,
      // The demo reads the signal's parts back from CloudWatch; a service of yours needs only the signal.
      diagnosticMetrics: true,
      workload: 'reference-worker',
      alarmTopic: this.alarmTopic,
    });
    // The worker's load is what producers send to its queue; headroom's predictor raises its floor ahead of it, with
    // the quantile and utilization it picks each day by replaying the worker's last week.
    const arrivals = this.workerQueue.metricNumberOfMessagesSent({ statistic: 'Sum', period: Duration.hours(1) });
    this.predictor = new PredictiveScaling(this, 'Predictor', { mode: PredictorMode.FORECAST_AND_SCALE, alarmTopic: this.alarmTopic });
    this.workerScaling.addToPredictor(this.predictor);
    const workerDashboard = this.workerScaling.addDashboard({
      load: arrivals.with({ period: Duration.minutes(5) }),
      predictor: { interval: this.predictor.interval },
    });

    this.consumer = new QueueConsumerFunction(this, 'Consumer', {
      // The demo worker ships pre-built with headroom; your own consumer would be an `entry` instead.
      function: new HeadroomFunction(this, 'ConsumerFunction', {
        handler: 'demo-worker',
        description: 'headroom reference app: totals order messages',
        serviceName: 'headroom-reference-consumer',
        timeout: Duration.seconds(30),
        memorySize: 512,
      }),
      acceptableLatency: Duration.minutes(2),
      maxConcurrency: 20,
      idempotency: true,
      workload: 'reference-consumer',
      alarmTopic: this.alarmTopic,
    });
    new OverviewDashboard(this, 'Overview', { workloads: [workerDashboard, this.consumer.addDashboard()] });
  }
}

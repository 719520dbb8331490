import { Duration, Stack, type App } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import * as headroom from '../../stacks/index.ts';

/** The constructs used: the sources under vitest, the built library (dist/) under the bench's plain Node. */
export type HeadroomLibrary = Pick<
  typeof headroom,
  'PredictiveScaling' | 'PredictorMode' | 'QueueScaledService' | 'SloBurnRateAlarms' | 'messageWaitIndicator'
>;

export interface QueueWorkersOptions {
  readonly workers: number;
  /** Adds a dashboard to the workers whose index is listed. */
  readonly dashboards?: readonly number[];
  /** Adds burn-rate alarms on the message-wait SLO (99.9% within the acceptable latency) to the workers listed. */
  readonly sloAlarms?: readonly number[];
  /** Has the publisher publish all its metrics for every worker. */
  readonly diagnosticMetrics?: boolean;
}

/**
 * A platform team's stack: `workers` Fargate queue workers on one cluster, each scaled by QueueScaledService and put
 * under one predictor (the default configuration), some with a dashboard.
 */
export function queueWorkersStack(app: App, id: string, options: QueueWorkersOptions, library: HeadroomLibrary = headroom): Stack {
  const { PredictiveScaling, PredictorMode, QueueScaledService } = library;
  const stack = new Stack(app, id);
  const vpc = new ec2.Vpc(stack, 'Vpc', { maxAzs: 2, natGateways: 1 });
  const cluster = new ecs.Cluster(stack, 'Cluster', { vpc, containerInsightsV2: ecs.ContainerInsights.ENABLED });
  const predictor = new PredictiveScaling(stack, 'Predictor', { mode: PredictorMode.FORECAST_AND_SCALE });
  for (let index = 0; index < options.workers; index++) {
    const taskDefinition = new ecs.FargateTaskDefinition(stack, `Task${index}`);
    taskDefinition.addContainer('worker', { image: ecs.ContainerImage.fromRegistry('public.ecr.aws/docker/library/busybox:stable') });
    const service = new ecs.FargateService(stack, `Service${index}`, { cluster, taskDefinition });
    const deadLetterQueue = new sqs.Queue(stack, `DeadLetters${index}`, { retentionPeriod: Duration.days(14) });
    const queue = new sqs.Queue(stack, `Jobs${index}`, { deadLetterQueue: { queue: deadLetterQueue, maxReceiveCount: 5 } });
    const scaling = new QueueScaledService(stack, `Scaling${index}`, {
      service,
      queue,
      acceptableLatency: Duration.minutes(2),
      timePerMessage: Duration.seconds(1),
      maxCapacity: 20,
      workload: `worker-${index}`,
      diagnosticMetrics: options.diagnosticMetrics ?? false,
    });
    scaling.addToPredictor(predictor);
    if (options.dashboards?.includes(index)) scaling.addDashboard();
    if (options.sloAlarms?.includes(index)) {
      new library.SloBurnRateAlarms(scaling, 'Slo', {
        indicator: library.messageWaitIndicator(scaling.workload, Duration.minutes(2)),
        objective: 0.999,
      });
    }
  }
  return stack;
}

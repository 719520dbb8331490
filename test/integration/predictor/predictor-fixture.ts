import {
  ApplicationAutoScalingClient,
  DescribeScheduledActionsCommand,
  PutScheduledActionCommand,
  RegisterScalableTargetCommand,
  type ScheduledAction,
} from '@aws-sdk/client-application-auto-scaling';
import { CloudWatchClient, GetMetricDataCommand } from '@aws-sdk/client-cloudwatch';
import { CreateClusterCommand, CreateServiceCommand, ECSClient, RegisterTaskDefinitionCommand } from '@aws-sdk/client-ecs';
import { seedMetricHistory } from '../../../cli/demo/seed-history.ts';
import { PREDICTOR_MAX_ATTEMPTS, QuotaAwareRetryStrategy } from '../../../functions/predictor/retry-strategy.ts';
import { parsePredictorConfig, type PredictorConfig } from '../../../shared/predictor/config.ts';
import { syntheticLoad } from '../../../shared/synthetic-load/synthetic-load.ts';
import { uniqueName } from '../../support/names.ts';

export const HOUR = 3_600_000;
export const NOW = new Date(Date.UTC(2026, 10, 16, 6, 20));
export const FLOOR = 2;
export const MAX = 40;
const TEST_NAMESPACE = 'HeadroomPredictorTest';

export interface Workload {
  readonly workload: string;
  readonly resourceId: string;
}

/** An ECS scalable target registered in moto with two weeks of hourly load history seeded in CloudWatch. */
export async function seededWorkload(options: { historyDays?: number } = {}): Promise<Workload> {
  const name = uniqueName('svc');
  const cluster = `cluster-${name}`;
  const resourceId = `service/${cluster}/${name}`;
  // moto checks that the ECS service behind a scalable target exists.
  const ecs = new ECSClient({});
  await ecs.send(new CreateClusterCommand({ clusterName: cluster }));
  const { taskDefinition } = await ecs.send(
    new RegisterTaskDefinitionCommand({
      family: name,
      networkMode: 'bridge',
      containerDefinitions: [{ name: 'worker', image: 'busybox', memory: 128 }],
    }),
  );
  await ecs.send(
    new CreateServiceCommand({
      cluster,
      serviceName: name,
      taskDefinition: taskDefinition!.taskDefinitionArn,
      desiredCount: FLOOR,
      launchType: 'EC2',
    }),
  );
  await new ApplicationAutoScalingClient({}).send(
    new RegisterScalableTargetCommand({
      ServiceNamespace: 'ecs',
      ResourceId: resourceId,
      ScalableDimension: 'ecs:service:DesiredCount',
      MinCapacity: FLOOR,
      MaxCapacity: MAX,
    }),
  );
  const days = options.historyDays ?? 14;
  const startMs = Math.floor(NOW.getTime() / HOUR) * HOUR - days * 24 * HOUR;
  const load = syntheticLoad({ startMs, stepMs: HOUR, days, meanRate: 20, seed: 7 });
  await seedMetricHistory(
    new CloudWatchClient({}),
    { namespace: TEST_NAMESPACE, metricName: 'Arrivals', dimensions: [{ Name: 'Queue', Value: name }] },
    load,
  );
  return { workload: name, resourceId };
}

export function predictorConfig(workloads: readonly Workload[], overrides: Record<string, unknown> = {}): PredictorConfig {
  return parsePredictorConfig(
    JSON.stringify({
      mode: 'forecastAndScale',
      targets: workloads.map(({ workload, resourceId }) => ({
        workload,
        resourceId,
        load: [{ namespace: TEST_NAMESPACE, metricName: 'Arrivals', dimensions: { Queue: workload }, stat: 'Sum' }],
        unitThroughput: 1,
        targetUtilization: 1,
        leadTimeSeconds: 600,
        minCapacity: FLOOR,
        maxCapacity: MAX,
      })),
      ...overrides,
    }),
  );
}

export async function scheduledActions(resourceId: string): Promise<ScheduledAction[]> {
  const answer = await new ApplicationAutoScalingClient({}).send(
    new DescribeScheduledActionsCommand({ ServiceNamespace: 'ecs', ResourceId: resourceId, ScalableDimension: 'ecs:service:DesiredCount' }),
  );
  return answer.ScheduledActions ?? [];
}

export async function putOwnAction(resourceId: string, name: string, schedule: string): Promise<void> {
  await new ApplicationAutoScalingClient({}).send(
    new PutScheduledActionCommand({
      ServiceNamespace: 'ecs',
      ResourceId: resourceId,
      ScalableDimension: 'ecs:service:DesiredCount',
      ScheduledActionName: name,
      Schedule: schedule,
      ScalableTargetAction: { MinCapacity: 30 },
    }),
  );
}

export async function putForeignAction(resourceId: string): Promise<void> {
  await new ApplicationAutoScalingClient({}).send(
    new PutScheduledActionCommand({
      ServiceNamespace: 'ecs',
      ResourceId: resourceId,
      ScalableDimension: 'ecs:service:DesiredCount',
      ScheduledActionName: 'team-black-friday',
      Schedule: 'cron(0 8 * * ? *)',
      ScalableTargetAction: { MinCapacity: 10, MaxCapacity: 60 },
    }),
  );
}

/** The latest value of one of the predictor's metrics for a workload, as CloudWatch holds it. */
export async function predictorMetric(metricName: string, workload: string): Promise<number | undefined> {
  const answer = await new CloudWatchClient({}).send(
    new GetMetricDataCommand({
      StartTime: new Date(NOW.getTime() - HOUR),
      EndTime: new Date(NOW.getTime() + HOUR),
      MetricDataQueries: [
        {
          Id: 'm',
          MetricStat: {
            Metric: { Namespace: 'Headroom', MetricName: metricName, Dimensions: [{ Name: 'Workload', Value: workload }] },
            Period: 60,
            Stat: 'Maximum',
          },
        },
      ],
    }),
  );
  return answer.MetricDataResults?.[0]?.Values?.[0];
}

/** Clients configured as the predictor's handler configures its own. */
export function retryingClients() {
  return {
    cloudwatch: new CloudWatchClient({ maxAttempts: PREDICTOR_MAX_ATTEMPTS }),
    scaling: new ApplicationAutoScalingClient({ retryStrategy: new QuotaAwareRetryStrategy(PREDICTOR_MAX_ATTEMPTS) }),
  };
}

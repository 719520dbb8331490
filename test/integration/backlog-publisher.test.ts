import { CloudFormationClient, CreateStackCommand, waitUntilStackCreateComplete } from '@aws-sdk/client-cloudformation';
import { CloudWatchClient, GetMetricDataCommand, PutMetricDataCommand } from '@aws-sdk/client-cloudwatch';
import { CreateClusterCommand, CreateServiceCommand, ECSClient, RegisterTaskDefinitionCommand, UpdateServiceCommand } from '@aws-sdk/client-ecs';
import { CreateQueueCommand, ReceiveMessageCommand, SendMessageBatchCommand, SQSClient } from '@aws-sdk/client-sqs';
import { LambdaClient } from '@aws-sdk/client-lambda';
import type { Context } from 'aws-lambda';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { MeasuredTimeCache } from '../../functions/backlog-publisher/measured-time-cache.ts';
import { type PublishOutcome, publishBacklog } from '../../functions/backlog-publisher/publish-backlog.ts';
import { readQueueDemand } from '../../functions/backlog-publisher/read-queue-demand.ts';
import type { BacklogSourceConfig } from '../../shared/backlog/index.ts';
import { uniqueName } from '../support/names.ts';

// The handler reads its namespace and log level at module init, as in Lambda: import it once they are set.
vi.stubEnv('HEADROOM_METRIC_NAMESPACE', uniqueName('HeadroomTest'));
vi.stubEnv('POWERTOOLS_LOG_LEVEL', 'SILENT');
const { handler } = await import('../../functions/backlog-publisher/handler.ts');

const sqs = new SQSClient({});
const ecs = new ECSClient({});
const cloudwatch = new CloudWatchClient({});
const cloudformation = new CloudFormationClient({});

const lambdaContext = (functionName: string): Context => ({
  callbackWaitsForEmptyEventLoop: true,
  functionName,
  functionVersion: '$LATEST',
  invokedFunctionArn: `arn:aws:lambda:us-east-1:123456789012:function:${functionName}`,
  memoryLimitInMB: '256',
  awsRequestId: uniqueName('request'),
  logGroupName: `/aws/lambda/${functionName}`,
  logStreamName: 'local',
  getRemainingTimeInMillis: () => 30_000,
  done: () => undefined,
  fail: () => undefined,
  succeed: () => undefined,
});

/** A queue holding `visible` visible, `inFlight` received-but-not-deleted and `delayed` delayed messages. */
async function queueWith(visible: number, inFlight: number, delayed: number): Promise<string> {
  const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: uniqueName('backlog') }));
  const send = async (count: number, delaySeconds: number): Promise<void> => {
    for (let sent = 0; sent < count; sent += 10) {
      const entries = Array.from({ length: Math.min(10, count - sent) }, (_, index) => ({
        Id: `m${index}`,
        MessageBody: `job ${sent + index}`,
        DelaySeconds: delaySeconds,
      }));
      await sqs.send(new SendMessageBatchCommand({ QueueUrl, Entries: entries }));
    }
  };
  await send(visible + inFlight, 0);
  let received = 0;
  while (received < inFlight) {
    const { Messages = [] } = await sqs.send(
      new ReceiveMessageCommand({ QueueUrl, MaxNumberOfMessages: Math.min(10, inFlight - received), VisibilityTimeout: 600 }),
    );
    received += Messages.length;
  }
  await send(delayed, 600);
  return QueueUrl!;
}

/** An ECS service on a bridge-network task definition; moto reports it running `running` tasks. */
async function ecsService(cluster: string, running: number): Promise<string> {
  const service = uniqueName('worker');
  const { taskDefinition } = await ecs.send(
    new RegisterTaskDefinitionCommand({
      family: service,
      networkMode: 'bridge',
      containerDefinitions: [{ name: 'worker', image: 'public.ecr.aws/docker/library/busybox:stable', memory: 128 }],
    }),
  );
  await ecs.send(
    new CreateServiceCommand({
      cluster,
      serviceName: service,
      taskDefinition: taskDefinition!.taskDefinitionArn,
      desiredCount: running,
      launchType: 'EC2',
    }),
  );
  // moto starts a service with no running task and reports the desired count as running once it is updated.
  if (running > 0) await ecs.send(new UpdateServiceCommand({ cluster, service, desiredCount: running }));
  return service;
}

/** A Lambda function in moto (created with its role through CloudFormation, since the suite has no IAM client). */
async function lambdaFunction(): Promise<string> {
  const functionName = uniqueName('consumer');
  const StackName = uniqueName('consumer-stack');
  const template = {
    Resources: {
      Role: {
        Type: 'AWS::IAM::Role',
        Properties: {
          AssumeRolePolicyDocument: {
            Version: '2012-10-17',
            Statement: [{ Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' }],
          },
        },
      },
      Function: {
        Type: 'AWS::Lambda::Function',
        Properties: {
          FunctionName: functionName,
          Runtime: 'nodejs22.x',
          Handler: 'index.handler',
          Role: { 'Fn::GetAtt': ['Role', 'Arn'] },
          Code: { ZipFile: 'exports.handler = async () => {};' },
        },
      },
    },
  };
  await cloudformation.send(new CreateStackCommand({ StackName, TemplateBody: JSON.stringify(template), Capabilities: ['CAPABILITY_IAM'] }));
  await waitUntilStackCreateComplete({ client: cloudformation, maxWaitTime: 60, minDelay: 1, maxDelay: 2 }, { StackName });
  return functionName;
}

/** The values CloudWatch (moto) holds for one of a workload's metrics over the last minutes. */
async function publishedValues(namespace: string, metricName: string, workload: string): Promise<number[]> {
  const now = Date.now();
  const { MetricDataResults = [] } = await cloudwatch.send(
    new GetMetricDataCommand({
      StartTime: new Date(now - 10 * 60_000),
      EndTime: new Date(now + 60_000),
      MetricDataQueries: [
        {
          Id: 'm',
          MetricStat: {
            Metric: { Namespace: namespace, MetricName: metricName, Dimensions: [{ Name: 'Workload', Value: workload }] },
            Period: 60,
            Stat: 'Maximum',
          },
        },
      ],
    }),
  );
  return MetricDataResults[0]?.Values ?? [];
}

describe('the backlog publisher against moto', () => {
  const namespace = process.env.HEADROOM_METRIC_NAMESPACE!;
  let outcome: PublishOutcome;
  let emf: Record<string, unknown>[] = [];

  beforeAll(async () => {
    const cluster = uniqueName('cluster');
    await ecs.send(new CreateClusterCommand({ clusterName: cluster }));
    const [ordersQueue, idleQueue, emailsQueue, [runningService, stoppedService], busyFunction, idleFunction] = await Promise.all([
      queueWith(12, 3, 2),
      queueWith(0, 0, 0),
      queueWith(40, 0, 0),
      Promise.all([ecsService(cluster, 3), ecsService(cluster, 0)]),
      lambdaFunction(),
      lambdaFunction(),
    ]);
    // Lambda's own ConcurrentExecutions metric, as the service would emit it for the busy consumer.
    await cloudwatch.send(
      new PutMetricDataCommand({
        Namespace: 'AWS/Lambda',
        MetricData: [
          {
            MetricName: 'ConcurrentExecutions',
            Dimensions: [{ Name: 'FunctionName', Value: busyFunction }],
            Timestamp: new Date(Date.now() - 150_000),
            Value: 2,
          },
          {
            MetricName: 'ConcurrentExecutions',
            Dimensions: [{ Name: 'FunctionName', Value: busyFunction }],
            Timestamp: new Date(Date.now() - 90_000),
            Value: 8,
          },
        ],
      }),
    );
    const sources = [
      { workload: 'orders', queueUrl: ordersQueue, consumer: { kind: 'ecs', cluster, service: runningService } },
      { workload: 'orders-with-delayed', queueUrl: ordersQueue, consumer: { kind: 'ecs', cluster, service: runningService }, countDelayed: true },
      { workload: 'stopped-worker', queueUrl: ordersQueue, consumer: { kind: 'ecs', cluster, service: stoppedService } },
      { workload: 'idle-and-stopped', queueUrl: idleQueue, consumer: { kind: 'ecs', cluster, service: stoppedService } },
      { workload: 'emails', queueUrl: emailsQueue, consumer: { kind: 'lambda', functionName: busyFunction } },
      { workload: 'emails-idle-consumer', queueUrl: emailsQueue, consumer: { kind: 'lambda', functionName: idleFunction } },
      {
        workload: 'missing-queue',
        queueUrl: ordersQueue.replace(/[^/]+$/, uniqueName('no-such-queue')),
        consumer: { kind: 'ecs', cluster, service: runningService },
      },
      { workload: 'missing-service', queueUrl: ordersQueue, consumer: { kind: 'ecs', cluster, service: uniqueName('no-such-service') } },
      { workload: 'missing-function', queueUrl: emailsQueue, consumer: { kind: 'lambda', functionName: uniqueName('no-such-function') } },
    ];
    vi.stubEnv('HEADROOM_BACKLOG_SOURCES', JSON.stringify(sources));
    const stdout = vi.spyOn(process.stdout, 'write');
    try {
      outcome = await handler({}, lambdaContext('backlog-publisher'));
      emf = stdout.mock.calls
        .map(([chunk]) => String(chunk))
        .filter((line) => line.includes('"_aws"'))
        .map((line) => JSON.parse(line) as Record<string, unknown>);
    } finally {
      stdout.mockRestore();
    }
  }, 90_000);

  it('publishes backlog per task of a queue and its running ECS service, which GetMetricData then returns', async () => {
    expect(await publishedValues(namespace, 'QueueBacklog', 'orders')).toEqual([15]);
    expect(await publishedValues(namespace, 'RunningCapacity', 'orders')).toEqual([3]);
    expect(await publishedValues(namespace, 'BacklogPerTask', 'orders')).toEqual([5]);
  });

  it('counts delayed messages only for the source that asks for it', async () => {
    expect(await publishedValues(namespace, 'QueueBacklog', 'orders-with-delayed')).toEqual([17]);
    expect(await publishedValues(namespace, 'BacklogPerTask', 'orders-with-delayed')).toEqual([17 / 3]);
  });

  it('publishes the whole backlog per task when no task runs, as if one task held it', async () => {
    expect(await publishedValues(namespace, 'RunningCapacity', 'stopped-worker')).toEqual([0]);
    expect(await publishedValues(namespace, 'BacklogPerTask', 'stopped-worker')).toEqual([15]);
  });

  it('publishes 0 backlog per task for an empty queue with no task running', async () => {
    expect(await publishedValues(namespace, 'BacklogPerTask', 'idle-and-stopped')).toEqual([0]);
  });

  it('divides a Lambda consumer’s backlog by its latest concurrent executions', async () => {
    expect(await publishedValues(namespace, 'RunningCapacity', 'emails')).toEqual([8]);
    expect(await publishedValues(namespace, 'BacklogPerTask', 'emails')).toEqual([5]);
  });

  it('counts a Lambda consumer with no recent invocations as none running', async () => {
    expect(await publishedValues(namespace, 'RunningCapacity', 'emails-idle-consumer')).toEqual([0]);
    expect(await publishedValues(namespace, 'BacklogPerTask', 'emails-idle-consumer')).toEqual([40]);
  });

  it('publishes nothing, not even a zero, for sources it cannot read', async () => {
    for (const workload of ['missing-queue', 'missing-service', 'missing-function']) {
      for (const metricName of ['BacklogPerTask', 'QueueBacklog', 'RunningCapacity']) {
        expect(await publishedValues(namespace, metricName, workload), `${metricName} of ${workload}`).toEqual([]);
      }
    }
  });

  it('reports which sources failed and why', () => {
    expect(outcome.failures.map((failure) => failure.workload).sort()).toEqual(['missing-function', 'missing-queue', 'missing-service']);
    expect(outcome.failures.find((failure) => failure.workload === 'missing-queue')?.reason).toMatch(/queue .*no-such-queue/);
    expect(outcome.published).toHaveLength(6);
  });

  it('puts all read sources in one PutMetricData call', () => {
    expect(outcome.putMetricDataCalls).toBe(1);
  });

  it('counts the failed sources in BacklogPublishFailures, in its own namespace', () => {
    expect(emf).toHaveLength(1);
    expect(emf[0]).toMatchObject({ BacklogPublishFailures: 3, service: 'headroom-backlog-publisher' });
    expect(JSON.stringify(emf[0]!._aws)).toContain(`"Namespace":"${namespace}"`);
  });
});

// RequiredCapacityPerTask from the queue's arrivals and the consumers' measured time per message. moto does not
// emit AWS/SQS metrics, so the test puts NumberOfMessagesSent as SQS would (Sum per minute), and the consumer kit's
// MessageProcessingTime as its EMF would arrive (a statistic set per minute), then reads the published signal back.
describe('the backlog publisher’s required capacity against moto', () => {
  const namespace = process.env.HEADROOM_METRIC_NAMESPACE!;
  const declaredMs = 2000;
  const drainBudgetMs = 100_000;
  let outcome: PublishOutcome;
  let measuredSource: BacklogSourceConfig;

  beforeAll(async () => {
    const cluster = uniqueName('cluster');
    await ecs.send(new CreateClusterCommand({ clusterName: cluster }));
    const [queueUrl, [running, stopped]] = await Promise.all([queueWith(12, 3, 0), Promise.all([ecsService(cluster, 3), ecsService(cluster, 0)])]);
    const queueName = queueUrl.slice(queueUrl.lastIndexOf('/') + 1);
    const minutesAgo = (minutes: number) => new Date(Math.floor(Date.now() / 60_000) * 60_000 - minutes * 60_000);
    await cloudwatch.send(
      new PutMetricDataCommand({
        Namespace: 'AWS/SQS',
        MetricData: [
          {
            MetricName: 'NumberOfMessagesSent',
            Dimensions: [{ Name: 'QueueName', Value: queueName }],
            Timestamp: minutesAgo(3),
            Value: 120,
            Unit: 'Count',
          },
          {
            MetricName: 'NumberOfMessagesSent',
            Dimensions: [{ Name: 'QueueName', Value: queueName }],
            Timestamp: minutesAgo(4),
            Value: 240,
            Unit: 'Count',
          },
          // Older than the 10-minute arrival window: not counted.
          {
            MetricName: 'NumberOfMessagesSent',
            Dimensions: [{ Name: 'QueueName', Value: queueName }],
            Timestamp: minutesAgo(13),
            Value: 6000,
            Unit: 'Count',
          },
        ],
      }),
    );
    const measured = {
      namespace,
      metricName: 'MessageProcessingTime',
      dimensions: [{ name: 'Workload', value: 'measured' }],
    };
    await cloudwatch.send(
      new PutMetricDataCommand({
        Namespace: namespace,
        MetricData: [
          {
            MetricName: 'MessageProcessingTime',
            Dimensions: measured.dimensions.map(({ name, value }) => ({ Name: name, Value: value })),
            Timestamp: minutesAgo(2),
            StatisticValues: { SampleCount: 300, Sum: 300 * 4000, Minimum: 1000, Maximum: 9000 },
            Unit: 'Milliseconds',
          },
        ],
      }),
    );
    const requiredCapacity = { timePerMessageMs: declaredMs, drainBudgetMs };
    const sources = [
      {
        workload: 'measured',
        queueUrl,
        consumer: { kind: 'ecs', cluster, service: running },
        requiredCapacity: { ...requiredCapacity, measuredTimePerMessage: measured },
      },
      { workload: 'declared', queueUrl, consumer: { kind: 'ecs', cluster, service: running }, requiredCapacity },
      { workload: 'scaled-to-zero', queueUrl, consumer: { kind: 'ecs', cluster, service: stopped }, requiredCapacity },
      { workload: 'recipe-only', queueUrl, consumer: { kind: 'ecs', cluster, service: running } },
      {
        workload: 'signal-only',
        queueUrl,
        consumer: { kind: 'ecs', cluster, service: running },
        requiredCapacity,
        metrics: ['RequiredCapacityPerTask'],
      },
    ];
    measuredSource = { ...sources[0]!, consumer: { kind: 'ecs', cluster, service: running } } as BacklogSourceConfig;
    vi.stubEnv('HEADROOM_BACKLOG_SOURCES', JSON.stringify(sources));
    const stdout = vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
    try {
      outcome = await handler({}, lambdaContext('backlog-publisher'));
    } finally {
      stdout.mockRestore();
    }
  }, 90_000);

  it('blends the measured time per message with the declared one by sample count', async () => {
    // (100 x 2000 + 300 x 4000) / 400
    expect(await publishedValues(namespace, 'TimePerMessage', 'measured')).toEqual([3500]);
  });

  it('reads the arrival rate from the last ten minutes of the queue’s NumberOfMessagesSent', async () => {
    expect(await publishedValues(namespace, 'ArrivalRate', 'measured')).toEqual([3]);
  });

  it('publishes RequiredCapacityPerTask: arrivals and the backlog’s drain, per desired task', async () => {
    // 3 msg/s x 3.5 s + 15 waiting x 3.5 s / 100 s = 11.025 tasks, over 3.
    expect((await publishedValues(namespace, 'RequiredCapacity', 'measured'))[0]).toBeCloseTo(11.025, 9);
    expect((await publishedValues(namespace, 'RequiredCapacityPerTask', 'measured'))[0]).toBeCloseTo(3.675, 9);
  });

  it('uses the declared time per message when the consumers measured none', async () => {
    expect(await publishedValues(namespace, 'TimePerMessage', 'declared')).toEqual([declaredMs]);
    expect((await publishedValues(namespace, 'RequiredCapacityPerTask', 'declared'))[0]).toBeCloseTo((3 * 2 + (15 * 2) / 100) / 3, 9);
  });

  it('flags a backlog with no task desired, so step scaling starts one', async () => {
    expect(await publishedValues(namespace, 'BacklogWithoutCapacity', 'scaled-to-zero')).toEqual([1]);
    expect(await publishedValues(namespace, 'BacklogWithoutCapacity', 'measured')).toEqual([0]);
  });

  it('publishes only the recipe’s metrics for a source without requiredCapacity', async () => {
    expect(await publishedValues(namespace, 'BacklogPerTask', 'recipe-only')).toEqual([5]);
    expect(await publishedValues(namespace, 'RequiredCapacityPerTask', 'recipe-only')).toEqual([]);
    expect(outcome.failures).toEqual([]);
  });

  it('publishes only the metrics a source lists', async () => {
    expect((await publishedValues(namespace, 'RequiredCapacityPerTask', 'signal-only'))[0]).toBeCloseTo((3 * 2 + (15 * 2) / 100) / 3, 9);
    expect(await publishedValues(namespace, 'BacklogPerTask', 'signal-only')).toEqual([]);
    expect(await publishedValues(namespace, 'TimePerMessage', 'signal-only')).toEqual([]);
  });

  it('reads a consumer’s measured time per message again only once the kept one is 5 minutes old', async () => {
    const queriesPerCall: number[] = [];
    const counting = new CloudWatchClient({});
    counting.middlewareStack.add(
      (next, context) => async (args) => {
        if (context.commandName === 'GetMetricDataCommand') {
          queriesPerCall.push((args.input as { MetricDataQueries: unknown[] }).MetricDataQueries.length);
        }
        return next(args);
      },
      { step: 'initialize' },
    );
    const clients = { sqs, ecs, lambda: new LambdaClient({}), cloudwatch: counting };
    const config = { namespace: uniqueName('HeadroomCache'), sources: [measuredSource] };
    const measuredTimes = new MeasuredTimeCache();
    const start = Date.now();
    for (const minutes of [0, 1, 4, 5]) await publishBacklog(config, clients, new Date(start + minutes * 60_000), measuredTimes);
    // NumberOfMessagesSent every run; the measured Sum and SampleCount at the first run and 5 minutes later.
    expect(queriesPerCall).toEqual([3, 1, 1, 3]);
  });

  it('blends the kept measured time per message while it is fresh, as when it was read', async () => {
    const measuredTimes = new MeasuredTimeCache();
    const start = Date.now();
    const first = await readQueueDemand(cloudwatch, [measuredSource], new Date(start), measuredTimes);
    const second = await readQueueDemand(cloudwatch, [measuredSource], new Date(start + 60_000), measuredTimes);
    const timePerMessage = (result: typeof first) => {
      const demand = result.get('measured');
      return demand?.ok ? demand.value.timePerMessageMs : demand?.reason;
    };
    // (100 x 2000 + 300 x 4000) / 400, read at the first run and kept for the second.
    expect([timePerMessage(first), timePerMessage(second)]).toEqual([3500, 3500]);
  });
});

describe('the backlog publisher’s configuration', () => {
  it('fails naming the variable and the shape it expects when the sources are not set', async () => {
    vi.stubEnv('HEADROOM_BACKLOG_SOURCES', '');
    await expect(handler({}, lambdaContext('backlog-publisher'))).rejects.toThrow(/HEADROOM_BACKLOG_SOURCES is not set: set it to a JSON array of/);
  });
});

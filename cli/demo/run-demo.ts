import { CloudWatchClient, GetMetricDataCommand } from '@aws-sdk/client-cloudwatch';
import { ECSClient } from '@aws-sdk/client-ecs';
import { LambdaClient } from '@aws-sdk/client-lambda';
import { GetQueueUrlCommand, SendMessageBatchCommand, SQSClient } from '@aws-sdk/client-sqs';
import { SSMClient } from '@aws-sdk/client-ssm';
import { ApplicationAutoScalingClient, DescribeScheduledActionsCommand, type ScalableDimension } from '@aws-sdk/client-application-auto-scaling';
import { loadBacklogPublisherConfig } from '../../functions/backlog-publisher/load-config.ts';
import { publishBacklog } from '../../functions/backlog-publisher/publish-backlog.ts';
import { loadPredictorConfig } from '../../functions/predictor/load-config.ts';
import { PREDICTOR_MAX_ATTEMPTS, QuotaAwareRetryStrategy } from '../../functions/predictor/retry-strategy.ts';
import { runPredictor } from '../../functions/predictor/run-predictor.ts';
import { DEFAULT_NAMESPACE, MetricName, WORKLOAD_DIMENSION } from '../../shared/metrics/names.ts';
import type { RegularSeries } from '../../shared/series/regular-series.ts';
import { syntheticLoad } from '../../shared/synthetic-load/synthetic-load.ts';
import { applySkippedResources } from '../local-aws/apply-skipped-resources.ts';
import { deployReferenceApp, type DeployedStack } from '../local-aws/deploy-reference.ts';
import { localAwsEnvironment, startLocalAws } from '../local-aws/moto-server.ts';
import { runBacktest } from '../../shared/simulate/index.ts';
import { writeReport } from '../report/index.ts';
import { readMetricHistory } from '../cloudwatch-history/read-metric-history.ts';
import { seedMetricHistory } from './seed-history.ts';
import { backtestDemoWebService } from './web-service-backtest.ts';
import { demoWorkerKit } from './worker-kit-demo.ts';
import { physicalIdOf, referenceFunctionEnvironment } from './stack-outputs.ts';

export interface DemoOptions {
  /** Where the HTML report goes. */
  readonly reportDir: string;
  /** The demo's "now": the end of the seeded history (UTC). */
  readonly now: Date;
  readonly log: (line: string) => void;
}

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;
const HISTORY_DAYS = 14;
const WORKER_BACKLOG = 600;

/** The built-in workload: two weeks of a daily + weekly pattern with noise and one flash crowd, seeded. */
function demoLoad(now: Date) {
  const startMs = Math.floor(now.getTime() / HOUR_MS) * HOUR_MS - HISTORY_DAYS * DAY_MS;
  return syntheticLoad({
    startMs,
    stepMs: HOUR_MS,
    days: HISTORY_DAYS,
    meanRate: 6,
    flashCrowd: { startMs: startMs + 9 * DAY_MS + 13 * HOUR_MS, durationMs: 2 * HOUR_MS, multiplier: 3 },
  });
}

/**
 * The demo against an AWS you point it at (a profile, or another endpoint) where the reference app is already
 * deployed: it publishes the backlog, runs the predictor in forecastOnly mode whatever the deployed mode (no
 * scheduled action is written), and backtests the worker queue's own two weeks of history. Nothing is sent to
 * your queues and nothing is deployed.
 */
export async function runAccountDemo(options: DemoOptions & { readonly endpoint?: string; readonly profile?: string }): Promise<void> {
  const { log } = options;
  if (options.profile) process.env.AWS_PROFILE = options.profile;
  if (options.endpoint) process.env.AWS_ENDPOINT_URL = options.endpoint;
  const deployed: DeployedStack = { stackName: 'HeadroomReference', assemblyDir: '' };
  log(
    `using ${options.endpoint ?? 'AWS'}${options.profile ? ` with profile ${options.profile}` : ''}: the HeadroomReference stack must be deployed there (cdk deploy)`,
  );
  await runReactivePath(deployed, options, false);
  await runPredictivePath(deployed, options, true);
  const history = await readMetricHistory(new CloudWatchClient({}), {
    namespace: 'AWS/SQS',
    metricName: 'NumberOfMessagesSent',
    dimensions: { QueueName: await workerQueueName(deployed) },
    periodSeconds: 300,
    days: HISTORY_DAYS,
    now: options.now,
  });
  await runDemoBacktest(history, options);
}

/** `npm start`: headroom end to end on a local AWS, with no account. */
export async function runLocalDemo(options: DemoOptions): Promise<void> {
  const { log } = options;
  log('starting the local AWS (moto_server on loopback)');
  const localAws = await startLocalAws();
  const previous = { ...process.env };
  Object.assign(process.env, localAwsEnvironment(localAws.endpoint), { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' });
  try {
    log(`local AWS at ${localAws.endpoint}`);
    const deployed = await deployReferenceApp(localAws.endpoint, log);
    const applied = await applySkippedResources(deployed);
    log(`applied what moto's CloudFormation skips: ${[...applied].map(([type, count]) => `${count} ${type}`).join(', ')}`);
    await runReactivePath(deployed, options, true);
    await demoWorkerKit(await workerQueueName(deployed), 'reference-worker', log);
    await seedDemoHistory(deployed, options);
    await runPredictivePath(deployed, options, false);
    const load = demoLoad(options.now);
    await runDemoBacktest({ ...load, values: load.values.map((perSecond) => perSecond * (load.stepMs / 1000)) }, options);
    backtestDemoWebService(load, log);
  } finally {
    process.env = previous;
    await localAws.stop();
    log('stopped the local AWS');
  }
}

async function runReactivePath(deployed: DeployedStack, options: DemoOptions, sendBacklog: boolean): Promise<void> {
  const { log } = options;
  const sqs = new SQSClient({ useQueueUrlAsEndpoint: false });
  const cloudwatch = new CloudWatchClient({});
  const publisherEnvironment = await referenceFunctionEnvironment(deployed, 'HeadroomBacklogPublisherFunction');
  // The sources are in the SSM parameters the stack created, as the deployed function reads them.
  const config = await loadBacklogPublisherConfig(publisherEnvironment, new SSMClient({}));
  // moto's CloudFormation names queues by AWS's public host; ask the local endpoint for the URL it answers on.
  const sources = await Promise.all(
    config.sources.map(async (source) => ({
      ...source,
      queueUrl: (await sqs.send(new GetQueueUrlCommand({ QueueName: source.queueUrl.slice(source.queueUrl.lastIndexOf('/') + 1) }))).QueueUrl!,
    })),
  );
  for (const source of sendBacklog ? sources : []) {
    for (let sent = 0; sent < WORKER_BACKLOG; sent += 10) {
      const entries = Array.from({ length: 10 }, (_, index) => ({ Id: String(index), MessageBody: JSON.stringify({ order: sent + index }) }));
      await sqs.send(new SendMessageBatchCommand({ QueueUrl: source.queueUrl, Entries: entries }));
    }
    log(`sent ${WORKER_BACKLOG} messages to ${source.workload}'s queue`);
  }
  const now = new Date();
  const outcome = await publishBacklog({ ...config, sources }, { sqs, ecs: new ECSClient({}), lambda: new LambdaClient({}), cloudwatch }, now);
  log(
    `backlog publisher: published ${outcome.published.length} workload(s), ${outcome.failures.length} failure(s), ${outcome.putMetricDataCalls} PutMetricData call(s)`,
  );
  for (const failure of outcome.failures) log(`  not published for ${failure.workload}: ${failure.reason}`);
  for (const source of sources) {
    const signals = [MetricName.requiredCapacityPerTask, MetricName.requiredCapacity, MetricName.backlogWithoutCapacity, MetricName.backlogPerTask];
    const answer = await cloudwatch.send(
      new GetMetricDataCommand({
        StartTime: new Date(now.getTime() - 5 * 60_000),
        EndTime: new Date(now.getTime() + 60_000),
        MetricDataQueries: signals.map((metricName, index) => ({
          Id: `m${index}`,
          MetricStat: {
            Metric: {
              Namespace: config.namespace ?? DEFAULT_NAMESPACE,
              MetricName: metricName,
              Dimensions: [{ Name: WORKLOAD_DIMENSION, Value: source.workload }],
            },
            Period: 60,
            Stat: 'Maximum',
          },
        })),
      }),
    );
    const read = signals.map(
      (metricName, index) =>
        `${metricName} = ${answer.MetricDataResults?.find((result) => result.Id === `m${index}`)?.Values?.[0] ?? 'no datapoint'}`,
    );
    log(`  ${source.workload}: read back from CloudWatch: ${read.join(', ')}`);
  }
  log(
    '  the service scales on RequiredCapacityPerTask (tasks the queue needs per task, held at 0.9); BacklogWithoutCapacity = 1 starts a task when none is desired',
  );
}

async function workerQueueName(deployed: DeployedStack): Promise<string> {
  const workerQueueUrl = await physicalIdOf(deployed, 'AWS::SQS::Queue', 'WorkerQueue');
  return workerQueueUrl.slice(workerQueueUrl.lastIndexOf('/') + 1);
}

async function seedDemoHistory(deployed: DeployedStack, options: DemoOptions): Promise<void> {
  const seeded = await seedMetricHistory(
    new CloudWatchClient({}),
    { namespace: 'AWS/SQS', metricName: 'NumberOfMessagesSent', dimensions: [{ Name: 'QueueName', Value: await workerQueueName(deployed) }] },
    demoLoad(options.now),
  );
  options.log(`seeded ${seeded} hourly points of two weeks' arrivals on the worker queue (synthetic: daily + weekly cycle, noise, a flash crowd)`);
}

async function runPredictivePath(deployed: DeployedStack, options: DemoOptions, forecastOnly: boolean): Promise<void> {
  const { log } = options;
  const cloudwatch = new CloudWatchClient({});
  const deployedConfig = await loadPredictorConfig(await referenceFunctionEnvironment(deployed, 'PredictorFunction'), new SSMClient({}));
  // Pointed at a real account, the demo never writes a scheduled action.
  const config = forecastOnly ? { ...deployedConfig, mode: 'forecastOnly' as const } : deployedConfig;
  const scaling = new ApplicationAutoScalingClient({ retryStrategy: new QuotaAwareRetryStrategy(PREDICTOR_MAX_ATTEMPTS) });
  const run = await runPredictor({ cloudwatch, scaling }, config, options.now);
  for (const outcome of run.outcomes) {
    const decision = outcome.decision;
    if (!outcome.ok || !decision) {
      log(`predictor: ${outcome.workload} not planned: ${outcome.reason}`);
      continue;
    }
    log(
      `predictor: ${outcome.workload}: model ${decision.forecast.model}, ${decision.plan.steps.length} floor step(s) over the next ${config.horizonHours} h; wrote ${outcome.put}, deleted ${outcome.deleted}${outcome.reason ? ` (${outcome.reason})` : ''}`,
    );
  }
  for (const target of config.targets) {
    const answer = await scaling.send(
      new DescribeScheduledActionsCommand({
        ServiceNamespace: target.serviceNamespace,
        ResourceId: target.resourceId,
        ScalableDimension: target.scalableDimension as ScalableDimension,
      }),
    );
    const actions = (answer.ScheduledActions ?? []).sort((a, b) => a.Schedule!.localeCompare(b.Schedule!));
    log(`scheduled actions on ${target.resourceId} (${actions.length}):`);
    for (const action of actions) log(`  ${action.Schedule}  MinCapacity=${action.ScalableTargetAction?.MinCapacity}  ${action.ScheduledActionName}`);
  }
}

/** The same two weeks (messages per step) replayed through every policy, with the reference worker's numbers. */
async function runDemoBacktest(load: RegularSeries, options: DemoOptions): Promise<void> {
  const { log } = options;
  const parameters = { throughputPerWorker: 0.5, startupMs: 90_000, sloMs: 300_000, minCapacity: 1, maxCapacity: 40 };
  log('backtesting the policies on the same two weeks (0.5 msg/s per worker, 90 s start-up, 5 min SLO, 1-40 workers)');
  const result = runBacktest(load, parameters);
  for (const policy of result.policies) {
    log(
      `  ${policy.name.padEnd(24)} SLO-violation minutes ${String(policy.sloViolationMinutes).padStart(5)}   capacity-hours ${policy.capacityHours.toFixed(0).padStart(6)}   vs oracle ${policy.capacityHoursVsOracle.toFixed(2)}   scaling actions ${String(policy.scalingActions).padStart(5)}`,
    );
  }
  const byName = new Map(result.policies.map((policy) => [policy.name, policy]));
  const reactive = byName.get('headroom-reactive');
  const recipe = byName.get('backlog-target-tracking');
  const oracle = byName.get('oracle');
  if (reactive && recipe && oracle) {
    log(
      `  headroom-reactive (QueueScaledService's default) runs at ${reactive.capacityHoursVsOracle.toFixed(2)} x the clairvoyant oracle with ${reactive.sloViolationMinutes} violation minutes (the oracle: ${oracle.sloViolationMinutes}); ` +
        `AWS's backlog-per-task recipe at ${recipe.capacityHoursVsOracle.toFixed(2)} x with ${recipe.sloViolationMinutes}: its equilibrium is a wait at the SLO, and once the queue drains it reads 0 whatever the capacity, so it swings between too many tasks and too few`,
    );
  }
  const predictive = byName.get('headroom-predictive');
  if (predictive && oracle) {
    const chosen = result.floorSettings?.at(-1)?.settings;
    log(
      `  headroom-predictive (the predictor's floors, covering the forecast once, under that signal tracked at 1) runs at ${predictive.capacityHoursVsOracle.toFixed(2)} x with ${predictive.sloViolationMinutes} violation minutes` +
        (chosen
          ? `; its floors were planned from the ${chosen.quantile} at ${Math.round(chosen.targetUtilization * 100)}%, the cheapest setting that met the SLO when the week before was replayed`
          : ''),
    );
  }
  const peakPerSecond = Math.max(...load.values.filter(Number.isFinite)) / (load.stepMs / 1000);
  const ceilingPerSecond = parameters.throughputPerWorker * parameters.maxCapacity;
  if (peakPerSecond > ceilingPerSecond) {
    log(
      `  the flash crowd peaks at ${peakPerSecond.toFixed(1)} msg/s, above the ${ceilingPerSecond} msg/s that ${parameters.maxCapacity} workers can serve: no policy, not even the oracle, meets the SLO then, and those minutes are the oracle's too`,
    );
  }
  const report = await writeReport(result, options.reportDir);
  log(`report written: ${report.htmlPath}`);
  log(
    'open it and compare "Load vs capacity" (how closely each policy follows the load) and "Oldest message wait vs the SLO" (who breaches it, when)',
  );
}

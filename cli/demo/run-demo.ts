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
import { applySkippedResources } from '../local-aws/apply-skipped-resources.ts';
import { deployReferenceApp, type DeployedStack } from '../local-aws/deploy-reference.ts';
import { localAwsEnvironment, startLocalAws } from '../local-aws/moto-server.ts';
import { runBacktest, type BacktestResult } from '../../shared/simulate/index.ts';
import { describeRequiredTasks } from '../../shared/simulate/http/index.ts';
import { writeReport, type ReportStory, type ScheduledActionsShown } from '../report/index.ts';
import { formatTable } from '../report/table-report.ts';
import { HTTP_POLICY_DEFINITIONS, QUEUE_POLICY_DEFINITIONS, verdictLines } from '../report/verdict.ts';
import { readMetricHistory } from '../cloudwatch-history/read-metric-history.ts';
import { seedMetricHistory } from './seed-history.ts';
import { demoWorkerKit } from './worker-kit-demo.ts';
import {
  DEMO_LOAD_PROVENANCE,
  DEMO_WEB_SERVICE,
  DEMO_WORKER,
  demoFigures,
  demoHistoryEndingAt,
  HISTORY_DAYS,
  REQUESTS_PER_MESSAGE,
  type DemoFigures,
} from './demo-load.ts';
import { physicalIdOf, referenceFunctionEnvironment } from './stack-outputs.ts';

export interface DemoOptions {
  /** Where the HTML report goes. */
  readonly reportDir: string;
  /** The demo's "now": the end of the seeded history (UTC). */
  readonly now: Date;
  readonly log: (line: string) => void;
}

const WORKER_BACKLOG = 600;

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
  const scheduled = await runPredictivePath(deployed, options, true);
  const history = await readMetricHistory(new CloudWatchClient({}), {
    namespace: 'AWS/SQS',
    metricName: 'NumberOfMessagesSent',
    dimensions: { QueueName: await workerQueueName(deployed) },
    periodSeconds: 300,
    days: HISTORY_DAYS,
    now: options.now,
  });
  const queueName = await workerQueueName(deployed);
  log(`backtesting the policies on the worker queue's last ${HISTORY_DAYS} days (${describeWorker()})`);
  const queue = runBacktest(history, DEMO_WORKER);
  printQueueVerdict(queue, log);
  await writeDemoReport(queue, options, {
    provenance: `your account's history: AWS/SQS NumberOfMessagesSent of ${queueName}, the last ${HISTORY_DAYS} days at 5-minute steps`,
    scheduledActions: scheduled,
  });
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
    const scheduled = await runPredictivePath(deployed, options, false);
    log(`backtesting the policies on the same two weeks (${describeWorker()}); ${DEMO_LOAD_PROVENANCE}`);
    const figures = demoFigures();
    printQueueVerdict(figures.queue, log);
    printWebVerdict(figures, log);
    printTableVerdict(figures, log);
    await writeDemoReport(figures.queue, options, {
      provenance: DEMO_LOAD_PROVENANCE,
      web: figures,
      table: figures.table,
      scheduledActions: scheduled,
    });
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
    const read = signals.map((metricName, index) => {
      const value = answer.MetricDataResults?.find((result) => result.Id === `m${index}`)?.Values?.[0];
      return `${metricName} = ${value === undefined ? 'no datapoint' : Math.round(value * 100) / 100}`;
    });
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
    demoHistoryEndingAt(options.now),
  );
  options.log(
    `seeded ${seeded} hourly points of two weeks' arrivals on the worker queue, ending now (${DEMO_LOAD_PROVENANCE}; the same values at every run)`,
  );
}

async function runPredictivePath(deployed: DeployedStack, options: DemoOptions, forecastOnly: boolean): Promise<ScheduledActionsShown[]> {
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
  const shown: ScheduledActionsShown[] = [];
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
    shown.push({
      resourceId: target.resourceId!,
      mode: config.mode ?? 'forecastAndScale',
      actions: actions.map((action) => ({
        schedule: action.Schedule!,
        minCapacity: action.ScalableTargetAction?.MinCapacity ?? null,
        name: action.ScheduledActionName!,
      })),
    });
  }
  return shown;
}

const describeWorker = () =>
  `${DEMO_WORKER.throughputPerWorker} msg/s per worker, ${DEMO_WORKER.startupMs / 1000} s start-up, ${DEMO_WORKER.sloMs / 60_000} min SLO, ${DEMO_WORKER.minCapacity}-${DEMO_WORKER.maxCapacity} workers`;

/** The queue worker's scoreboard, then the verdict against every baseline, each named for what it is. */
function printQueueVerdict(result: BacktestResult, log: (line: string) => void): void {
  for (const policy of result.policies) {
    log(
      `  ${policy.name.padEnd(24)} SLO-violation minutes ${String(policy.sloViolationMinutes).padStart(5)}   capacity-hours ${policy.capacityHours.toFixed(0).padStart(6)}   vs oracle ${policy.capacityHoursVsOracle.toFixed(2)}   scaling actions ${String(policy.scalingActions).padStart(5)}`,
    );
  }
  log('  what each is:');
  for (const policy of result.policies) log(`    ${policy.name}: ${QUEUE_POLICY_DEFINITIONS[policy.name] ?? ''}`);
  const scores = result.policies.map((policy) => ({
    name: policy.name,
    violationMinutes: policy.sloViolationMinutes,
    hours: policy.capacityHours,
    vsOracle: policy.capacityHoursVsOracle,
  }));
  log('  verdict (the queue worker):');
  for (const line of verdictLines(scores, ['headroom-reactive', 'headroom-predictive'], 'capacity-hours')) log(`    ${line}`);
  const chosen = result.floorSettings?.at(-1)?.settings;
  if (chosen)
    log(
      `  headroom-predictive's floors were planned from the ${chosen.quantile} at ${Math.round(chosen.targetUtilization * 100)}%, the cheapest setting that met the SLO when the week before was replayed`,
    );
  const peakPerSecond = Math.max(...result.arrivals) / 60;
  const ceilingPerSecond = DEMO_WORKER.throughputPerWorker * DEMO_WORKER.maxCapacity;
  if (peakPerSecond > ceilingPerSecond) {
    log(
      `  the flash crowd peaks at ${peakPerSecond.toFixed(1)} msg/s, above the ${ceilingPerSecond} msg/s that ${DEMO_WORKER.maxCapacity} workers can serve: no policy, not even the oracle, meets the SLO then, and those minutes are the oracle's too`,
    );
  }
}

/** The web service's scoreboard and verdict, in words like the worker's. */
function printWebVerdict(figures: DemoFigures, log: (line: string) => void): void {
  const { web, webTuning } = figures;
  log(
    `backtesting a web service on the same two weeks as requests (x${REQUESTS_PER_MESSAGE}: ${DEMO_WEB_SERVICE.requestsPerSecondPerTask} requests/s per task saturated, p99 SLO ${DEMO_WEB_SERVICE.sloMs} ms, ${DEMO_WEB_SERVICE.startupMs / 1000} s start-up, ${DEMO_WEB_SERVICE.minCapacity}-${DEMO_WEB_SERVICE.maxCapacity} tasks)`,
  );
  log(
    `  headroom tracks RequiredTasksPerTask at ${web.headroomTarget} (required tasks = ${describeRequiredTasks(web.requiredTasks!)}; one task serves ${web.sloRatePerTask.toFixed(1)} requests/s within the SLO)`,
  );
  for (const policy of web.policies) {
    log(
      `  ${policy.name.padEnd(24)} SLO-violation minutes ${String(policy.sloViolationMinutes).padStart(5)}   task-hours ${policy.taskHours.toFixed(0).padStart(6)}   vs oracle ${policy.taskHoursVsOracle.toFixed(2)}`,
    );
  }
  log('  what each is:');
  for (const policy of web.policies) log(`    ${policy.name}: ${HTTP_POLICY_DEFINITIONS[policy.name] ?? ''}`);
  const scores = web.policies.map((policy) => ({
    name: policy.name,
    violationMinutes: policy.sloViolationMinutes,
    hours: policy.taskHours,
    vsOracle: policy.taskHoursVsOracle,
  }));
  log('  verdict (the web service):');
  for (const line of verdictLines(scores, ['headroom-reactive', 'headroom'], 'task-hours')) log(`    ${line}`);
  log(`  the RequiredTasksPerTask target this load supports, replayed from 0.6 to 0.9: ${webTuning.reason}`);
}

/** The table's two policies and what the floors cost there, in words. */
function printTableVerdict(figures: DemoFigures, log: (line: string) => void): void {
  log(`backtesting a provisioned DynamoDB table on the same two weeks: ${figures.table.intro}`);
  for (const line of formatTable(figures.table.header, figures.table.rows).trimEnd().split('\n')) log(`  ${line}`);
  log(`  ${figures.table.verdict}`);
}

async function writeDemoReport(queue: BacktestResult, options: DemoOptions, story: ReportStory): Promise<void> {
  const report = await writeReport(queue, options.reportDir, story);
  options.log(`report written: ${report.htmlPath}`);
  options.log('open it: the verdict first, then what each policy is, the load and where it came from, the results and the floors');
}

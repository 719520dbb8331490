import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { InvalidArgumentError, Option, type Command } from 'commander';
import { tooManyGaps } from '../../shared/forecast/gaps.ts';
import {
  arrivalsPerMinute,
  POLICY_NAMES,
  runBacktest,
  SCALE_IN_MODELS,
  type BacktestResult,
  type PolicyName,
  type ScaleInModel,
} from '../../shared/simulate/index.ts';
import type { RegularSeries } from '../../shared/series/regular-series.ts';
import { readMetricHistory } from '../cloudwatch-history/read-metric-history.ts';
import { durationBetween, formatDuration } from '../options/duration.ts';
import { refuseFlagsThatDoNotApply, type FlagRules } from '../options/flags-that-apply.ts';
import { parsePositiveNumber, parseUtilization, parseWholeNumber, wholeNumberBetween } from '../options/numbers.ts';
import { readTrace } from '../options/read-trace.ts';
import { prepareReportFolder, writeReport } from '../report/index.ts';
import { dynamodbBacktest, dynamodbTable, LAMBDA_DEFAULT_MAX_CONCURRENCY, lambdaBacktest, lambdaTable } from './backtest-consumers.ts';
import { verdictLines } from '../report/verdict.ts';
import { printTableReport, writeTableReport, type TableReport } from '../report/table-report.ts';
import { addHttpOptions, httpBacktest, refuseHttpFlags, type HttpBacktestFlags } from './backtest-http.ts';

interface BacktestFlags {
  consumer: 'ecs' | 'lambda' | 'dynamodb';
  maxConcurrency: number;
  targetUtilization: number;
  trace?: string;
  fromCloudwatch?: boolean;
  namespace?: string;
  metric?: string;
  dimension: Record<string, string>;
  stat: string;
  days: number;
  throughput?: number;
  startup: number;
  scaleOutCooldown: number;
  scaleInModel: ScaleInModel;
  slo: number;
  min: number;
  max?: number;
  scale: number;
  policies: PolicyName[];
  json?: boolean;
  report?: string;
}

function parsePolicies(text: string): PolicyName[] {
  const names = text
    .split(',')
    .map((name) => name.trim())
    .filter(Boolean);
  const unknown = names.filter((name) => !POLICY_NAMES.includes(name as PolicyName));
  if (unknown.length > 0 || names.length === 0)
    throw new InvalidArgumentError(`unknown policy ${unknown.join(', ') || '(none)'}: use ${POLICY_NAMES.join(', ')}`);
  return names as PolicyName[];
}

function collectDimension(text: string, previous: Record<string, string>): Record<string, string> {
  const match = /^([^=]+)=(.+)$/.exec(text);
  if (!match) throw new InvalidArgumentError(`"${text}" is not a dimension: use Name=Value`);
  return { ...previous, [match[1]!]: match[2]! };
}

const ECS = { setting: 'consumer', values: ['ecs'], as: 'with --consumer ecs' };
const CLOUDWATCH = { setting: 'source', values: ['from-cloudwatch'], as: 'with --from-cloudwatch' };
/** Flags that do something only for some consumers or load sources: given elsewhere, they are refused. */
const FLAG_RULES: FlagRules = {
  '--policies': ECS,
  '--startup': ECS,
  '--scale-out-cooldown': ECS,
  '--min': { setting: 'consumer', values: ['ecs', 'dynamodb'], as: 'with --consumer ecs or dynamodb' },
  '--max': { setting: 'consumer', values: ['ecs', 'dynamodb'], as: 'with --consumer ecs or dynamodb (Lambda takes --max-concurrency)' },
  '--throughput': { setting: 'consumer', values: ['ecs', 'lambda'], as: 'with --consumer ecs or lambda (a DynamoDB trace counts capacity units)' },
  '--slo': { setting: 'consumer', values: ['ecs', 'lambda'], as: 'with --consumer ecs or lambda' },
  '--max-concurrency': { setting: 'consumer', values: ['lambda'], as: 'with --consumer lambda' },
  '--target-utilization': { setting: 'consumer', values: ['dynamodb'], as: 'with --consumer dynamodb' },
  '--namespace': CLOUDWATCH,
  '--metric': CLOUDWATCH,
  '--dimension': CLOUDWATCH,
  '--stat': CLOUDWATCH,
  '--days': CLOUDWATCH,
};

/** DynamoDB target tracking takes a target value of 20-90 percent. */
const TABLE_UTILIZATION = { least: 0.2, most: 0.9 };

/**
 * Every required flag missing from this run, named together (not one failed run at a time): which ones are required
 * depends on the workload, the consumer and the load source.
 */
export function missingFlags(flags: BacktestFlags & Pick<HttpBacktestFlags, 'workload' | 'saturationRequestsPerSecond'>): string[] {
  const missing: string[] = [];
  if (!flags.trace && !flags.fromCloudwatch) missing.push('--trace <file> or --from-cloudwatch (the load to replay)');
  if (flags.fromCloudwatch && !flags.namespace) missing.push('--namespace <namespace> (with --from-cloudwatch)');
  if (flags.fromCloudwatch && !flags.metric) missing.push('--metric <name> (with --from-cloudwatch)');
  const http = flags.workload === 'http';
  if (http && flags.saturationRequestsPerSecond === undefined)
    missing.push('--saturation-requests-per-second <rps> (what one task serves when saturated)');
  if (!http && flags.consumer !== 'dynamodb' && flags.throughput === undefined)
    missing.push('--throughput <msgs> (messages one worker handles per second)');
  if (flags.consumer !== 'lambda' && flags.max === undefined)
    missing.push(http ? '--max <n> (the most tasks)' : '--max <n> (the most workers or capacity units)');
  return missing;
}

function checkFlags(flags: BacktestFlags & Pick<HttpBacktestFlags, 'workload' | 'saturationRequestsPerSecond'>, command: Command): void {
  if (flags.trace && flags.fromCloudwatch) throw new Error('give either --trace or --from-cloudwatch, not both');
  const missing = missingFlags(flags);
  if (missing.length > 0) throw new Error(`missing ${missing.length === 1 ? 'a required flag' : 'required flags'}: ${missing.join('; ')}`);
  // Queue waits are simulated by the minute; request latencies (--workload http) by the millisecond.
  if (flags.workload !== 'http' && flags.slo < 60_000) {
    throw new Error(
      `--slo ${flags.slo} ms is under a minute, and the queue simulation steps by the minute: use 1m or more (sub-second SLOs are for --workload http)`,
    );
  }
  refuseFlagsThatDoNotApply(command, { consumer: flags.consumer, source: flags.fromCloudwatch ? 'from-cloudwatch' : 'trace' }, FLAG_RULES);
  if (flags.max !== undefined && flags.min > flags.max)
    throw new Error(`--min ${flags.min} is above --max ${flags.max}: the minimum cannot exceed the maximum`);
  if (flags.consumer === 'dynamodb' && !(flags.targetUtilization >= TABLE_UTILIZATION.least && flags.targetUtilization <= TABLE_UTILIZATION.most)) {
    throw new Error(
      `--target-utilization ${Math.round(flags.targetUtilization * 1000) / 10}% is out of range for a DynamoDB table: AWS takes 20% to 90%`,
    );
  }
}

async function loadSeries(flags: BacktestFlags): Promise<RegularSeries> {
  if (flags.trace) return (await readTrace(flags.trace)).series;
  if (!flags.namespace || !flags.metric) throw new Error('--from-cloudwatch needs --namespace and --metric');
  const history = await readMetricHistory(new CloudWatchClient({}), {
    namespace: flags.namespace,
    metricName: flags.metric,
    dimensions: flags.dimension,
    stat: flags.stat,
    periodSeconds: 60,
    days: flags.days,
    now: new Date(),
  });
  // The trace reader applies the gap rule as it reads; CloudWatch history gets the same rule here.
  const gaps = tooManyGaps(history.values.filter((value) => !Number.isFinite(value)).length, history.values.length);
  if (gaps) throw new Error(`the metric ${flags.namespace} ${flags.metric} over the last ${flags.days} day(s) cannot be used: ${gaps}`);
  return history;
}

const fixed = (value: number, digits: number) => (Number.isFinite(value) ? value.toFixed(digits) : '-');

function printTable(result: BacktestResult): void {
  const p = result.parameters;
  process.stdout.write(
    `throughput ${p.throughputPerWorker} msg/s per worker, start-up ${p.startupMs / 1000} s, SLO ${p.sloMs / 1000} s, capacity ${p.minCapacity}-${p.maxCapacity}, ${(result.arrivals.length / 1440).toFixed(1)} days\n`,
  );
  const header = ['policy', 'SLO-violation min', 'p99 wait s', 'capacity-hours', 'actions', 'vs oracle'];
  const rows = result.policies.map((policy) => [
    policy.name,
    String(policy.sloViolationMinutes),
    String(policy.p99WaitSeconds),
    fixed(policy.capacityHours, 1),
    String(policy.scalingActions),
    fixed(policy.capacityHoursVsOracle, 2),
  ]);
  const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => row[column]!.length)));
  for (const row of [header, ...rows])
    process.stdout.write(`${row.map((cell, column) => (column === 0 ? cell.padEnd(widths[column]!) : cell.padStart(widths[column]!))).join('  ')}\n`);
  const headroom = result.policies.filter((policy) => policy.name.startsWith('headroom')).map((policy) => policy.name);
  if (headroom.length > 0 && result.policies.some((policy) => policy.name === 'oracle')) {
    const scores = result.policies.map((policy) => ({
      name: policy.name,
      violationMinutes: policy.sloViolationMinutes,
      hours: policy.capacityHours,
      vsOracle: policy.capacityHoursVsOracle,
    }));
    for (const line of verdictLines(scores, headroom, 'capacity-hours')) process.stdout.write(`${line}\n`);
  }
  const tuned = describeFloorSettings(result);
  if (tuned) process.stdout.write(`${tuned}\n`);
}

/** headroom-predictive's daily floor settings, runs of equal days merged: "p50 at 100% from 01-09, p90 at 85% from 01-12". */
function describeFloorSettings(result: BacktestResult): string | undefined {
  const days = result.floorSettings ?? [];
  if (days.length === 0) return undefined;
  const runs: string[] = [];
  let previous = '';
  for (const day of days) {
    const setting = `${day.settings.quantile} at ${Math.round(day.settings.targetUtilization * 100)}%`;
    if (setting !== previous) runs.push(`${setting} from ${new Date(day.fromMs).toISOString().slice(0, 10)}`);
    previous = setting;
  }
  return `headroom-predictive floors, chosen each day by replaying the week before: ${runs.join(', ')}`;
}

/** A progress bar on stderr, only when a person is watching it (stderr is a TTY) and the output is not --json. */
function progressBar(json: boolean | undefined): ((done: number, total: number) => void) | undefined {
  if (json || !process.stderr.isTTY) return undefined;
  const width = 30;
  let shown = -1;
  return (done, total) => {
    const filled = Math.round((done / total) * width);
    if (filled === shown && done < total) return;
    shown = filled;
    process.stderr.write(
      `\r[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${Math.round((100 * done) / total)}% simulated${done === total ? '\n' : ''}`,
    );
  };
}

/** `--consumer lambda|dynamodb`: the same outputs as the ECS backtest (a table, --json, --report). */
function consumerBacktest(series: RegularSeries, flags: BacktestFlags): void {
  const arrivals = arrivalsPerMinute(series, flags.scale);
  const source = flags.trace ?? `cloudwatch:${flags.namespace}/${flags.metric}`;
  const days = (arrivals.length / 1440).toFixed(1);
  let answer: object;
  let table: TableReport;
  if (flags.consumer === 'lambda') {
    const lambda = lambdaBacktest(arrivals, { throughput: flags.throughput!, maxConcurrency: flags.maxConcurrency, slo: flags.slo });
    answer = lambda;
    table = lambdaTable(
      lambda,
      `${source}: ${days} days of messages drained by Lambda's SQS poller, ${flags.throughput} msg/s per concurrent execution, SLO ${formatDuration(flags.slo)} (the poller starts at 5 and adds up to 300 a minute)`,
    );
  } else {
    const dynamodb = dynamodbBacktest(arrivals, series.startMs, {
      min: flags.min,
      max: flags.max!,
      targetUtilization: flags.targetUtilization * 100,
      scaleInModel: flags.scaleInModel,
    });
    answer = dynamodb;
    table = dynamodbTable(
      dynamodb,
      `${source}: ${days} days of capacity units consumed, a provisioned table at ${Math.round(flags.targetUtilization * 100)}% target utilization, ${flags.min}-${flags.max} units`,
    );
  }
  if (flags.json) process.stdout.write(`${JSON.stringify(answer)}\n`);
  else printTableReport(table, (text) => process.stdout.write(text));
  if (flags.report) {
    const path = writeTableReport(table, flags.report);
    (flags.json ? process.stderr : process.stdout).write(`report: ${path}\n`);
  }
}

export function register(program: Command): void {
  addHttpOptions(program.command('backtest'))
    .description('replay a load trace or CloudWatch history through scaling policies and compare them')
    .option('--trace <file>', 'CSV timestamp,value: messages arriving per step')
    .option('--from-cloudwatch', 'read the load from your CloudWatch history instead (uses your AWS credentials)')
    .option('--namespace <namespace>', 'with --from-cloudwatch: the metric namespace, e.g. AWS/SQS')
    .option('--metric <name>', 'with --from-cloudwatch: the metric name, e.g. NumberOfMessagesSent')
    .option('--dimension <Name=Value>', 'with --from-cloudwatch: a dimension (repeat for several)', collectDimension, {})
    .option('--stat <statistic>', 'with --from-cloudwatch: the statistic', 'Sum')
    .addOption(
      new Option('--days <n>', 'with --from-cloudwatch: days of history')
        .argParser(wholeNumberBetween(1, 455, 'CloudWatch keeps metrics 455 days'))
        .default(14),
    )
    .addOption(
      new Option('--consumer <kind>', 'what drains the load: an ECS service, a Lambda function, or a provisioned DynamoDB table')
        .choices(['ecs', 'lambda', 'dynamodb'])
        .default('ecs'),
    )
    .addOption(
      new Option('--max-concurrency <n>', "with --consumer lambda: the event source's maximum concurrency (QueueConsumerFunction's maxConcurrency)")
        .argParser(wholeNumberBetween(2, 1000, "an SQS event source's maximum concurrency is 2-1000"))
        .default(LAMBDA_DEFAULT_MAX_CONCURRENCY),
    )
    .addOption(
      new Option('--target-utilization <fraction>', 'with --consumer dynamodb: target tracking utilization, 0.2-0.9 or 20%-90%')
        .argParser(parseUtilization)
        .default(0.7, '0.7'),
    )
    .option('--throughput <msgs>', 'messages one worker (or one Lambda execution) handles per second', parsePositiveNumber)
    .addOption(
      new Option('--startup <duration>', 'worker start-up delay')
        .argParser(durationBetween(1, 3_600_000, 'a worker that takes longer to start is not a scaling question'))
        .default(90_000, '90s'),
    )
    .addOption(
      new Option('--slo <duration>', 'acceptable latency')
        .argParser(durationBetween(1, 86_400_000, 'a wait of over a day is not a latency'))
        .default(300_000, '5m'),
    )
    .addOption(
      new Option('--scale-out-cooldown <duration>', 'scale-out cooldown of the backlog policies (QueueScaledService)')
        .argParser(durationBetween(1000, 86_400_000, 'a cooldown of over a day never ends in a backtest'))
        .default(60_000, '1m'),
    )
    .addOption(
      new Option(
        '--scale-in-model <model>',
        "how target tracking's unpublished scale-in step is modelled: at once to the proportional capacity, or at most 10% per scale-in",
      )
        .choices([...SCALE_IN_MODELS])
        .default('proportional'),
    )
    .addOption(new Option('--min <n>', 'minimum workers').argParser(parseWholeNumber).default(1))
    .option('--max <n>', 'maximum workers (or DynamoDB capacity units)', wholeNumberBetween(1, 1_000_000, 'at least one worker'))
    .addOption(new Option('--scale <factor>', 'multiply the load by this').argParser(parsePositiveNumber).default(1))
    .addOption(
      new Option('--policies <list>', 'comma-separated policies').argParser(parsePolicies).default([...POLICY_NAMES], POLICY_NAMES.join(',')),
    )
    .option('--json', 'print JSON for scripts')
    .option('--report <dir>', 'write an HTML report to this folder (with charts and PNG copies for --consumer ecs)')
    .action(async (flags: BacktestFlags & HttpBacktestFlags, command: Command) => {
      if (flags.requestsPerTask !== undefined) {
        process.stderr.write('headroom: --requests-per-task is now --saturation-requests-per-second (the same value); the old name will go\n');
        flags.saturationRequestsPerSecond ??= flags.requestsPerTask;
      }
      checkFlags(flags, command);
      // Fail on an unwritable --report now, not after the simulation.
      if (flags.report) prepareReportFolder(flags.report);
      const series = await loadSeries(flags);
      if (flags.workload === 'http') return httpBacktest(series, flags, command, flags.trace ?? `cloudwatch:${flags.namespace}/${flags.metric}`);
      refuseHttpFlags(command);
      if (flags.consumer !== 'ecs') return consumerBacktest(series, flags);
      const parameters = {
        throughputPerWorker: flags.throughput!,
        startupMs: flags.startup,
        sloMs: flags.slo,
        scaleOutCooldownMs: flags.scaleOutCooldown,
        scaleInModel: flags.scaleInModel,
        minCapacity: flags.min,
        maxCapacity: flags.max!,
      };
      const onProgress = progressBar(flags.json);
      const result = runBacktest(series, { ...parameters, scale: flags.scale, policies: flags.policies }, onProgress ? { onProgress } : {});
      if (flags.json) {
        const { startMs, arrivals } = result;
        const json = {
          parameters: {
            ...parameters,
            scale: flags.scale,
            startMs: new Date(startMs).toISOString(),
            minutes: arrivals.length,
            source: flags.trace ?? `cloudwatch:${flags.namespace}/${flags.metric}`,
          },
          policies: result.policies.map((policy) => ({
            ...policy,
            capacityHoursVsOracle: Number.isFinite(policy.capacityHoursVsOracle) ? policy.capacityHoursVsOracle : null,
          })),
          ...(result.floorSettings?.length
            ? { floorSettings: result.floorSettings.map((day) => ({ from: new Date(day.fromMs).toISOString(), ...day.settings })) }
            : {}),
        };
        process.stdout.write(`${JSON.stringify(json)}\n`);
      } else {
        printTable(result);
      }
      if (flags.report) {
        const written = await writeReport(result, flags.report, {
          provenance: flags.trace
            ? `the trace ${flags.trace}${flags.scale === 1 ? '' : `, scaled x${flags.scale}`}`
            : `CloudWatch history: ${flags.namespace} ${flags.metric} (${flags.stat}) over the last ${flags.days} day(s)`,
        });
        (flags.json ? process.stderr : process.stdout).write(`report: ${written.htmlPath}\n`);
      }
    });
}

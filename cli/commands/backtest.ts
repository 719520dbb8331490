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
import { durationBetween } from '../options/duration.ts';
import { refuseFlagsThatDoNotApply, type FlagRules } from '../options/flags-that-apply.ts';
import { parsePositiveNumber, parseUtilization, parseWholeNumber, wholeNumberBetween } from '../options/numbers.ts';
import { readTrace } from '../options/read-trace.ts';
import { prepareReportFolder, writeReport } from '../report/index.ts';
import { dynamodbBacktest, lambdaBacktest } from './backtest-consumers.ts';
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

function required<T>(value: T | undefined, flag: string): T {
  if (value === undefined) throw new Error(`${flag} is required here`);
  return value;
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
  '--report': ECS,
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

function checkFlags(flags: BacktestFlags & Pick<HttpBacktestFlags, 'workload'>, command: Command): void {
  if (flags.trace && flags.fromCloudwatch) throw new Error('give either --trace or --from-cloudwatch, not both');
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
  if (!flags.fromCloudwatch) throw new Error('give the load to replay: --trace FILE.csv, or --from-cloudwatch with --namespace and --metric');
  if (!flags.namespace || !flags.metric)
    throw new Error('--from-cloudwatch needs --namespace and --metric (and --dimension Name=Value for each dimension)');
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

/** A progress bar on stderr, only when a person is watching it (stderr is a TTY). */
function progressBar(): ((done: number, total: number) => void) | undefined {
  if (!process.stderr.isTTY) return undefined;
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
      new Option('--max-concurrency <n>', 'with --consumer lambda: the event source maximum concurrency')
        .argParser(wholeNumberBetween(2, 1000, "an SQS event source's maximum concurrency is 2-1000"))
        .default(100),
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
    .option('--report <dir>', 'write an HTML report with charts (and PNG copies) to this folder')
    .action(async (flags: BacktestFlags & HttpBacktestFlags, command: Command) => {
      checkFlags(flags, command);
      // Fail on an unwritable --report now, not after the simulation.
      if (flags.report) prepareReportFolder(flags.report);
      const series = await loadSeries(flags);
      if (flags.workload === 'http') return httpBacktest(series, flags, command, flags.trace ?? `cloudwatch:${flags.namespace}/${flags.metric}`);
      refuseHttpFlags(command);
      if (flags.consumer !== 'ecs') {
        const arrivals = arrivalsPerMinute(series, flags.scale);
        const answer =
          flags.consumer === 'lambda'
            ? lambdaBacktest(arrivals, {
                throughput: required(flags.throughput, '--throughput'),
                maxConcurrency: flags.maxConcurrency,
                slo: flags.slo,
              })
            : dynamodbBacktest(arrivals, series.startMs, {
                min: flags.min,
                max: required(flags.max, '--max'),
                targetUtilization: flags.targetUtilization * 100,
                scaleInModel: flags.scaleInModel,
              });
        process.stdout.write(flags.json ? `${JSON.stringify(answer)}\n` : `${JSON.stringify(answer, null, 2)}\n`);
        return;
      }
      const parameters = {
        throughputPerWorker: required(flags.throughput, '--throughput'),
        startupMs: flags.startup,
        sloMs: flags.slo,
        scaleOutCooldownMs: flags.scaleOutCooldown,
        scaleInModel: flags.scaleInModel,
        minCapacity: flags.min,
        maxCapacity: required(flags.max, '--max'),
      };
      const onProgress = progressBar();
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
        const written = await writeReport(result, flags.report);
        (flags.json ? process.stderr : process.stdout).write(`report: ${written.htmlPath}\n`);
      }
    });
}

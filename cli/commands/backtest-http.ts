import { InvalidArgumentError, Option, type Command } from 'commander';
import type { RegularSeries } from '../../shared/series/regular-series.ts';
import { missingMinutes } from '../../shared/simulate/arrivals.ts';
import {
  chooseTargetUtilization,
  describeRequiredTasks,
  HTTP_DEFAULTS,
  HTTP_POLICY_NAMES,
  runHttpBacktest,
  type HttpBacktestResult,
  type HttpPolicyName,
  type TargetTuning,
} from '../../shared/simulate/http/index.ts';
import { parsePositiveNumber, parseWholeNumber } from '../options/numbers.ts';
import { printTableReport, writeTableReport, type TableReport } from '../report/table-report.ts';
import { deployAdvice } from '../report/verdict.ts';

/** The flags `backtest --workload http` reads (the shared ones are declared by backtest.ts). */
export interface HttpBacktestFlags {
  workload: 'queue' | 'http';
  saturationRequestsPerSecond?: number;
  /** @deprecated the old name of --saturation-requests-per-second. */
  requestsPerTask?: number;
  report?: string;
  concurrency: number;
  guessRequestsPerTarget?: number;
  cpuTarget: number;
  httpPolicies: HttpPolicyName[];
  startup: number;
  slo: number;
  min: number;
  max?: number;
  scale: number;
  json?: boolean;
}

function parseHttpPolicies(text: string): HttpPolicyName[] {
  const names = text
    .split(',')
    .map((name) => name.trim())
    .filter(Boolean);
  const unknown = names.filter((name) => !HTTP_POLICY_NAMES.includes(name as HttpPolicyName));
  if (unknown.length > 0 || names.length === 0)
    throw new InvalidArgumentError(`unknown policy ${unknown.join(', ') || '(none)'}: use ${HTTP_POLICY_NAMES.join(', ')}`);
  return names as HttpPolicyName[];
}

function parseCpuTarget(text: string): number {
  const value = parsePositiveNumber(text);
  if (value > 100) throw new InvalidArgumentError(`"${text}" is not a CPU percentage in (0, 100]`);
  return value;
}

/** Declares the options only `--workload http` uses. */
export function addHttpOptions(command: Command): Command {
  return command
    .addOption(
      new Option('--workload <kind>', 'what the trace loads: a queue (messages) or a web service behind an ALB (requests)')
        .choices(['queue', 'http'])
        .default('queue'),
    )
    .addOption(
      new Option(
        '--saturation-requests-per-second <rps>',
        "with --workload http: requests per second one task serves when saturated (a load test to failure); not RequestScaledService's requestsPerSecondPerTask, the rate within the SLO, which the backtest derives and prints",
      ).argParser(parsePositiveNumber),
    )
    .addOption(new Option('--requests-per-task <rps>', 'deprecated: --saturation-requests-per-second').argParser(parsePositiveNumber).hideHelp())
    .addOption(
      new Option('--concurrency <n>', 'with --workload http: requests one task works on at once (M/M/c servers per task)')
        .argParser(parseWholeNumber)
        .default(1),
    )
    .addOption(
      new Option('--guess-requests-per-target <n>', "with --workload http: request-count-tracking's target per task per minute").argParser(
        parsePositiveNumber,
      ),
    )
    .addOption(
      new Option('--cpu-target <percent>', "with --workload http: cpu-target-tracking's target")
        .argParser(parseCpuTarget)
        .default(HTTP_DEFAULTS.cpuTargetPercent),
    )
    .addOption(
      new Option('--http-policies <list>', 'with --workload http: comma-separated policies')
        .argParser(parseHttpPolicies)
        .default([...HTTP_POLICY_NAMES], HTTP_POLICY_NAMES.join(',')),
    );
}

/** Flags of the queue backtest that mean nothing for a web service: refused rather than silently ignored. */
const QUEUE_ONLY_FLAGS = ['throughput', 'consumer', 'maxConcurrency', 'targetUtilization', 'scaleOutCooldown', 'policies'] as const;
const HTTP_ONLY_FLAGS = [
  'saturationRequestsPerSecond',
  'requestsPerTask',
  'concurrency',
  'guessRequestsPerTarget',
  'cpuTarget',
  'httpPolicies',
] as const;
const flagName = (option: string) => `--${option.replace(/[A-Z]/g, (letter) => `-${letter.toLowerCase()}`)}`;

/** Refuses the http flags on a queue backtest (call from the queue path). */
export function refuseHttpFlags(command: Command): void {
  const given = HTTP_ONLY_FLAGS.filter((option) => command.getOptionValueSource(option) === 'cli');
  if (given.length > 0) throw new Error(`${given.map(flagName).join(', ')} only apply with --workload http`);
}

const fixed = (value: number, digits: number) => (Number.isFinite(value) ? value.toFixed(digits) : '-');

function httpTable(result: HttpBacktestResult, tuning: TargetTuning | undefined, source: string): TableReport {
  const p = result.parameters;
  const notes = tuning
    ? [
        `RequiredTasksPerTask targets replayed (headroom-reactive): ${tuning.candidates
          .map((score) => `${score.targetUtilization} ${score.sloViolationMinutes} min ${score.taskHours.toFixed(0)} task-hours`)
          .join('; ')}`,
        `chosen ${tuning.reason}: give it as RequestScaledService's targetUtilization`,
      ]
    : [];
  return {
    title: 'headroom backtest: web service behind an ALB',
    intro:
      `${source}: ${p.requestsPerSecondPerTask} requests/s per task at saturation (${p.concurrencyPerTask ?? 1} at once), ${result.sloRatePerTask.toFixed(1)} within the p99 SLO of ${p.sloMs} ms; ` +
      `${result.requiredTasks ? `headroom tracks RequiredTasksPerTask at ${result.headroomTarget} (required tasks = ${describeRequiredTasks(result.requiredTasks)}); ` : ''}start-up ${p.startupMs / 1000} s, tasks ${p.minCapacity}-${p.maxCapacity}, ${(result.requests.length / 1440).toFixed(1)} days`,
    verdict: deployAdvice(result, tuning),
    header: ['policy', 'SLO-violation min', 'dropped', 'bad %', 'task-hours', 'actions', 'vs oracle'],
    rows: result.policies.map((policy) => [
      policy.name,
      String(policy.sloViolationMinutes),
      policy.droppedRequests.toFixed(0),
      (100 * policy.badRequestShare).toFixed(3),
      fixed(policy.taskHours, 1),
      String(policy.scalingActions),
      fixed(policy.taskHoursVsOracle, 2),
    ]),
    notes,
  };
}

/** `headroom backtest --workload http`: the trace's values are requests per step, read as a request rate. */
export function httpBacktest(series: RegularSeries, flags: HttpBacktestFlags, command: Command, source: string): void {
  const wrong = QUEUE_ONLY_FLAGS.filter((option) => command.getOptionValueSource(option) === 'cli');
  if (wrong.length > 0)
    throw new Error(
      `${wrong.map(flagName).join(', ')} do not apply with --workload http${wrong.includes('policies') ? ' (use --http-policies)' : ''}`,
    );
  const saturation = flags.saturationRequestsPerSecond!;
  const scaled = flags.scale === 1 ? series : { ...series, values: series.values.map((value) => value * flags.scale) };
  const parameters = {
    requestsPerSecondPerTask: saturation,
    concurrencyPerTask: flags.concurrency,
    startupMs: flags.startup,
    sloMs: flags.slo,
    minCapacity: flags.min,
    maxCapacity: flags.max!,
  };
  const result = runHttpBacktest(scaled, parameters, flags.httpPolicies, {
    cpuTargetPercent: flags.cpuTarget,
    ...(flags.guessRequestsPerTarget === undefined ? {} : { guessRequestsPerTarget: flags.guessRequestsPerTarget }),
  });
  const scoresHeadroom = flags.httpPolicies.some((name) => name === 'headroom' || name === 'headroom-reactive');
  const tuning = scoresHeadroom
    ? chooseTargetUtilization(result.requests, result.startMs, parameters, {
        cpuTargetPercent: flags.cpuTarget,
        missing: missingMinutes(scaled),
      })
    : undefined;
  const table = httpTable(result, tuning, source);
  if (flags.report) {
    const path = writeTableReport(table, flags.report);
    (flags.json ? process.stderr : process.stdout).write(`report: ${path}\n`);
  }
  if (!flags.json) {
    printTableReport(table, (text) => process.stdout.write(text));
    return;
  }
  const { requestsPerSecondPerTask, ...rest } = parameters;
  const json = {
    parameters: {
      saturationRequestsPerSecond: requestsPerSecondPerTask,
      ...rest,
      scale: flags.scale,
      startMs: new Date(result.startMs).toISOString(),
      minutes: result.requests.length,
      source,
      sloRatePerTask: result.sloRatePerTask,
      headroomTarget: Number.isFinite(result.headroomTarget) ? result.headroomTarget : null,
      requiredTasks: result.requiredTasks ?? null,
    },
    policies: result.policies.map((policy) => ({
      ...policy,
      taskHoursVsOracle: Number.isFinite(policy.taskHoursVsOracle) ? policy.taskHoursVsOracle : null,
    })),
    targetTuning: tuning ?? null,
    deploy: {
      requestsPerSecondPerTask: Math.floor(result.sloRatePerTask * 10) / 10,
      targetUtilization: tuning?.chosen ?? (Number.isFinite(result.headroomTarget) ? result.headroomTarget : null),
    },
  };
  process.stdout.write(`${JSON.stringify(json)}\n`);
}

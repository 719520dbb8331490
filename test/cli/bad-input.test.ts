import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { main } from '../../cli/main.ts';
import { runCli } from './run-cli.ts';

// Every case a demanding user tried (issue 14) and its neighbours: each must exit non-zero with one message that
// names the flag, the line or the column, and the fix; never a stack trace, never an answer on stdout. The cases
// run the CLI's main() in-process (a fresh process per case costs seconds); the last tests run the real command.

const folder = mkdtempSync(join(tmpdir(), 'headroom-bad-input-'));
const stamp = (ms: number) => new Date(ms).toISOString().slice(0, 19).replace('T', ' ');
const START = Date.UTC(2026, 0, 5);
function trace(name: string, lines: readonly string[], header = 'timestamp,value'): string {
  const file = join(folder, name);
  writeFileSync(file, [header, ...lines].join('\n'));
  return file;
}
const rows = (count: number, stepMs = 300_000, value = (index: number) => String(100 + (index % 50))) =>
  Array.from({ length: count }, (_, index) => `${stamp(START + index * stepMs)},${value(index)}`);
const threeDays = rows(864);
const good = trace('good.csv', threeDays);
const withRow = (name: string, at: number, row: string) => trace(name, [...threeDays.slice(0, at), row, ...threeDays.slice(at + 1)]);
const notAFolder = join(folder, 'a-file');
writeFileSync(notAFolder, '');
mkdirSync(join(folder, 'a-folder.csv'));

const ecs = ['--throughput', '1', '--max', '4'];
const forecast = (...args: string[]) => ['forecast', '--trace', good, ...args];
const backtest = (...args: string[]) => ['backtest', '--trace', good, ...args];
const dynamodb = (...args: string[]) => ['backtest', '--trace', good, '--consumer', 'dynamodb', '--max', '40', ...args];
const lambda = (...args: string[]) => ['backtest', '--trace', good, '--consumer', 'lambda', '--throughput', '1', ...args];

const cases: Array<[string, string[], RegExp]> = [
  // Dates that rolled over, in the trace and in --until
  [
    'trace: month 13',
    ['forecast', '--trace', withRow('month.csv', 5, '2026-13-01 00:00:00,5')],
    /month\.csv: line 7, column timestamp: "2026-13-01 00:00:00" has month 13: it must be 1-12/,
  ],
  [
    'trace: 24:00',
    ['forecast', '--trace', withRow('hour.csv', 5, '2026-01-05 24:00:00,5')],
    /line 7, column timestamp: .*has hour 24: it must be 0-23/,
  ],
  [
    'trace: February 30',
    ['forecast', '--trace', withRow('feb.csv', 5, '2026-02-30 00:00:00,5')],
    /line 7, column timestamp: .*has day 30: it must be 1-28/,
  ],
  [
    'trace: second 60',
    ['forecast', '--trace', withRow('second.csv', 5, '2026-01-05 00:14:60,5')],
    /line 7, column timestamp: .*has second 60: it must be 0-59/,
  ],
  [
    'backtest trace: month 13',
    ['backtest', '--trace', withRow('month-b.csv', 5, '2026-13-01 00:00:00,5'), ...ecs],
    /line 7, column timestamp: .*month 13/,
  ],
  [
    '--until yesterday',
    forecast('--until', 'yesterday'),
    /option '--until <iso-time>' argument 'yesterday' is invalid\. "yesterday" is not a time such as/,
  ],
  ['--until month 13', forecast('--until', '2015-13-01'), /'--until <iso-time>' argument '2015-13-01' is invalid\. .*month 13/],
  ['--until 24:00', forecast('--until', '2026-01-07T24:00:00Z'), /'--until <iso-time>' .*hour 24/],
  ['--until February 30', forecast('--until', '2015-02-30'), /'--until <iso-time>' .*day 30: it must be 1-28/],
  ['--until second 60', forecast('--until', '2026-01-05T00:14:60Z'), /'--until <iso-time>' .*second 60/],
  [
    '--until before the trace',
    forecast('--until', '2020-01-01'),
    /--until 2020-01-01T00:00:00\.000Z leaves 0 step\(s\) of history: the trace runs from 2026-01-05 00:00:00/,
  ],
  // Numbers
  [
    'trace: hex value',
    ['forecast', '--trace', withRow('hex.csv', 5, `${stamp(START + 5 * 300_000)},0x10`)],
    /line 7, column value: expected a number, got "0x10"/,
  ],
  [
    'trace: empty exponent',
    ['backtest', '--trace', withRow('exp.csv', 5, `${stamp(START + 5 * 300_000)},1e`), ...ecs],
    /line 7, column value: expected a number, got "1e"/,
  ],
  [
    'trace: negative load (forecast)',
    ['forecast', '--trace', withRow('neg.csv', 5, `${stamp(START + 5 * 300_000)},-3`)],
    /line 7, column value: -3 is negative/,
  ],
  [
    'trace: negative load (backtest)',
    ['backtest', '--trace', withRow('neg-b.csv', 5, `${stamp(START + 5 * 300_000)},-3`), ...ecs],
    /line 7, column value: -3 is negative/,
  ],
  [
    '--throughput 0x10',
    backtest('--throughput', '0x10', '--max', '4'),
    /option '--throughput <msgs>' argument '0x10' is invalid\. "0x10" is not a number/,
  ],
  ['--throughput 1e', backtest('--throughput', '1e', '--max', '4'), /'--throughput <msgs>' argument '1e' is invalid/],
  ['--throughput empty', backtest('--throughput', '', '--max', '4'), /'--throughput <msgs>' argument '' is invalid/],
  [
    '--throughput negative',
    backtest('--throughput', '-2', '--max', '4'),
    /'--throughput <msgs>' argument '-2' is invalid\. "-2" is not a positive number/,
  ],
  ['--scale hex', backtest(...ecs, '--scale', '0x2'), /'--scale <factor>' argument '0x2' is invalid/],
  ['--min empty', backtest(...ecs, '--min', ''), /'--min <n>' argument '' is invalid\. "" is not a whole number/],
  ['--max fractional', backtest('--throughput', '1', '--max', '2.5'), /'--max <n>' argument '2.5' is invalid/],
  ['--max 1e3', backtest('--throughput', '1', '--max', '1e3'), /'--max <n>' argument '1e3' is invalid/],
  ['--max 0', backtest('--throughput', '1', '--max', '0'), /'--max <n>' argument '0' is invalid\. "0" is out of range/],
  ['--min above --max', backtest(...ecs, '--min', '5'), /--min 5 is above --max 4/],
  // --target-utilization
  [
    '--target-utilization 5',
    dynamodb('--target-utilization', '5'),
    /'--target-utilization <fraction>' argument '5' is invalid\. "5" is not a fraction: use 0\.05 or 5%/,
  ],
  ['--target-utilization 70', dynamodb('--target-utilization', '70'), /"70" is not a fraction: use 0\.7 or 70%/],
  ['--target-utilization 0', dynamodb('--target-utilization', '0'), /"0" is out of range: use a fraction in \(0, 1\]/],
  ['--target-utilization 150%', dynamodb('--target-utilization', '150%'), /"150%" is out of range/],
  [
    '--target-utilization 95% on a table',
    dynamodb('--target-utilization', '95%'),
    /--target-utilization 95% is out of range for a DynamoDB table: AWS takes 20% to 90%/,
  ],
  // Flags that did nothing for the consumer or the load source
  ['lambda --policies', lambda('--policies', 'oracle'), /--policies does nothing with --consumer lambda/],
  ['lambda --startup', lambda('--startup', '30s'), /--startup does nothing with --consumer lambda/],
  ['lambda --max', lambda('--max', '5'), /--max does nothing with --consumer lambda: .*Lambda takes --max-concurrency/],
  ['lambda --min', lambda('--min', '2'), /--min does nothing with --consumer lambda/],
  ['lambda --scale-out-cooldown', lambda('--scale-out-cooldown', '5m'), /--scale-out-cooldown does nothing with --consumer lambda/],
  ['lambda --target-utilization', lambda('--target-utilization', '0.5'), /--target-utilization does nothing with --consumer lambda/],
  ['dynamodb --policies', dynamodb('--policies', 'oracle'), /--policies does nothing with --consumer dynamodb/],
  ['dynamodb --startup', dynamodb('--startup', '30s'), /--startup does nothing with --consumer dynamodb/],
  ['dynamodb --throughput', dynamodb('--throughput', '2'), /--throughput does nothing with --consumer dynamodb: .*capacity units/],
  ['dynamodb --slo', dynamodb('--slo', '10m'), /--slo does nothing with --consumer dynamodb/],
  ['dynamodb --max-concurrency', dynamodb('--max-concurrency', '10'), /--max-concurrency does nothing with --consumer dynamodb/],
  ['ecs --max-concurrency', backtest(...ecs, '--max-concurrency', '10'), /--max-concurrency does nothing with --consumer ecs/],
  ['ecs --target-utilization', backtest(...ecs, '--target-utilization', '0.5'), /--target-utilization does nothing with --consumer ecs/],
  ['--trace with --days', backtest(...ecs, '--days', '3'), /--days does nothing with --trace: it applies only with --from-cloudwatch/],
  ['--trace with --namespace', backtest(...ecs, '--namespace', 'AWS/SQS'), /--namespace does nothing with --trace/],
  ['--trace with --dimension', backtest(...ecs, '--dimension', 'QueueName=orders'), /--dimension does nothing with --trace/],
  ['--trace with --stat', backtest(...ecs, '--stat', 'Average'), /--stat does nothing with --trace/],
  // Bounds
  [
    '--horizon 1000000d',
    forecast('--horizon', '1000000d'),
    /'--horizon <duration>' argument '1000000d' is invalid\. "1000000d" is out of range: use 1ms to 366d/,
  ],
  [
    '--horizon over 100,000 steps',
    forecast('--horizon', '366d'),
    /--horizon 366d is 105408 steps of the trace's 5m step; at most 100000 are forecast at once: use --horizon 347d or less/,
  ],
  ['--horizon 0h', forecast('--horizon', '0h'), /"0h" must be longer than zero/],
  ['--step not a multiple', forecast('--step', '7m'), /--step 7m must be a multiple of the trace's 5m step/],
  ['--model unknown', forecast('--model', 'magic'), /'--model <name>' argument 'magic' is invalid\. Allowed choices are auto, recent-median/],
  [
    '--model with too little history',
    forecast('--model', 'seasonal-naive-weekly'),
    /cannot forecast --trace .* with --model seasonal-naive-weekly: insufficient history: seasonal-naive-weekly needs 2016 steps/,
  ],
  ['--slo 365d', backtest(...ecs, '--slo', '365d'), /'--slo <duration>' argument '365d' is invalid\. "365d" is out of range: use 1ms to 1d/],
  ['--slo 30s', backtest(...ecs, '--slo', '30s'), /--slo 30000 ms is under a minute, and the queue simulation steps by the minute: use 1m or more/],
  ['--startup 2h', backtest(...ecs, '--startup', '2h'), /'--startup <duration>' argument '2h' is invalid\. "2h" is out of range/],
  ['--scale-out-cooldown 2d', backtest(...ecs, '--scale-out-cooldown', '2d'), /'--scale-out-cooldown <duration>' argument '2d' is invalid/],
  ['--max-concurrency 1', lambda('--max-concurrency', '1'), /'--max-concurrency <n>' argument '1' is invalid\. "1" is out of range: use 2 to 1000/],
  [
    '--days 0',
    ['backtest', '--from-cloudwatch', '--namespace', 'AWS/SQS', '--metric', 'NumberOfMessagesSent', ...ecs, '--days', '0'],
    /'--days <n>' argument '0' is invalid\. "0" is out of range: use 1 to 455/,
  ],
  [
    'trace: year 9999',
    ['forecast', '--trace', trace('y9999.csv', [...rows(3), '9999-01-01 00:00:00,5'])],
    /line 5, column timestamp: the trace cannot be used: over 99\.9% of it is gaps .*widest jump is from line 4 \(2026-01-05 00:10:00\) to line 5 \(9999-01-01 00:00:00\)/,
  ],
  [
    'trace: 62% gaps in a backtest (the rule forecast has)',
    [
      'backtest',
      '--trace',
      trace(
        'gappy.csv',
        rows(100).filter((_, index) => index < 38 || index === 99),
      ),
      ...ecs,
    ],
    /line 40, column timestamp: the trace cannot be used: 61% of it is gaps \(at most 50% allowed\)/,
  ],
  // --report
  [
    '--report under /proc',
    backtest(...ecs, '--report', '/proc/headroom-report'),
    /--report \/proc\/headroom-report: cannot write the report there \(ENOENT\)/,
  ],
  ['--report under a file', backtest(...ecs, '--report', join(notAFolder, 'out')), /--report .*: cannot write the report there \(ENOTDIR\)/],
  // Other malformed traces and flags
  ['trace: missing file', ['forecast', '--trace', join(folder, 'nope.csv')], /cannot read the trace .*nope\.csv: ENOENT/],
  ['trace: a folder', ['forecast', '--trace', join(folder, 'a-folder.csv')], /cannot read the trace .*a-folder\.csv: it is not a file/],
  [
    'trace: empty file',
    ['forecast', '--trace', trace('empty.csv', [], '')],
    /empty\.csv: line 1, column header: the file is empty: expected the header "timestamp,value"/,
  ],
  [
    'trace: wrong header',
    ['forecast', '--trace', trace('header.csv', threeDays, 'time;count')],
    /line 1, column header: expected the header "timestamp,value", got "time;count"/,
  ],
  [
    'trace: off-step row',
    ['forecast', '--trace', withRow('offstep.csv', 5, '2026-01-05 00:27:30,5')],
    /line 7, column timestamp: not on the trace's 300 s step/,
  ],
  [
    'trace: time going back',
    ['forecast', '--trace', withRow('back.csv', 5, '2026-01-05 00:10:00,5')],
    /line 7, column timestamp: timestamps must increase from row to row/,
  ],
  [
    'trace: three columns',
    ['forecast', '--trace', withRow('cols.csv', 5, `${stamp(START + 5 * 300_000)},5,6`)],
    /line 7, column value: expected 2 columns, found 3/,
  ],
  ['no --trace', ['forecast'], /required option '--trace <file>' not specified/],
  ['no load to replay', ['backtest', ...ecs], /missing a required flag: --trace <file> or --from-cloudwatch \(the load to replay\)/],
  [
    'every required flag missing, named together',
    ['backtest'],
    /missing required flags: --trace <file> or --from-cloudwatch \(the load to replay\); --throughput <msgs> .*; --max <n> /,
  ],
  [
    'the web service: its required flags together',
    ['backtest', '--workload', 'http', '--trace', good],
    /missing required flags: --saturation-requests-per-second <rps> .*; --max <n> \(the most tasks\)/,
  ],
  [
    '--until after the trace ends',
    forecast('--until', '2030-01-01'),
    /--until 2030-01-01T00:00:00\.000Z is after the trace ends \(its last row is 2026-01-07 23:55:00 UTC\): give a time up to 2026-01-08 00:00:00/,
  ],
  ['both load sources', backtest(...ecs, '--from-cloudwatch'), /give either --trace or --from-cloudwatch, not both/],
  [
    '--from-cloudwatch without --metric',
    ['backtest', '--from-cloudwatch', '--namespace', 'AWS/SQS', ...ecs],
    /missing a required flag: --metric <name> \(with --from-cloudwatch\)/,
  ],
  ['no --max', backtest('--throughput', '1'), /missing a required flag: --max <n>/],
  [
    'unknown --consumer',
    backtest(...ecs, '--consumer', 'k8s'),
    /'--consumer <kind>' argument 'k8s' is invalid\. Allowed choices are ecs, lambda, dynamodb/,
  ],
  ['unknown policy', backtest(...ecs, '--policies', 'magic'), /unknown policy magic: use cpu-target-tracking/],
  [
    'malformed --dimension',
    ['backtest', '--from-cloudwatch', '--namespace', 'AWS/SQS', '--metric', 'M', ...ecs, '--dimension', 'orders'],
    /"orders" is not a dimension: use Name=Value/,
  ],
  ['unknown flag', forecast('--horizn', '24h'), /unknown option '--horizn'/],
];

let stdout = '';
let stderr = '';
beforeEach(() => {
  stdout = '';
  stderr = '';
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
    stdout += String(chunk);
    return true;
  });
  vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => {
    stderr += String(chunk);
    return true;
  });
  process.exitCode = undefined;
});
afterEach(() => {
  vi.restoreAllMocks();
  process.exitCode = undefined;
});

async function run(args: readonly string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  await main(['node', 'headroom', ...args]);
  return { code: Number(process.exitCode ?? 0), stdout, stderr };
}

describe('bad input gets a clear error, never a wrong answer', () => {
  it.each(cases)('%s', async (_name, args, message) => {
    const result = await run(args);
    expect(result.stderr).toMatch(message);
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).not.toMatch(/^\s+at /m);
  });

  it(`counts ${cases.length} cases, every one with its own message`, () => {
    expect(new Set(cases.map(([name]) => name)).size).toBe(cases.length);
  });

  it('a trace at a 90 s step costs the oracle what the same load at 30 s does', async () => {
    const oneMessagePerSecond = (stepSeconds: number) =>
      trace(
        `rate-${stepSeconds}.csv`,
        rows(Math.floor(86_400 / stepSeconds), stepSeconds * 1000, () => String(stepSeconds)),
      );
    const capacity = async (stepSeconds: number) => {
      stdout = '';
      const result = await run([
        'backtest',
        '--trace',
        oneMessagePerSecond(stepSeconds),
        '--throughput',
        '1',
        '--max',
        '10',
        '--policies',
        'oracle',
        '--json',
      ]);
      expect(result.code).toBe(0);
      return (JSON.parse(result.stdout) as { policies: Array<{ capacityHours: number }> }).policies[0]!.capacityHours;
    };
    const fine = await capacity(30);
    for (const stepSeconds of [90, 100, 150]) expect(await capacity(stepSeconds)).toBeCloseTo(fine, 0);
  });
});

describe('the real command', () => {
  it('prints its version', () => {
    const { status, stdout } = runCli(['--version']);
    expect(status).toBe(0);
    expect(stdout.trim()).toMatch(/^\d+\.\d+\.\d+$/);
  });

  it('prints the message for an error commander raises, where it used to exit 1 saying nothing', () => {
    const { status, stdout, stderr } = runCli(['forecast', '--trace', good, '--until', 'yesterday']);
    expect(status).toBe(1);
    expect(stdout).toBe('');
    expect(stderr).toMatch(/'--until <iso-time>' argument 'yesterday' is invalid/);
  });

  it('fails at once on an unwritable --report, before simulating, where it used to hang', () => {
    const started = Date.now();
    const { status, stderr } = runCli(['backtest', '--trace', good, ...ecs, '--report', '/proc/headroom-report'], {}, { timeoutMs: 60_000 });
    expect(status).toBe(1);
    expect(stderr).toMatch(/^headroom: --report \/proc\/headroom-report: cannot write the report there/m);
    expect(Date.now() - started).toBeLessThan(60_000);
  });
});

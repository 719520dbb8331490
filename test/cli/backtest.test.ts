import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli, tracesDir } from './run-cli.ts';

function csv(lines: string[]): string {
  const file = join(mkdtempSync(join(tmpdir(), 'headroom-backtest-')), 'trace.csv');
  writeFileSync(file, ['timestamp,value', ...lines].join('\n'));
  return file;
}

const elb = join(tracesDir, 'aws-elb-requests-5min.csv');

describe('headroom backtest', () => {
  it('prints the documented JSON for every policy', () => {
    const { status, stdout, stderr } = runCli([
      'backtest',
      '--trace',
      elb,
      '--throughput',
      '0.05',
      '--startup',
      '90s',
      '--slo',
      '5m',
      '--max',
      '40',
      '--json',
    ]);
    expect(stderr).toBe('');
    expect(status).toBe(0);
    const answer = JSON.parse(stdout) as { parameters: Record<string, unknown>; policies: Array<Record<string, unknown>> };
    expect(answer.parameters).toMatchObject({ throughputPerWorker: 0.05, startupMs: 90_000, sloMs: 300_000, maxCapacity: 40, minCapacity: 1 });
    expect(answer.policies.map((policy) => policy.name)).toEqual([
      'cpu-target-tracking',
      'queue-step-scaling',
      'backlog-target-tracking',
      'headroom-reactive',
      'headroom-predictive',
      'oracle',
    ]);
    for (const policy of answer.policies) {
      expect(Object.keys(policy).sort()).toEqual([
        'capacityHours',
        'capacityHoursVsOracle',
        'name',
        'p99WaitSeconds',
        'scalingActions',
        'sloViolationMinutes',
      ]);
    }
    expect(answer.policies.at(-1)).toMatchObject({ name: 'oracle', capacityHoursVsOracle: 1 });
  });

  it('runs under either model of target tracking’s unpublished scale-in step, and names the choices when given another', () => {
    const gradual = runCli([
      'backtest',
      '--trace',
      elb,
      '--throughput',
      '0.05',
      '--max',
      '40',
      '--policies',
      'headroom-reactive',
      '--scale-in-model',
      'gradual',
      '--json',
    ]);
    expect(gradual.status).toBe(0);
    expect(JSON.parse(gradual.stdout).parameters).toMatchObject({ scaleInModel: 'gradual' });
    const unknown = runCli(['backtest', '--trace', elb, '--throughput', '0.05', '--max', '40', '--scale-in-model', 'sudden']);
    expect(unknown.status).not.toBe(0);
    expect(unknown.stderr).toMatch(/--scale-in-model.*Allowed choices are proportional, gradual/);
  });

  it('prints a table in the terminal by default, with the parameters it ran with', () => {
    const { status, stdout } = runCli([
      'backtest',
      '--trace',
      elb,
      '--throughput',
      '0.05',
      '--max',
      '40',
      '--policies',
      'backlog-target-tracking,oracle',
    ]);
    expect(status).toBe(0);
    expect(stdout).toMatch(/^throughput 0.05 msg\/s per worker, start-up 90 s, SLO 300 s, capacity 1-40, 14.0 days$/m);
    expect(stdout).toMatch(/^policy +SLO-violation min +p99 wait s +capacity-hours +actions +vs oracle$/m);
    expect(stdout).toMatch(/^oracle +0 +\d+ +[\d.]+ +\d+ +1\.00$/m);
  });

  it('says which floor settings headroom-predictive chose each day, in the table and in the JSON', () => {
    const args = ['backtest', '--trace', elb, '--throughput', '0.05', '--max', '40', '--policies', 'headroom-predictive'];
    const table = runCli(args);
    expect(table.status).toBe(0);
    expect(table.stdout).toMatch(
      /^headroom-predictive floors, chosen each day by replaying the week before: p(50|90) at \d+% from \d{4}-\d{2}-\d{2}/m,
    );
    const answer = JSON.parse(runCli([...args, '--json']).stdout) as { floorSettings: Array<Record<string, unknown>> };
    expect(answer.floorSettings.length).toBeGreaterThan(0);
    expect(Object.keys(answer.floorSettings[0]!).sort()).toEqual(['from', 'quantile', 'targetUtilization']);
  });

  // `script` gives the command a terminal, as a person running it would have. Two full backtests, each with the exact
  // oracle (~3 s of CPU on this trace): more than the default minute on a loaded machine.
  it('shows a progress bar on stderr only when stderr is a terminal and the output is not --json', () => {
    const out = join(mkdtempSync(join(tmpdir(), 'headroom-tty-')), 'out.txt');
    const bin = JSON.stringify(join(import.meta.dirname, '../../bin/headroom.mjs'));
    const args = `backtest --trace ${JSON.stringify(elb)} --throughput 0.05 --max 40`;
    const terminal = spawnSync('script', ['-qec', `node ${bin} ${args} > ${JSON.stringify(out)}`, '/dev/null'], {
      encoding: 'utf8',
      timeout: 240_000,
    });
    expect(terminal.stdout).toMatch(/\[#{30}\] 100% simulated/);
    expect(readFileSync(out, 'utf8')).toMatch(/^policy +SLO-violation min/m);
    const json = spawnSync('script', ['-qec', `node ${bin} ${args} --json > ${JSON.stringify(out)}`, '/dev/null'], {
      encoding: 'utf8',
      timeout: 240_000,
    });
    expect(json.stdout).not.toMatch(/simulated/);
    expect(JSON.parse(readFileSync(out, 'utf8')).policies).toHaveLength(6);
  }, 600_000);

  // Target tracking scales from the running count (ECS), so scale-outs no longer compound while tasks start; a longer
  // cooldown now only spaces them, and reacts later.
  it('takes the backlog policies’ scale-out cooldown: a longer one scales out less often and later', () => {
    const run = (cooldown: string) =>
      JSON.parse(
        runCli([
          'backtest',
          '--trace',
          elb,
          '--throughput',
          '0.05',
          '--max',
          '40',
          '--policies',
          'backlog-target-tracking',
          '--scale-out-cooldown',
          cooldown,
          '--json',
        ]).stdout,
      ) as {
        parameters: { scaleOutCooldownMs: number };
        policies: Array<{ scalingActions: number; sloViolationMinutes: number }>;
      };
    const [fast, slow] = [run('1m'), run('5m')];
    expect(slow.parameters.scaleOutCooldownMs).toBe(300_000);
    expect(slow.policies[0]!.scalingActions).toBeLessThan(fast.policies[0]!.scalingActions);
    expect(slow.policies[0]!.sloViolationMinutes).toBeGreaterThan(fast.policies[0]!.sloViolationMinutes);
  });

  it('runs only the policies asked for', () => {
    const { stdout } = runCli([
      'backtest',
      '--trace',
      elb,
      '--throughput',
      '0.05',
      '--max',
      '40',
      '--policies',
      'backlog-target-tracking,oracle',
      '--json',
    ]);
    expect((JSON.parse(stdout) as { policies: Array<{ name: string }> }).policies.map((policy) => policy.name)).toEqual([
      'backlog-target-tracking',
      'oracle',
    ]);
  });

  it('rejects an unknown policy, naming the ones there are', () => {
    const { status, stderr } = runCli(['backtest', '--trace', elb, '--throughput', '1', '--max', '4', '--policies', 'magic']);
    expect(status).not.toBe(0);
    expect(stderr).toMatch(/unknown policy magic: use cpu-target-tracking, queue-step-scaling/);
  });

  it('names the line and column of a malformed CSV', () => {
    const { status, stderr } = runCli(['backtest', '--trace', csv(['2026-01-05 00:00:00,1', 'yesterday,2']), '--throughput', '1', '--max', '4']);
    expect(status).not.toBe(0);
    expect(stderr).toMatch(/line 3, column timestamp/);
  });

  it('writes an HTML report and a PNG of each chart', () => {
    const dir = mkdtempSync(join(tmpdir(), 'headroom-report-'));
    const { status } = runCli(['backtest', '--trace', elb, '--throughput', '0.05', '--max', '40', '--report', dir]);
    expect(status).toBe(0);
    for (const file of ['report.html', 'chart-1.png', 'chart-2.png', 'chart-3.png']) expect(existsSync(join(dir, file))).toBe(true);
  });

  it('compares Lambda maximum-concurrency settings with --consumer lambda: the one given, the least that meets the SLO, the ceiling', () => {
    const { status, stdout } = runCli([
      'backtest',
      '--trace',
      elb,
      '--consumer',
      'lambda',
      '--throughput',
      '0.05',
      '--max-concurrency',
      '5',
      '--json',
    ]);
    expect(status).toBe(0);
    const answer = JSON.parse(stdout) as {
      consumer: string;
      policies: Array<{ maxConcurrency: number; sloViolationMinutes: number; peakConcurrency: number; concurrencyHours: number }>;
      verdict: string;
    };
    expect(answer.consumer).toBe('lambda');
    expect(answer.policies.map((policy) => policy.maxConcurrency)).toEqual([5, 10, expect.any(Number), 1000]);
    const [given, , least, ceiling] = answer.policies;
    expect(given!.peakConcurrency).toBeLessThanOrEqual(5);
    expect(given!.sloViolationMinutes).toBeGreaterThan(least!.sloViolationMinutes);
    expect(least!.sloViolationMinutes).toBe(ceiling!.sloViolationMinutes);
    expect(answer.verdict).toMatch(new RegExp(`^maxConcurrency 5 leaves ${given!.sloViolationMinutes} violation minutes; ${least!.maxConcurrency} `));
  });

  it('prints the Lambda comparison as a table, and writes it as a report, like every consumer', () => {
    const dir = mkdtempSync(join(tmpdir(), 'headroom-lambda-report-'));
    const { status, stdout } = runCli(['backtest', '--trace', elb, '--consumer', 'lambda', '--throughput', '0.05', '--report', dir]);
    expect(status).toBe(0);
    expect(stdout).toMatch(/^setting +maxConcurrency +SLO-violation min +p99 wait s +concurrency-hours +peak concurrency$/m);
    expect(readFileSync(join(dir, 'report.html'), 'utf8')).toMatch(/<p id="verdict" class="verdict">maxConcurrency 10 /);
  });

  it('compares a provisioned DynamoDB table with and without predictive floors with --consumer dynamodb, and says what the floors cost', () => {
    const { status, stdout } = runCli(['backtest', '--trace', elb, '--consumer', 'dynamodb', '--max', '500', '--scale', '30', '--json']);
    expect(status).toBe(0);
    const answer = JSON.parse(stdout) as {
      policies: Array<{ name: string; throttledUnitMinutes: number; provisionedUnitHours: number }>;
      verdict: string;
    };
    expect(answer.policies.map((policy) => policy.name)).toEqual(['table-target-tracking', 'headroom-predictive']);
    const [tracking, predictive] = answer.policies;
    expect(predictive!.throttledUnitMinutes).toBeLessThan(tracking!.throttledUnitMinutes);
    expect(predictive!.provisionedUnitHours).toBeGreaterThan(tracking!.provisionedUnitHours);
    expect(answer.verdict).toMatch(
      /^headroom-predictive provisions more than target tracking alone: [\d.]+ unit-hours \(\d+%\) more, for [\d.]+ fewer throttled unit-minutes/,
    );
  });

  it('says which flag is missing', () => {
    const { status, stderr } = runCli(['backtest', '--trace', elb, '--throughput', '1']);
    expect(status).not.toBe(0);
    expect(stderr).toMatch(/missing a required flag: --max <n>/);
  });
});

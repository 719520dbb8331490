import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from './run-cli.ts';

/** Two days of 5-minute request counts with a daily peak (values are requests per step). */
function webTrace(): string {
  const start = Date.UTC(2026, 0, 5);
  const lines = ['timestamp,value'];
  for (let step = 0; step < 2 * 288; step++) {
    const hour = (step % 288) / 12;
    const perSecond = 200 + 600 * Math.max(0, Math.sin(((hour - 6) / 12) * Math.PI));
    lines.push(`${new Date(start + step * 300_000).toISOString().slice(0, 19).replace('T', ' ')},${(perSecond * 300).toFixed(0)}`);
  }
  const file = join(mkdtempSync(join(tmpdir(), 'headroom-http-')), 'requests.csv');
  writeFileSync(file, lines.join('\n'));
  return file;
}

const trace = webTrace();

/** `headroom backtest --workload http` on the trace, for a 50 requests/s task, a 500 ms SLO and 1-40 tasks, plus `flags`. */
const runHttp = (flags: string[]) =>
  runCli(['backtest', '--workload', 'http', '--trace', trace, '--saturation-requests-per-second', '50', '--slo', '500ms', '--max', '40', ...flags]);

describe('headroom backtest --workload http', () => {
  it('prints every request-driven policy as JSON, with the derived target', () => {
    const { status, stdout, stderr } = runHttp(['--json']);
    expect(stderr).toBe('');
    expect(status).toBe(0);
    const answer = JSON.parse(stdout) as { parameters: Record<string, number>; policies: Array<Record<string, unknown>> };
    expect(answer.parameters).toMatchObject({ saturationRequestsPerSecond: 50, sloMs: 500, startupMs: 90_000, maxCapacity: 40 });
    expect(answer.parameters.headroomTarget).toBe(0.7);
    const curve = answer.parameters.requiredTasks as unknown as Record<string, number>;
    expect(curve.saturationRatePerTask).toBeCloseTo(50, 6);
    expect(curve.fixedSlack).toBeGreaterThan(0);
    expect(answer.policies.map((policy) => policy.name)).toEqual([
      'cpu-target-tracking',
      'request-count-tracking',
      'headroom-reactive',
      'headroom',
      'oracle',
    ]);
    expect(answer.policies.at(-1)).toMatchObject({ name: 'oracle', sloViolationMinutes: 0, taskHoursVsOracle: 1 });
  });

  it('replays every RequiredTasksPerTask target candidate and prints the one to deploy', () => {
    const { status, stdout } = runHttp(['--http-policies', 'headroom-reactive,oracle']);
    expect(status).toBe(0);
    expect(stdout).toMatch(
      /^RequiredTasksPerTask targets replayed \(headroom-reactive\): 0\.6 \d+ min \d+ task-hours; .*0\.9 \d+ min \d+ task-hours$/m,
    );
    expect(stdout).toMatch(/^chosen 0\.\d+: the cheapest of 7 targets .*: give it as RequestScaledService's targetUtilization$/m);
  });

  it('chooses, on a smooth daily load that never breaks the SLO, a tighter target than the default, in the JSON too', () => {
    const { stdout } = runHttp(['--json', '--http-policies', 'headroom-reactive']);
    const answer = JSON.parse(stdout) as {
      targetTuning: { chosen: number; candidates: Array<{ targetUtilization: number; sloViolationMinutes: number; taskHours: number }> };
    };
    expect(answer.targetTuning.candidates).toHaveLength(7);
    expect(answer.targetTuning.chosen).toBeGreaterThan(0.7);
    const chosen = answer.targetTuning.candidates.find((score) => score.targetUtilization === answer.targetTuning.chosen)!;
    expect(chosen.sloViolationMinutes).toBe(Math.min(...answer.targetTuning.candidates.map((score) => score.sloViolationMinutes)));
  });

  it('prints a table by default', () => {
    const { status, stdout } = runHttp(['--http-policies', 'request-count-tracking,oracle']);
    expect(status).toBe(0);
    expect(stdout).toMatch(/^policy +SLO-violation min +dropped +bad % +task-hours +actions +vs oracle$/m);
    expect(stdout).toMatch(/^oracle +0 +0 +[\d.]+ +[\d.]+ +\d+ +1\.00$/m);
  });

  it('asks for --saturation-requests-per-second', () => {
    const { status, stderr } = runCli(['backtest', '--workload', 'http', '--trace', trace, '--slo', '500ms', '--max', '40']);
    expect(status).toBe(1);
    expect(stderr).toMatch(/missing a required flag: --saturation-requests-per-second <rps>/);
  });

  it('says which rate and which target to deploy: the rate within the SLO, not the saturation rate given', () => {
    const { stdout } = runHttp(['--http-policies', 'headroom-reactive,oracle']);
    const json = JSON.parse(runHttp(['--json', '--http-policies', 'headroom-reactive,oracle']).stdout) as {
      parameters: { sloRatePerTask: number };
      deploy: { requestsPerSecondPerTask: number; targetUtilization: number };
    };
    expect(json.deploy.requestsPerSecondPerTask).toBeLessThan(50);
    expect(json.deploy.requestsPerSecondPerTask).toBe(Math.floor(json.parameters.sloRatePerTask * 10) / 10);
    expect(stdout).toContain(
      `deploy RequestScaledService with requestsPerSecondPerTask: ${json.deploy.requestsPerSecondPerTask} (what one task serves within the p99 SLO of 500 ms, derived from the 50 requests/s it serves saturated) and targetUtilization: ${json.deploy.targetUtilization}`,
    );
  });

  it('still takes the old --requests-per-task, saying its new name', () => {
    const { status, stderr } = runCli([
      'backtest',
      '--workload',
      'http',
      '--trace',
      trace,
      '--requests-per-task',
      '50',
      '--slo',
      '500ms',
      '--max',
      '40',
      '--http-policies',
      'oracle',
    ]);
    expect(status).toBe(0);
    expect(stderr).toMatch(/--requests-per-task is now --saturation-requests-per-second/);
  });

  it('refuses the queue flags that mean nothing for a web service', () => {
    const { status, stderr } = runCli([
      'backtest',
      '--workload',
      'http',
      '--trace',
      trace,
      '--saturation-requests-per-second',
      '50',
      '--max',
      '40',
      '--throughput',
      '2',
    ]);
    expect(status).toBe(1);
    expect(stderr).toMatch(/--throughput do not apply with --workload http/);
  });

  it('refuses the http flags on a queue backtest', () => {
    const { status, stderr } = runCli(['backtest', '--trace', trace, '--throughput', '2', '--max', '40', '--saturation-requests-per-second', '50']);
    expect(status).toBe(1);
    expect(stderr).toMatch(/--saturation-requests-per-second only apply with --workload http/);
  });

  it('refuses an SLO no number of tasks can meet, saying why', () => {
    const { status, stderr } = runCli([
      'backtest',
      '--workload',
      'http',
      '--trace',
      trace,
      '--saturation-requests-per-second',
      '5',
      '--slo',
      '500ms',
      '--max',
      '40',
    ]);
    expect(status).toBe(1);
    expect(stderr).toMatch(/sloMs \(500 ms\) is under the p99 of the service time alone/);
  });
});

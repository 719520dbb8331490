import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from './run-cli.ts';

// The README's first command (`npm start`), run as a user would: it starts its own local AWS and must finish
// with every step done.
describe('headroom demo (npm start)', () => {
  const reportDir = mkdtempSync(join(tmpdir(), 'headroom-demo-'));
  const demo = runCli(['demo', '--report', reportDir], {}, { timeoutMs: 300_000 });

  it('exits 0', () => {
    expect(demo.stderr).not.toMatch(/Error/);
    expect(demo.status).toBe(0);
  });

  it('pairs every floor it raised on the local AWS with a restore: in time order each run of raises ends in a restore to the worker’s minCapacity', () => {
    const actions = [...demo.stdout.matchAll(/at\((\S+?)\) +MinCapacity=(\d+) +headroom-(raise|restore)-/g)].map(([, at, minCapacity, kind]) => ({
      at: at!,
      minCapacity: Number(minCapacity),
      kind: kind!,
    }));
    const sorted = [...actions].sort((a, b) => a.at.localeCompare(b.at));
    expect(sorted.filter((action) => action.kind === 'raise').length).toBeGreaterThan(0);
    let open = false;
    for (const action of sorted) {
      if (action.kind === 'raise') {
        expect(action.minCapacity).toBeGreaterThan(1);
        open = true;
      } else {
        // A restore ends raises; the reference worker's wall is its minCapacity of 1 (no other scheduled action).
        expect(open).toBe(true);
        expect(action.minCapacity).toBe(1);
        open = false;
      }
    }
    expect(open).toBe(false);
  });

  it('scores every policy on the same two weeks', () => {
    for (const policy of [
      'cpu-target-tracking',
      'queue-step-scaling',
      'backlog-target-tracking',
      'headroom-reactive',
      'headroom-predictive',
      'oracle',
    ]) {
      expect(demo.stdout).toMatch(new RegExp(`${policy} +SLO-violation minutes +\\d+ +capacity-hours +\\d+`));
    }
  });

  it('says what headroom-predictive cost and which floor settings the replay of the week before chose', () => {
    expect(demo.stdout).toMatch(
      /headroom-predictive \(the predictor's floors.*\) runs at \d+\.\d+ x with \d+ violation minutes; its floors were planned from the p(50|90) at \d+%/,
    );
  });

  it('backtests the web service beside the queue worker: every request-driven policy, its target and the one the load supports', () => {
    for (const policy of ['cpu-target-tracking', 'request-count-tracking', 'headroom-reactive', 'headroom', 'oracle']) {
      expect(demo.stdout).toMatch(
        new RegExp(`^\\[ *\\d+\\.\\ds\\]   ${policy} +SLO-violation minutes +\\d+ +task-hours +\\d+ +vs oracle \\d+\\.\\d+$`, 'm'),
      );
    }
    expect(demo.stdout).toMatch(
      /headroom tracks RequiredTasksPerTask at 0\.7 \(required tasks = load( \+ [\d.]+ x sqrt\(load\))? \+ 0\.\d+ tasks, load = requests\/s \/ 50\.0;/,
    );
    expect(demo.stdout).toMatch(/the RequiredTasksPerTask target this load supports, replayed from 0\.6 to 0\.9: 0\.\d+: the cheapest of 7 targets/);
  });

  it('writes the report with its charts', () => {
    const html = join(reportDir, 'report.html');
    expect(existsSync(html)).toBe(true);
    expect(readFileSync(html, 'utf8')).toContain('<svg');
  });
});

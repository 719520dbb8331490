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

  it('gives the verdict against every baseline, each named and defined, for the worker and the web service', () => {
    for (const baseline of ['cpu-target-tracking', 'queue-step-scaling', 'backlog-target-tracking']) {
      expect(demo.stdout).toMatch(
        new RegExp(`headroom-reactive runs at \\d+\\.\\d+ x the oracle's capacity-hours .*(beats|trades with|loses to) ${baseline} \\(`),
      );
      expect(demo.stdout).toMatch(new RegExp(`^\\[ *\\d+\\.\\ds\\]     ${baseline}: \\S`, 'm'));
    }
    for (const baseline of ['cpu-target-tracking', 'request-count-tracking'])
      expect(demo.stdout).toMatch(
        new RegExp(`headroom-reactive runs at \\d+\\.\\d+ x the oracle's task-hours .*(beats|trades with|loses to) ${baseline} \\(`),
      );
    expect(demo.stdout).toMatch(/its floors were planned from the p(50|90) at \d+%|floors were planned from the p(50|90) at \d+%/);
    expect(demo.stdout).toMatch(/synthetic: two weeks of hourly arrivals generated from a fixed seed/);
  });

  it('prints values rounded, never a raw float', () => {
    expect(demo.stdout).not.toMatch(/\d\.\d{5,}/);
  });

  it('names every scheduled action for the time it runs', () => {
    for (const [, date, time, stamp] of demo.stdout.matchAll(
      /at\((\d{4}-\d\d-\d\d)T(\d\d:\d\d):00\) +MinCapacity=\d+ +headroom-(?:raise|restore)-(\d{8}T\d{4})/g,
    ))
      expect(stamp).toBe(`${date!.replace(/-/g, '')}T${time!.replace(':', '')}`);
  });

  it('compares the DynamoDB table with and without floors and says what the floors cost', () => {
    expect(demo.stdout).toMatch(/headroom-predictive provisions (more|[\d.]+ unit-hours \(\d+%\) less) /);
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

  it('writes the report with the story: verdict, provenance, the web service, the table, the floors, the scheduled actions, the charts', () => {
    const html = join(reportDir, 'report.html');
    expect(existsSync(html)).toBe(true);
    const text = readFileSync(html, 'utf8');
    for (const section of ['verdict', 'load', 'policies', 'queue', 'web', 'table', 'floors', 'scheduled-actions', 'charts'])
      expect(text).toContain(`<section id="${section}">`);
    expect(text).toMatch(/<p id="provenance">synthetic: /);
    expect(text).toMatch(/headroom-raise-\d{8}T\d{4}/);
    expect(text).toContain('<svg');
  });
});

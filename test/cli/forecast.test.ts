import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli, tracesDir } from './run-cli.ts';

function csv(lines: string[]): string {
  const file = join(mkdtempSync(join(tmpdir(), 'headroom-forecast-')), 'trace.csv');
  writeFileSync(file, ['timestamp,value', ...lines].join('\n'));
  return file;
}

const threeWeeksHourly = csv(
  Array.from({ length: 21 * 24 }, (_, hour) => {
    const time = new Date(Date.UTC(2026, 0, 5) + hour * 3_600_000).toISOString().replace('T', ' ').slice(0, 19);
    return `${time},${100 + 50 * Math.sin((2 * Math.PI * (hour % 24)) / 24)}`;
  }),
);

describe('headroom forecast', () => {
  it('prints the documented JSON: model, step and one row per step with p50 <= p90 <= p99', () => {
    const { status, stdout } = runCli(['forecast', '--trace', threeWeeksHourly, '--horizon', '24h', '--json']);
    expect(status).toBe(0);
    const answer = JSON.parse(stdout) as {
      model: string;
      step: string;
      forecast: Array<{ timestamp: string; p50: number; p90: number; p99: number }>;
    };
    expect(answer.step).toBe('1h');
    expect(answer.forecast).toHaveLength(24);
    expect(answer.forecast[0]!.timestamp).toBe('2026-01-26T00:00:00.000Z');
    for (const row of answer.forecast) expect(row.p50 <= row.p90 && row.p90 <= row.p99).toBe(true);
  });

  it('fits only on the data before --until, on a real trace', () => {
    const { status, stdout } = runCli([
      'forecast',
      '--trace',
      join(tracesDir, 'nyc-taxi-passengers-30min.csv'),
      '--until',
      '2015-01-20T00:00:00Z',
      '--horizon',
      '6h',
      '--json',
    ]);
    expect(status).toBe(0);
    const answer = JSON.parse(stdout) as { step: string; forecast: Array<{ timestamp: string }> };
    expect(answer.step).toBe('30m');
    expect(answer.forecast[0]!.timestamp).toBe('2015-01-20T00:00:00.000Z');
    expect(answer.forecast).toHaveLength(12);
  });

  it('names the line of a malformed CSV', () => {
    const { status, stderr } = runCli(['forecast', '--trace', csv(['2026-01-05 00:00:00,1', '2026-01-05 01:00:00,many'])]);
    expect(status).not.toBe(0);
    expect(stderr).toMatch(/line 3, column value: expected a number, got "many"/);
  });

  it('refuses a history that is mostly gaps, by the gap rule backtest shares', () => {
    const { status, stderr } = runCli(['forecast', '--trace', csv(['2026-01-05 00:00:00,1', '2026-01-05 01:00:00,', '2026-01-05 02:00:00,'])]);
    expect(status).not.toBe(0);
    expect(stderr).toMatch(
      /line 4, column value: the trace cannot be used: 66.7% of it is gaps \(at most 50% allowed\): 2 empty value\(s\) and 0 missing row\(s\)/,
    );
  });

  it('rejects a malformed --horizon with the form it takes', () => {
    const { status, stderr } = runCli(['forecast', '--trace', threeWeeksHourly, '--horizon', 'tomorrow']);
    expect(status).not.toBe(0);
    expect(stderr).toMatch(/"tomorrow" is not a duration: use a number and a unit/);
  });
});

import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { describe, expect, it } from 'vitest';
import { seedMetricHistory } from '../../cli/demo/seed-history.ts';
import { syntheticLoad } from '../../shared/synthetic-load/synthetic-load.ts';
import { runCli } from '../cli/run-cli.ts';
import { uniqueName } from '../support/names.ts';

const HOUR = 3_600_000;

describe('headroom backtest --from-cloudwatch against the local AWS', () => {
  it('reads the metric’s history through the SDK and backtests it', async () => {
    const queue = uniqueName('orders');
    const startMs = Math.floor(Date.now() / HOUR) * HOUR - 3 * 24 * HOUR;
    await seedMetricHistory(new CloudWatchClient({}), { namespace: 'HeadroomBacktestTest', metricName: 'Arrivals', dimensions: [{ Name: 'Queue', Value: queue }] }, syntheticLoad({ startMs, stepMs: HOUR, days: 3, meanRate: 2 }));
    const { status, stdout, stderr } = runCli([
      'backtest', '--from-cloudwatch', '--namespace', 'HeadroomBacktestTest', '--metric', 'Arrivals', '--dimension', `Queue=${queue}`, '--days', '4',
      '--throughput', '0.5', '--max', '30', '--policies', 'backlog-target-tracking,oracle', '--json',
    ]);
    expect(stderr).toBe('');
    expect(status).toBe(0);
    const answer = JSON.parse(stdout) as { parameters: { source: string }; policies: Array<{ name: string; capacityHours: number }> };
    expect(answer.parameters.source).toBe('cloudwatch:HeadroomBacktestTest/Arrivals');
    expect(answer.policies[1]!.capacityHours).toBeGreaterThan(0);
  });

  it('says which metric has no history', () => {
    const { status, stderr } = runCli(['backtest', '--from-cloudwatch', '--namespace', 'HeadroomBacktestTest', '--metric', 'Nothing', '--throughput', '1', '--max', '3']);
    expect(status).not.toBe(0);
    expect(stderr).toMatch(/the metric HeadroomBacktestTest Nothing \{\} has 0 datapoint\(s\)/);
  });
});

import { CloudWatchClient, PutMetricDataCommand } from '@aws-sdk/client-cloudwatch';
import { describe, expect, it } from 'vitest';
import { runCli } from '../cli/run-cli.ts';
import { uniqueName } from '../support/names.ts';

const HOUR = 3_600_000;
const NAMESPACE = 'HeadroomBacktestGapsTest';

describe('headroom backtest --from-cloudwatch and the gap rule forecast shares', () => {
  it('refuses a metric history that is mostly gaps, as a trace would be', async () => {
    const queue = uniqueName('orders');
    const endMs = Math.floor(Date.now() / HOUR) * HOUR - HOUR;
    // Three hours in a row, then one hour in five: read at the hourly step, 73% of three days is missing.
    const hours = Array.from({ length: 72 }, (_, hour) => hour).filter((hour) => hour < 3 || hour % 5 === 0);
    await new CloudWatchClient({}).send(
      new PutMetricDataCommand({
        Namespace: NAMESPACE,
        MetricData: hours.map((hour) => ({
          MetricName: 'Arrivals',
          Dimensions: [{ Name: 'Queue', Value: queue }],
          Timestamp: new Date(endMs - (71 - hour) * HOUR),
          Value: 3600,
          Unit: 'Count',
        })),
      }),
    );
    const { status, stdout, stderr } = runCli([
      'backtest',
      '--from-cloudwatch',
      '--namespace',
      NAMESPACE,
      '--metric',
      'Arrivals',
      '--dimension',
      `Queue=${queue}`,
      '--days',
      '4',
      '--throughput',
      '1',
      '--max',
      '5',
      '--json',
    ]);
    expect(stdout).toBe('');
    expect(status).toBe(1);
    expect(stderr).toMatch(
      /^headroom: the metric HeadroomBacktestGapsTest Arrivals over the last 4 day\(s\) cannot be used: \d+(\.\d)?% of it is gaps \(at most 50% allowed\)$/m,
    );
  });
});

import { CloudWatchClient, PutMetricDataCommand, type GetMetricDataCommandOutput } from '@aws-sdk/client-cloudwatch';
import { describe, expect, it } from 'vitest';
import { readMetricHistory } from '../../cli/cloudwatch-history/read-metric-history.ts';
import { runCli } from '../cli/run-cli.ts';
import { uniqueName } from '../support/names.ts';

const HOUR = 3_600_000;
const NAMESPACE = 'HeadroomBacktestTest';

/** Seeds `days` of hourly arrivals (a daily cycle) for one queue with PutMetricData, as CloudWatch would hold them. */
async function seedHourly(queue: string, days: number, endMs: number): Promise<number[]> {
  const cloudwatch = new CloudWatchClient({});
  const startMs = endMs - days * 24 * HOUR;
  const values = Array.from({ length: days * 24 }, (_, hour) => Math.round(3600 * (2 + 1.5 * Math.sin((2 * Math.PI * hour) / 24))));
  for (let from = 0; from < values.length; from += 500) {
    await cloudwatch.send(
      new PutMetricDataCommand({
        Namespace: NAMESPACE,
        MetricData: values.slice(from, from + 500).map((value, index) => ({
          MetricName: 'Arrivals',
          Dimensions: [{ Name: 'Queue', Value: queue }],
          Timestamp: new Date(startMs + (from + index) * HOUR),
          Value: value,
          Unit: 'Count',
        })),
      }),
    );
  }
  return values;
}

/** `headroom backtest` on four days of one queue's seeded Arrivals, read back from the local AWS, as JSON. */
function backtestQueueHistory(queue: string, flags: readonly string[]) {
  return runCli([
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
    ...flags,
    '--json',
  ]);
}

describe('headroom backtest --from-cloudwatch against the local AWS', () => {
  it('refuses a metric history that is mostly gaps, by the gap rule forecast shares', async () => {
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
    const { status, stdout, stderr } = backtestQueueHistory(queue, ['--throughput', '1', '--max', '5']);
    expect(stdout).toBe('');
    expect(status).toBe(1);
    expect(stderr).toMatch(
      /^headroom: the metric HeadroomBacktestTest Arrivals over the last 4 day\(s\) cannot be used: \d+(\.\d)?% of it is gaps \(at most 50% allowed\)$/m,
    );
  });

  it('reads the metric’s history through the SDK and backtests it', async () => {
    const queue = uniqueName('orders');
    await seedHourly(queue, 3, Math.floor(Date.now() / HOUR) * HOUR - HOUR);
    const { status, stdout, stderr } = backtestQueueHistory(queue, [
      '--throughput',
      '0.5',
      '--max',
      '30',
      '--policies',
      'backlog-target-tracking,oracle',
    ]);
    expect(stderr).toBe('');
    expect(status).toBe(0);
    const answer = JSON.parse(stdout) as {
      parameters: { source: string; minutes: number };
      policies: Array<{ name: string; capacityHours: number }>;
    };
    expect(answer.parameters.source).toBe(`cloudwatch:${NAMESPACE}/Arrivals`);
    // Hourly points are read at their own step and spread over their minutes (not one minute of load an hour).
    expect(answer.parameters.minutes).toBe(3 * 24 * 60);
    expect(answer.policies[1]!.capacityHours).toBeGreaterThan(0);
  });

  // moto answers GetMetricData in one page whatever its size, so a middleware splits moto's real answer into two
  // pages joined by a NextToken, the way CloudWatch pages a long history.
  it('follows NextToken through every page of the history', async () => {
    const queue = uniqueName('orders');
    const endMs = Math.floor(Date.now() / HOUR) * HOUR - HOUR;
    const values = await seedHourly(queue, 3, endMs);
    const cloudwatch = new CloudWatchClient({});
    const tokensSeen: Array<string | undefined> = [];
    cloudwatch.middlewareStack.add(
      (next) => async (args) => {
        const token = (args.input as { NextToken?: string }).NextToken;
        tokensSeen.push(token);
        const answer = await next({ ...args, input: { ...(args.input as object), NextToken: undefined } });
        const output = answer.output as GetMetricDataCommandOutput;
        const result = output.MetricDataResults![0]!;
        const half = Math.ceil(result.Timestamps!.length / 2);
        const [from, to] = token === 'page-2' ? [half, result.Timestamps!.length] : [0, half];
        output.MetricDataResults = [{ ...result, Timestamps: result.Timestamps!.slice(from, to), Values: result.Values!.slice(from, to) }];
        output.NextToken = token === 'page-2' ? undefined : 'page-2';
        return answer;
      },
      { step: 'initialize', name: 'page-get-metric-data' },
    );
    const series = await readMetricHistory(cloudwatch, {
      namespace: NAMESPACE,
      metricName: 'Arrivals',
      dimensions: { Queue: queue },
      periodSeconds: 3600,
      days: 4,
      now: new Date(endMs + HOUR),
    });
    expect(tokensSeen).toEqual([undefined, 'page-2']);
    expect(series.values.filter(Number.isFinite)).toEqual(values);
  });

  it('says which metric has no history', () => {
    const { status, stderr } = runCli([
      'backtest',
      '--from-cloudwatch',
      '--namespace',
      NAMESPACE,
      '--metric',
      'Nothing',
      '--throughput',
      '1',
      '--max',
      '3',
    ]);
    expect(status).not.toBe(0);
    expect(stderr).toMatch(
      /the metric HeadroomBacktestTest Nothing \{\} has 0 datapoint\(s\) in the last 14 day\(s\): check its namespace, name and dimensions/,
    );
  });

  it('says how to provide credentials when there are none', () => {
    const noCredentials = {
      AWS_ACCESS_KEY_ID: '',
      AWS_SECRET_ACCESS_KEY: '',
      AWS_SESSION_TOKEN: '',
      AWS_PROFILE: '',
      AWS_SHARED_CREDENTIALS_FILE: '/nonexistent',
      AWS_CONFIG_FILE: '/nonexistent',
      AWS_EC2_METADATA_DISABLED: 'true',
    };
    const { status, stderr } = runCli(
      ['backtest', '--from-cloudwatch', '--namespace', NAMESPACE, '--metric', 'Arrivals', '--throughput', '1', '--max', '3'],
      noCredentials,
    );
    expect(status).not.toBe(0);
    expect(stderr).toMatch(
      /headroom: no AWS credentials were found: set AWS_PROFILE \(or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY\) and AWS_REGION/,
    );
  });
});

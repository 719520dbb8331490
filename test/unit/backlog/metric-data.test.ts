import { CloudWatchClient, PutMetricDataCommand } from '@aws-sdk/client-cloudwatch';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { backlogDatums, batchDatums, PUT_METRIC_DATA_LIMITS, type BacklogDatum } from '../../../shared/backlog/index.ts';

const at = new Date('2025-03-01T12:00:00Z');
const reading = (workload: string, runningCapacity = 2) => ({
  workload,
  depth: { visible: 30, inFlight: 10, delayed: 4 },
  countDelayed: false,
  runningCapacity,
  desiredCapacity: runningCapacity,
});

/** The request body the real SDK would send for one PutMetricData call, captured before it leaves. */
async function serializedBytes(datums: BacklogDatum[]): Promise<number> {
  const client = new CloudWatchClient({
    region: 'us-east-1',
    endpoint: 'https://monitoring.invalid',
    credentials: { accessKeyId: 'a', secretAccessKey: 'b' },
    disableRequestCompression: true,
  });
  let bytes = -1;
  client.middlewareStack.add(
    () => async (args) => {
      const body = (args.request as { body: string | Uint8Array }).body;
      bytes = typeof body === 'string' ? Buffer.byteLength(body) : body.byteLength;
      return { output: { $metadata: {} }, response: {} };
    },
    { step: 'finalizeRequest', priority: 'low' },
  );
  await client.send(
    new PutMetricDataCommand({ Namespace: 'Headroom', MetricData: datums.map((datum) => ({ ...datum, Dimensions: [...datum.Dimensions] })) }),
  );
  if (bytes <= 0) throw new Error('the SDK sent no request body to measure');
  return bytes;
}

describe('backlogDatums', () => {
  it('publishes backlog per task, queue backlog and running capacity under the Workload dimension, at standard resolution', () => {
    expect(backlogDatums(reading('orders', 4), at)).toEqual([
      {
        MetricName: 'BacklogPerTask',
        Dimensions: [{ Name: 'Workload', Value: 'orders' }],
        Timestamp: at,
        Value: 10,
        Unit: 'Count',
        StorageResolution: 60,
      },
      {
        MetricName: 'QueueBacklog',
        Dimensions: [{ Name: 'Workload', Value: 'orders' }],
        Timestamp: at,
        Value: 40,
        Unit: 'Count',
        StorageResolution: 60,
      },
      {
        MetricName: 'RunningCapacity',
        Dimensions: [{ Name: 'Workload', Value: 'orders' }],
        Timestamp: at,
        Value: 4,
        Unit: 'Count',
        StorageResolution: 60,
      },
    ]);
  });

  it('adds RequiredCapacityPerTask and what it is made of when the source has a demand', () => {
    const datums = backlogDatums(
      { ...reading('orders', 4), desiredCapacity: 5, demand: { arrivalsPerSecond: 2, timePerMessageMs: 1500, drainBudgetMs: 60_000 } },
      at,
    );
    const value = (name: string) => datums.find((datum) => datum.MetricName === name)?.Value;
    // 2 msg/s x 1.5 s + 40 waiting x 1.5 s / 60 s = 4 tasks, per 4 running (ECS scales from the running count, not the 5 desired).
    expect([
      value('RequiredCapacity'),
      value('RequiredCapacityPerTask'),
      value('ArrivalRate'),
      value('TimePerMessage'),
      value('BacklogWithoutCapacity'),
    ]).toEqual([4, 1, 2, 1500, 0]);
    expect(datums.find((datum) => datum.MetricName === 'TimePerMessage')?.Unit).toBe('Milliseconds');
  });

  it('publishes only the metrics the source lists', () => {
    const demand = { arrivalsPerSecond: 2, timePerMessageMs: 500, drainBudgetMs: 60_000 };
    const names = backlogDatums({ ...reading('orders'), demand, metrics: ['RequiredCapacityPerTask', 'BacklogWithoutCapacity'] }, at).map(
      (datum) => datum.MetricName,
    );
    expect(names).toEqual(['RequiredCapacityPerTask', 'BacklogWithoutCapacity']);
  });

  it('publishes the whole backlog per task when no task runs', () => {
    expect(backlogDatums(reading('orders', 0), at)[0]!.Value).toBe(40);
  });
});

describe('batchDatums', () => {
  it('puts many sources in one call', () => {
    const batches = batchDatums(Array.from({ length: 300 }, (_, index) => backlogDatums(reading(`w${index}`), at)));
    expect(batches.map((batch) => batch.length)).toEqual([900]);
  });

  it('starts a new call before 1,000 datums and never splits a source', () => {
    const batches = batchDatums(Array.from({ length: 700 }, (_, index) => backlogDatums(reading(`w${index}`), at)));
    expect(batches.map((batch) => batch.length)).toEqual([999, 999, 102]);
  });

  it('keeps every datum, in order, in calls within both limits', () => {
    fc.assert(
      fc.property(fc.array(fc.string({ minLength: 1, maxLength: 255, unit: 'grapheme' }), { maxLength: 800 }), (workloads) => {
        const sources = workloads.map((workload) => backlogDatums(reading(workload), at));
        const batches = batchDatums(sources);
        expect(batches.flat()).toEqual(sources.flat());
        for (const batch of batches) {
          expect(batch.length).toBeLessThanOrEqual(PUT_METRIC_DATA_LIMITS.maxDatums);
          expect(batch.length % 3).toBe(0);
        }
      }),
      { numRuns: 30 },
    );
  });

  it('keeps each call the real SDK serializes under 1 MB, even for the longest, most escaped workload names', async () => {
    const worstNames = ['€', '\u001f', '"', '😀'].map((unit) => unit.repeat(Math.floor(255 / unit.length)));
    const sources = Array.from({ length: 1200 }, (_, index) =>
      backlogDatums(reading(worstNames[index % worstNames.length]!.slice(0, 250) + String(index).padStart(4, '0')), at),
    );
    const batches = batchDatums(sources);
    expect(batches.length).toBeGreaterThan(Math.ceil((1200 * 3) / 999));
    const sizes = await Promise.all(batches.map(serializedBytes));
    for (const size of sizes) expect(size).toBeLessThanOrEqual(PUT_METRIC_DATA_LIMITS.maxRequestBytes);
  });
});

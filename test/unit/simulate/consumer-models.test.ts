import { describe, expect, it } from 'vitest';
import { simulateLambdaConsumer, simulateProvisionedTable } from '../../../shared/simulate/index.ts';

describe('the Lambda SQS consumer model', () => {
  // Lambda developer guide (scaling with SQS): "If messages are still available, Lambda increases the number of
  // processes that are reading batches by up to 300 more instances per minute."
  it('ramps concurrency by at most 300 a minute, as Lambda’s SQS poller does', () => {
    const score = simulateLambdaConsumer([900 * 60, 0, 0], { throughputPerInstance: 1, maxConcurrency: 1000, sloMs: 300_000 });
    expect(score.peakConcurrency).toBe(600);
    expect(score.sloViolationMinutes).toBe(0);
  });

  // "Maximum concurrency ... limits the number of concurrent instances of the function that an Amazon SQS event
  // source can invoke" (2 to 1,000).
  it('never runs more than the event source’s maximum concurrency, and then the backlog breaks the SLO', () => {
    const arrivals = Array(30).fill(600);
    const capped = simulateLambdaConsumer(arrivals, { throughputPerInstance: 1, maxConcurrency: 5, sloMs: 300_000 });
    expect(capped.peakConcurrency).toBe(5);
    expect(capped.sloViolationMinutes).toBeGreaterThan(0);
    expect(simulateLambdaConsumer(arrivals, { throughputPerInstance: 1, maxConcurrency: 20, sloMs: 300_000 }).sloViolationMinutes).toBe(0);
  });
});

describe('the DynamoDB provisioned table model', () => {
  const base = { minCapacity: 10, maxCapacity: 1000, targetUtilizationPercent: 70 };

  // Consumed capacity cannot show demand above what is provisioned, so target tracking climbs ~1/0.7 a minute.
  it('throttles what exceeds provisioned capacity for minutes, until target tracking catches up', () => {
    const demand = [...Array(30).fill(5), ...Array(30).fill(300)];
    const score = simulateProvisionedTable(demand, base);
    expect(score.minutesWithThrottles).toBeGreaterThanOrEqual(3);
    expect(score.minutesWithThrottles).toBeLessThan(30);
  });

  // DynamoDB quotas: provisioned capacity can be decreased up to 4 times in the first hour of a UTC day and once an
  // hour after, up to 27 times a day; the model holds scale-in to a daily count.
  it('makes no more capacity decreases a day than DynamoDB allows', () => {
    const sawtooth = Array.from({ length: 1440 }, (_, minute) => (Math.floor(minute / 30) % 2 === 0 ? 500 : 5));
    expect(simulateProvisionedTable(sawtooth, { ...base, decreasesPerDay: 4 }).decreases).toBeLessThanOrEqual(4);
  });

  it('throttles nothing when a scheduled floor covers a known spike', () => {
    const demand = [...Array(30).fill(5), ...Array(30).fill(300)];
    const floored = simulateProvisionedTable(demand, { ...base, floorAt: (minute) => (minute >= 25 ? 430 : 0) });
    expect(floored.throttledUnitMinutes).toBe(0);
  });
});

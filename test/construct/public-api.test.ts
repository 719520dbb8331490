import { App, Duration, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import {
  type BurnRateAlert,
  type FloorTuningInput,
  MetricName,
  type Quantile,
  QueueConsumerFunction,
  type RequiredTasksCurve,
} from '../../stacks/index.ts';
import { defaultWorkloadName } from '../../stacks/common/workload-name.ts';
import { Construct } from 'constructs';
import { demoWorkerEntry } from '../support/handler-entries.ts';

describe('the public API', () => {
  it('exports the types users write down in their props (type-checked by the suite)', () => {
    const alert: BurnRateAlert = { burnRate: 14.4, longWindow: { hours: 1 }, shortWindow: { minutes: 5 } } as unknown as BurnRateAlert;
    const quantile: Quantile = 'p90';
    const tuning: FloorTuningInput | undefined = undefined;
    const curve: RequiredTasksCurve | undefined = undefined;
    expect([alert !== undefined, quantile, tuning, curve]).toEqual([true, 'p90', undefined, undefined]);
    expect(MetricName.requiredCapacityPerTask).toBe('RequiredCapacityPerTask');
  });

  it('names a workload by default for its stack and path, readable in every metric and dashboard, not a construct hash', () => {
    const stack = new Stack(new App(), 'Shop');
    const consumer = new QueueConsumerFunction(stack, 'OrdersConsumer', { entry: demoWorkerEntry, acceptableLatency: Duration.minutes(2) });
    expect(consumer.workload).toBe('Shop-OrdersConsumer');
    expect(JSON.stringify(Template.fromStack(stack).toJSON())).toContain('"Shop-OrdersConsumer"');
  }, 300_000);

  it('keeps a default name to what dashboards and dimensions take, and within 128 characters', () => {
    const stack = new Stack(new App(), 'Team');
    const dotted = new Construct(stack, 'orders.v2 (eu)');
    const deep = new Construct(dotted, 'x'.repeat(200));
    expect(defaultWorkloadName(dotted)).toBe('Team-orders-v2-eu');
    expect(defaultWorkloadName(deep).length).toBeLessThanOrEqual(128);
  });
});

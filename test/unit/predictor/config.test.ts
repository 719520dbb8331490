import { describe, expect, it } from 'vitest';
import { parsePredictorConfig } from '../../../shared/predictor/config.ts';

const target = {
  workload: 'orders',
  resourceId: 'service/main/orders',
  load: [{ namespace: 'AWS/SQS', metricName: 'NumberOfMessagesSent', dimensions: { QueueName: 'orders' } }],
  unitThroughput: 5,
  minCapacity: 1,
  maxCapacity: 20,
};
const config = (targets: unknown[], settings: Record<string, unknown> = {}) => JSON.stringify({ ...settings, targets });

describe('parsePredictorConfig', () => {
  it('fills the documented defaults: forecastOnly, enabled, 21 days hourly, 24 h ahead, the median at full utilization, 100 actions, UTC', () => {
    const parsed = parsePredictorConfig(config([target]));
    expect(parsed).toMatchObject({
      mode: 'forecastOnly',
      enabled: true,
      historyDays: 21,
      periodSeconds: 3600,
      horizonHours: 24,
      actionPrefix: 'headroom-',
      rejectedTargets: [],
    });
    expect(parsed.targets[0]).toMatchObject({
      serviceNamespace: 'ecs',
      scalableDimension: 'ecs:service:DesiredCount',
      quantile: 'p50',
      actionBudget: 100,
      targetUtilization: 1,
      timeZone: 'UTC',
    });
    expect(parsed.targets[0]!.load[0]!.stat).toBe('Sum');
  });

  it('reads a queue worker’s floorTuning model, and rejects one the replay cannot run, naming the field', () => {
    const floorTuning = { acceptableLatencySeconds: 300, startupSeconds: 90, scaleOutCooldownSeconds: 60, reactiveTarget: 1, drainShare: 0.5 };
    expect(parsePredictorConfig(config([{ ...target, floorTuning }])).targets[0]!.floorTuning).toEqual(floorTuning);
    const rejected = parsePredictorConfig(config([{ ...target, floorTuning: { ...floorTuning, acceptableLatencySeconds: 30 } }])).rejectedTargets;
    expect(rejected[0]!.reason).toMatch(/targets\[0\]\.floorTuning\.acceptableLatencySeconds must be a number of seconds >= 60, got 30/);
  });

  it('leaves minCapacity and maxCapacity to the target’s registered walls when unset', () => {
    const { minCapacity: _min, maxCapacity: _max, ...bare } = target;
    expect(parsePredictorConfig(config([bare])).targets[0]).toMatchObject({ minCapacity: undefined, maxCapacity: undefined });
  });

  it('gives DynamoDB targets a daily budget of capacity decreases: the predictor’s share of the table’s', () => {
    const table = { ...target, serviceNamespace: 'dynamodb', resourceId: 'table/sessions', scalableDimension: 'dynamodb:table:ReadCapacityUnits' };
    expect(parsePredictorConfig(config([table])).targets[0]!.maxDecreasesPerDay).toBe(8);
  });

  it.each([
    [undefined, /HEADROOM_PREDICTOR_CONFIG: is not set/],
    ['{', /is not valid JSON/],
    [config([]), /config.targets must be a non-empty array/],
    [config([target], { mode: 'yolo' }), /config.mode must be one of forecastOnly, forecastAndScale, got "yolo"/],
    [config([target], { historyDays: 64 }), /historyDays must be between 2 and 63 days \(CloudWatch keeps 5-minute data 63 days\)/],
    [config([target], { historyDays: 1 }), /historyDays must be between 2 and 63 days/],
    [config([target], { namespace: 'AWS/Predictor' }), /config.namespace must not start with "AWS\/" \(reserved for AWS services\)/],
    [
      config([target], { actionPrefix: 's' }),
      /config.actionPrefix must be 4-32 letters, digits, _ or - ending in "-" \(so it cannot claim your own actions\), got "s"/,
    ],
    [config([target], { actionPrefix: 'headroom' }), /config.actionPrefix must be 4-32 letters/],
  ])('rejects a predictor-wide setting %s, naming the field', (raw, message) => {
    expect(() => parsePredictorConfig(raw)).toThrow(message);
  });

  it.each([
    [{ maxCapacity: 0 }, /config.targets\[1\].maxCapacity must be a whole number >= 1 and >= minCapacity \(1\), got 0/],
    [{ unitThroughput: -1 }, /config.targets\[1\].unitThroughput must be a positive, finite number/],
    [{ unitThroughput: 'Infinity' }, /config.targets\[1\].unitThroughput must be a positive, finite number/],
    [{ workload: '' }, /config.targets\[1\].workload must be a non-empty string, got ""/],
    [{ quantile: 'p75' }, /config.targets\[1\].quantile must be one of p50, p90, p99, got "p75"/],
    [{ scalableDimension: 'ecs:service:Foo' }, /scalableDimension must be one of ecs:service:DesiredCount/],
    [{ timeZone: 'Mars/Olympus' }, /config.targets\[1\].timeZone must be an IANA time zone such as "America\/New_York", got "Mars\/Olympus"/],
  ])('rejects a target with %j alone, naming the field, and keeps the others', (override, message) => {
    const parsed = parsePredictorConfig(
      config([
        { ...target, workload: 'good' },
        { ...target, workload: 'bad', ...override },
      ]),
    );
    expect(parsed.targets.map((parsedTarget) => parsedTarget.workload)).toEqual(['good']);
    expect(parsed.rejectedTargets).toHaveLength(1);
    expect(parsed.rejectedTargets[0]).toMatchObject({ index: 1, reason: expect.stringMatching(message) });
  });

  it('rejects a load statistic GetMetricData would reject, naming the field, and runs the other targets (break 5)', () => {
    const bad = { ...target, workload: 'bad', load: [{ ...target.load[0], stat: 'p99.9x' }] };
    const parsed = parsePredictorConfig(config([target, bad]));
    expect(parsed.targets.map((parsedTarget) => parsedTarget.workload)).toEqual(['orders']);
    expect(parsed.rejectedTargets[0]!.reason).toMatch(/targets\[1\]\.load\[0\]\.stat "p99\.9x" is not a CloudWatch statistic/);
  });

  it.each(['Sum', 'Average', 'SampleCount', 'p99', 'p99.9', 'tm90', 'TM(10%:90%)', 'PR(:300)', 'IQM'])('accepts the statistic %s', (stat) => {
    const parsed = parsePredictorConfig(config([{ ...target, load: [{ ...target.load[0], stat }] }]));
    expect(parsed.targets[0]!.load[0]!.stat).toBe(stat);
  });

  it('names a rejected target by its workload when it has one, else by its index', () => {
    const parsed = parsePredictorConfig(config([target, { ...target, workload: 'bad', unitThroughput: 0 }, 42]));
    expect(parsed.rejectedTargets.map((rejected) => rejected.workload)).toEqual(['bad', 'targets[2]']);
  });

  it('rejects the second of two targets with one workload, and runs the first', () => {
    const parsed = parsePredictorConfig(config([target, target]));
    expect(parsed.targets).toHaveLength(1);
    expect(parsed.rejectedTargets[0]!.reason).toMatch(/workload "orders" appears twice/);
  });
});

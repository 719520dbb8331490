import { describe, expect, it } from 'vitest';
import { parsePredictorConfig } from '../../../shared/predictor/config.ts';

const target = {
  workload: 'orders',
  resourceId: 'service/main/orders',
  load: [{ namespace: 'AWS/SQS', metricName: 'NumberOfMessagesSent', dimensions: { QueueName: 'orders' } }],
  unitThroughput: 5,
  floor: 1,
  max: 20,
};

describe('parsePredictorConfig', () => {
  it('fills the documented defaults: forecastOnly, enabled, 21 days hourly, 24 h ahead, p90, 100 actions', () => {
    const config = parsePredictorConfig(JSON.stringify({ targets: [target] }));
    expect(config).toMatchObject({ mode: 'forecastOnly', enabled: true, historyDays: 21, periodSeconds: 3600, horizonHours: 24, actionPrefix: 'headroom-' });
    expect(config.targets[0]).toMatchObject({ serviceNamespace: 'ecs', scalableDimension: 'ecs:service:DesiredCount', quantile: 'p90', actionBudget: 100, targetUtilization: 0.7 });
    expect(config.targets[0]!.load[0]!.stat).toBe('Sum');
  });

  it('gives DynamoDB targets a daily budget of capacity decreases', () => {
    const table = { ...target, serviceNamespace: 'dynamodb', resourceId: 'table/sessions', scalableDimension: 'dynamodb:table:ReadCapacityUnits' };
    expect(parsePredictorConfig(JSON.stringify({ targets: [table] })).targets[0]!.maxDecreasesPerDay).toBe(20);
  });

  it.each([
    [undefined, /HEADROOM_PREDICTOR_CONFIG: is not set/],
    ['{', /is not valid JSON/],
    [JSON.stringify({ targets: [] }), /config.targets must be a non-empty array/],
    [JSON.stringify({ targets: [{ ...target, max: 0 }] }), /config.targets\[0\].max must be a whole number >= floor \(1\), got 0/],
    [JSON.stringify({ targets: [{ ...target, unitThroughput: -1 }] }), /config.targets\[0\].unitThroughput must be a positive number/],
    [JSON.stringify({ targets: [{ ...target, scalableDimension: 'ecs:service:Foo' }] }), /scalableDimension must be one of ecs:service:DesiredCount/],
    [JSON.stringify({ mode: 'yolo', targets: [target] }), /config.mode must be one of forecastOnly, forecastAndScale, got "yolo"/],
    [JSON.stringify({ targets: [target, target] }), /workload "orders" appears twice/],
    [JSON.stringify({ historyDays: 64, targets: [target] }), /historyDays must be between 2 and 63 days \(CloudWatch keeps 5-minute data 63 days\)/],
    [JSON.stringify({ historyDays: 1, targets: [target] }), /historyDays must be between 2 and 63 days/],
  ])('rejects %s naming the field', (raw, message) => {
    expect(() => parsePredictorConfig(raw)).toThrow(message);
  });
});

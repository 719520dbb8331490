import { describe, expect, it } from 'vitest';
import { BacklogConfigError, parseBacklogPublisherConfig } from '../../../shared/backlog/index.ts';

const queueUrl = 'https://sqs.eu-west-1.amazonaws.com/123456789012/orders';
const ecsSource = { workload: 'orders', queueUrl, consumer: { kind: 'ecs', cluster: 'main', service: 'orders-worker' } };
const lambdaSource = {
  workload: 'emails',
  queueUrl: queueUrl.replace('orders', 'emails'),
  consumer: { kind: 'lambda', functionName: 'send-email' },
  countDelayed: true,
};

function parse(sources: unknown, namespace?: string) {
  return parseBacklogPublisherConfig({
    HEADROOM_BACKLOG_SOURCES: typeof sources === 'string' ? sources : JSON.stringify(sources),
    HEADROOM_METRIC_NAMESPACE: namespace,
  });
}

describe('the backlog publisher configuration', () => {
  it('reads ECS and Lambda sources, with countDelayed false unless set', () => {
    expect(parse([ecsSource, lambdaSource])).toEqual({
      namespace: 'Headroom',
      sources: [
        { ...ecsSource, countDelayed: false },
        { ...lambdaSource, countDelayed: true },
      ],
    });
  });

  it('uses the namespace it is given', () => {
    expect(parse([ecsSource], 'Team/Scaling').namespace).toBe('Team/Scaling');
  });

  it('names the variable and the expected shape when the sources are missing', () => {
    expect(() => parseBacklogPublisherConfig({})).toThrow(
      /HEADROOM_BACKLOG_SOURCES is not set: set it to a JSON array of \{"workload": string, "queueUrl": string/,
    );
  });

  it('names the variable when the sources are not JSON', () => {
    expect(() => parse('[{workload:')).toThrow(/HEADROOM_BACKLOG_SOURCES is not valid JSON/);
  });

  it('refuses an empty list of sources', () => {
    expect(() => parse([])).toThrow(/HEADROOM_BACKLOG_SOURCES must be a non-empty JSON array/);
  });

  it('names the source and field that is missing', () => {
    expect(() => parse([ecsSource, { ...lambdaSource, workload: undefined }])).toThrow(
      /HEADROOM_BACKLOG_SOURCES\[1\]\.workload must be a non-empty string, got undefined/,
    );
  });

  it('names the consumer field that is missing', () => {
    expect(() => parse([{ ...ecsSource, consumer: { kind: 'ecs', cluster: 'main' } }])).toThrow(
      /HEADROOM_BACKLOG_SOURCES\[0\]\.consumer\.service must be a non-empty string/,
    );
  });

  it('refuses an unknown consumer kind', () => {
    expect(() => parse([{ ...ecsSource, consumer: { kind: 'ec2', name: 'x' } }])).toThrow(
      /HEADROOM_BACKLOG_SOURCES\[0\]\.consumer\.kind must be "ecs" or "lambda", got "ec2"/,
    );
  });

  it('refuses a queue name where a queue URL belongs', () => {
    expect(() => parse([{ ...ecsSource, queueUrl: 'orders' }])).toThrow(/HEADROOM_BACKLOG_SOURCES\[0\]\.queueUrl "orders" is not an SQS queue URL/);
  });

  it('refuses a countDelayed that is not a boolean', () => {
    expect(() => parse([{ ...ecsSource, countDelayed: 'yes' }])).toThrow(/HEADROOM_BACKLOG_SOURCES\[0\]\.countDelayed must be true or false/);
  });

  it('refuses two sources with the same workload, since it is the metrics’ dimension', () => {
    expect(() => parse([ecsSource, { ...lambdaSource, workload: 'orders' }])).toThrow(
      /HEADROOM_BACKLOG_SOURCES\[1\]\.workload "orders" appears twice/,
    );
  });

  it('refuses a namespace CloudWatch would reject', () => {
    expect(() => parse([ecsSource], 'AWS/SQS')).toThrow(BacklogConfigError);
    expect(() => parse([ecsSource], 'has spaces')).toThrow(/HEADROOM_METRIC_NAMESPACE "has spaces" is not a usable CloudWatch namespace/);
  });

  it('reads a source’s required-capacity settings, with the measured time per message where given', () => {
    const measuredTimePerMessage = {
      namespace: 'Headroom',
      metricName: 'MessageProcessingTime',
      dimensions: [{ name: 'Workload', value: 'orders' }],
    };
    const requiredCapacity = { timePerMessageMs: 1500, drainBudgetMs: 105_000, measuredTimePerMessage };
    expect(parse([{ ...ecsSource, requiredCapacity }]).sources[0]!.requiredCapacity).toEqual(requiredCapacity);
  });

  it('reads the metrics a source publishes, when it lists them', () => {
    const requiredCapacity = { timePerMessageMs: 1500, drainBudgetMs: 105_000 };
    expect(parse([{ ...ecsSource, requiredCapacity, metrics: ['RequiredCapacityPerTask'] }]).sources[0]!.metrics).toEqual([
      'RequiredCapacityPerTask',
    ]);
  });

  it('refuses a metric the source does not compute, naming those it does', () => {
    expect(() => parse([{ ...ecsSource, metrics: ['RequiredCapacityPerTask'] }])).toThrow(
      /HEADROOM_BACKLOG_SOURCES\[0\]\.metrics must be a non-empty array of the metrics this source computes \(BacklogPerTask, QueueBacklog, RunningCapacity\).*the others need requiredCapacity/,
    );
  });

  it('refuses an empty list of metrics', () => {
    expect(() => parse([{ ...ecsSource, metrics: [] }])).toThrow(BacklogConfigError);
  });

  it('names the required-capacity field that is not a positive number', () => {
    expect(() => parse([{ ...ecsSource, requiredCapacity: { timePerMessageMs: 0, drainBudgetMs: 1000 } }])).toThrow(
      /HEADROOM_BACKLOG_SOURCES\[0\]\.requiredCapacity\.timePerMessageMs must be a positive number of milliseconds, got 0/,
    );
  });

  it('names the measured metric’s dimension that is malformed', () => {
    const measuredTimePerMessage = { namespace: 'Headroom', metricName: 'MessageProcessingTime', dimensions: [{ name: 'Workload' }] };
    expect(() => parse([{ ...ecsSource, requiredCapacity: { timePerMessageMs: 10, drainBudgetMs: 1000, measuredTimePerMessage } }])).toThrow(
      /requiredCapacity\.measuredTimePerMessage\.dimensions\[0\]\.value must be a non-empty string/,
    );
  });
});

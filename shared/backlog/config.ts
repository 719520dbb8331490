import { DEFAULT_NAMESPACE } from '../metrics/names.ts';
import { BACKLOG_METRICS, PUBLISHER_METRICS } from './metric-data.ts';

/** What consumes a source's queue, as the publisher's environment names it. */
export type BacklogConsumerConfig =
  | { readonly kind: 'ecs'; readonly cluster: string; readonly service: string }
  | { readonly kind: 'lambda'; readonly functionName: string };

/** A CloudWatch metric by its identity, as GetMetricData names it. */
export interface MetricRef {
  readonly namespace: string;
  readonly metricName: string;
  readonly dimensions: readonly { readonly name: string; readonly value: string }[];
}

/** What the publisher needs to publish RequiredCapacityPerTask for a source (shared/backlog/required-capacity.ts). */
export interface RequiredCapacityConfig {
  /** The declared time one task takes per message: the prior of the measured one. */
  readonly timePerMessageMs: number;
  /** The time within which a backlog is to be drained. */
  readonly drainBudgetMs: number;
  /** The consumers' own per-message time (milliseconds), e.g. the consumer kit's MessageProcessingTime; absent: declared only. */
  readonly measuredTimePerMessage?: MetricRef;
}

export interface BacklogSourceConfig {
  readonly workload: string;
  readonly queueUrl: string;
  readonly consumer: BacklogConsumerConfig;
  readonly countDelayed: boolean;
  /** Present: the source also gets RequiredCapacityPerTask and the metrics it is made of. */
  readonly requiredCapacity?: RequiredCapacityConfig;
  /**
   * The metrics published for the source, when not all it computes: each custom metric costs a month whether anything
   * reads it or not, so the constructs ask for those their policies, alarms and dashboards read.
   */
  readonly metrics?: readonly string[];
}

export interface BacklogPublisherConfig {
  readonly namespace: string;
  readonly sources: readonly BacklogSourceConfig[];
}

export const SOURCES_VARIABLE = 'HEADROOM_BACKLOG_SOURCES';
export const NAMESPACE_VARIABLE = 'HEADROOM_METRIC_NAMESPACE';

const METRIC_SHAPE = '{"namespace": string, "metricName": string, "dimensions": [{"name": string, "value": string}]}';
const REQUIRED_CAPACITY_SHAPE = `{"timePerMessageMs": number > 0, "drainBudgetMs": number > 0, "measuredTimePerMessage"?: ${METRIC_SHAPE}}`;
const SOURCE_SHAPE = `{"workload": string, "queueUrl": string, "consumer": {"kind": "ecs", "cluster": string, "service": string} | {"kind": "lambda", "functionName": string}, "countDelayed"?: boolean, "requiredCapacity"?: ${REQUIRED_CAPACITY_SHAPE}, "metrics"?: [metric name, ...]}`;

/** The publisher's environment is wrong; the message names the variable, the field and the expected shape. */
export class BacklogConfigError extends Error {
  override readonly name = 'BacklogConfigError';
}

/** Reads and validates the publisher's environment. Throws BacklogConfigError naming what is wrong. */
export function parseBacklogPublisherConfig(env: Readonly<Record<string, string | undefined>>): BacklogPublisherConfig {
  return { namespace: parseNamespace(env[NAMESPACE_VARIABLE]), sources: parseBacklogSources(env[SOURCES_VARIABLE]) };
}

function parseNamespace(raw: string | undefined): string {
  if (raw === undefined || raw === '') return DEFAULT_NAMESPACE;
  if (!/^[A-Za-z0-9._\-/#:]{1,255}$/.test(raw) || raw.startsWith('AWS/')) {
    throw new BacklogConfigError(
      `${NAMESPACE_VARIABLE} "${raw}" is not a usable CloudWatch namespace: use 1-255 letters, digits and . _ - / # : (not starting with AWS/), or unset it for "${DEFAULT_NAMESPACE}"`,
    );
  }
  return raw;
}

function parseBacklogSources(raw: string | undefined): BacklogSourceConfig[] {
  if (raw === undefined || raw.trim() === '') {
    throw new BacklogConfigError(`${SOURCES_VARIABLE} is not set: set it to a JSON array of ${SOURCE_SHAPE}`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch (error) {
    throw new BacklogConfigError(`${SOURCES_VARIABLE} is not valid JSON (${(error as Error).message}): set it to a JSON array of ${SOURCE_SHAPE}`);
  }
  if (!Array.isArray(parsed) || parsed.length === 0) {
    throw new BacklogConfigError(`${SOURCES_VARIABLE} must be a non-empty JSON array of ${SOURCE_SHAPE}`);
  }
  const sources = parsed.map((entry, index) => parseSource(entry, `${SOURCES_VARIABLE}[${index}]`));
  const seen = new Set<string>();
  sources.forEach((source, index) => {
    if (seen.has(source.workload)) {
      throw new BacklogConfigError(
        `${SOURCES_VARIABLE}[${index}].workload "${source.workload}" appears twice: give each source its own workload name, since it is the metrics' Workload dimension`,
      );
    }
    seen.add(source.workload);
  });
  return sources;
}

function parseSource(entry: unknown, path: string): BacklogSourceConfig {
  const source = requireObject(entry, path, SOURCE_SHAPE);
  const countDelayed = source.countDelayed ?? false;
  if (typeof countDelayed !== 'boolean') {
    throw new BacklogConfigError(`${path}.countDelayed must be true or false (or absent for false), got ${JSON.stringify(countDelayed)}`);
  }
  return {
    workload: requireString(source, 'workload', path),
    queueUrl: requireQueueUrl(source, path),
    consumer: parseConsumer(source.consumer, `${path}.consumer`),
    countDelayed,
    ...(source.requiredCapacity === undefined
      ? {}
      : { requiredCapacity: parseRequiredCapacity(source.requiredCapacity, `${path}.requiredCapacity`) }),
    ...(source.metrics === undefined ? {} : { metrics: parseMetricNames(source.metrics, source.requiredCapacity !== undefined, `${path}.metrics`) }),
  };
}

function parseMetricNames(entry: unknown, publishesDemand: boolean, path: string): string[] {
  const computed: readonly string[] = publishesDemand ? PUBLISHER_METRICS : BACKLOG_METRICS;
  if (!Array.isArray(entry) || entry.length === 0 || entry.some((name) => !computed.includes(name))) {
    throw new BacklogConfigError(
      `${path} must be a non-empty array of the metrics this source computes (${computed.join(', ')}), got ${JSON.stringify(entry)}${publishesDemand ? '' : ': the others need requiredCapacity'}`,
    );
  }
  return [...new Set(entry as string[])];
}

function parseRequiredCapacity(entry: unknown, path: string): RequiredCapacityConfig {
  const config = requireObject(entry, path, REQUIRED_CAPACITY_SHAPE);
  const measured = config.measuredTimePerMessage;
  return {
    timePerMessageMs: requirePositive(config, 'timePerMessageMs', path),
    drainBudgetMs: requirePositive(config, 'drainBudgetMs', path),
    ...(measured === undefined ? {} : { measuredTimePerMessage: parseMetricRef(measured, `${path}.measuredTimePerMessage`) }),
  };
}

function parseMetricRef(entry: unknown, path: string): MetricRef {
  const metric = requireObject(entry, path, METRIC_SHAPE);
  const dimensions = metric.dimensions ?? [];
  if (!Array.isArray(dimensions) || dimensions.length > 30) {
    throw new BacklogConfigError(
      `${path}.dimensions must be an array of at most 30 {"name": string, "value": string}, got ${JSON.stringify(dimensions)}`,
    );
  }
  return {
    namespace: requireString(metric, 'namespace', path),
    metricName: requireString(metric, 'metricName', path),
    dimensions: dimensions.map((dimension, index) => {
      const at = `${path}.dimensions[${index}]`;
      const object = requireObject(dimension, at, '{"name": string, "value": string}');
      return { name: requireString(object, 'name', at), value: requireString(object, 'value', at) };
    }),
  };
}

function requirePositive(object: Record<string, unknown>, field: string, path: string): number {
  const value = object[field];
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) {
    throw new BacklogConfigError(`${path}.${field} must be a positive number of milliseconds, got ${JSON.stringify(value)}`);
  }
  return value;
}

function parseConsumer(entry: unknown, path: string): BacklogConsumerConfig {
  const consumer = requireObject(entry, path, '{"kind": "ecs", "cluster": string, "service": string} or {"kind": "lambda", "functionName": string}');
  if (consumer.kind === 'ecs') {
    return { kind: 'ecs', cluster: requireString(consumer, 'cluster', path), service: requireString(consumer, 'service', path) };
  }
  if (consumer.kind === 'lambda') {
    return { kind: 'lambda', functionName: requireString(consumer, 'functionName', path) };
  }
  throw new BacklogConfigError(`${path}.kind must be "ecs" or "lambda", got ${JSON.stringify(consumer.kind)}`);
}

function requireObject(value: unknown, path: string, shape: string): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new BacklogConfigError(`${path} must be an object ${shape}, got ${JSON.stringify(value)}`);
  }
  return value as Record<string, unknown>;
}

function requireString(object: Record<string, unknown>, field: string, path: string): string {
  const value = object[field];
  if (typeof value !== 'string' || value.trim() === '') {
    throw new BacklogConfigError(`${path}.${field} must be a non-empty string, got ${JSON.stringify(value)}`);
  }
  return value;
}

function requireQueueUrl(object: Record<string, unknown>, path: string): string {
  const queueUrl = requireString(object, 'queueUrl', path);
  if (!/^https?:\/\/\S+\/\d{12}\/[\w-]{1,80}(\.fifo)?$/.test(queueUrl)) {
    throw new BacklogConfigError(
      `${path}.queueUrl "${queueUrl}" is not an SQS queue URL: expected https://sqs.<region>.amazonaws.com/<account-id>/<queue-name>`,
    );
  }
  return queueUrl;
}

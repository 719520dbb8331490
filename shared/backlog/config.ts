import { DEFAULT_NAMESPACE } from '../metrics/names.ts';

/** What consumes a source's queue, as the publisher's environment names it. */
export type BacklogConsumerConfig =
  | { readonly kind: 'ecs'; readonly cluster: string; readonly service: string }
  | { readonly kind: 'lambda'; readonly functionName: string };

export interface BacklogSourceConfig {
  readonly workload: string;
  readonly queueUrl: string;
  readonly consumer: BacklogConsumerConfig;
  readonly countDelayed: boolean;
}

export interface BacklogPublisherConfig {
  readonly namespace: string;
  readonly sources: readonly BacklogSourceConfig[];
}

export const SOURCES_VARIABLE = 'HEADROOM_BACKLOG_SOURCES';
export const NAMESPACE_VARIABLE = 'HEADROOM_METRIC_NAMESPACE';

const SOURCE_SHAPE =
  '{"workload": string, "queueUrl": string, "consumer": {"kind": "ecs", "cluster": string, "service": string} | {"kind": "lambda", "functionName": string}, "countDelayed"?: boolean}';

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
  };
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
    throw new BacklogConfigError(`${path}.queueUrl "${queueUrl}" is not an SQS queue URL: expected https://sqs.<region>.amazonaws.com/<account-id>/<queue-name>`);
  }
  return queueUrl;
}

/**
 * The predictor's configuration (environment variable HEADROOM_PREDICTOR_CONFIG, JSON), validated with errors
 * that name the field and the shape expected.
 */
export const PREDICTOR_CONFIG_VARIABLE = 'HEADROOM_PREDICTOR_CONFIG';

export type PredictorMode = 'forecastOnly' | 'forecastAndScale';

export interface LoadMetric {
  readonly namespace: string;
  readonly metricName: string;
  readonly dimensions: Readonly<Record<string, string>>;
  /** @default 'Sum' */
  readonly stat: string;
}

export interface PredictorTarget {
  /** The `Workload` dimension of the predictor's metrics for this target; unique. */
  readonly workload: string;
  readonly serviceNamespace: 'ecs' | 'dynamodb';
  /** Application Auto Scaling resource id, e.g. `service/cluster/name` or `table/name`. */
  readonly resourceId: string;
  readonly scalableDimension: string;
  /** The load: the sum of these metrics per period, as arrivals per second. */
  readonly load: readonly LoadMetric[];
  /** Load units per second one capacity unit serves at 100%. */
  readonly unitThroughput: number;
  /** @default 0.7 */
  readonly targetUtilization: number;
  /** @default 300 */
  readonly leadTimeSeconds: number;
  /** The configured minimum capacity: restores go back to it, nothing is scheduled below it. */
  readonly floor: number;
  /** The most capacity the predictor may schedule (never above the target's registered MaxCapacity either). */
  readonly max: number;
  /** @default 'p90' */
  readonly quantile: 'p50' | 'p90' | 'p99';
  /** How many scheduled actions the predictor may own on this target (of the 200 AWS allows). @default 100 */
  readonly actionBudget: number;
  /** DynamoDB only: capacity decreases per UTC day the plan may use. @default 20 for DynamoDB */
  readonly maxDecreasesPerDay?: number;
}

/**
 * Days of history read by default: three weeks, so the weekly models can be backtested on a week the forecaster
 * has not fitted (with two weeks they cannot, and NYC taxi's forecast error rose from 0.86 to 1.02 of the weekly
 * seasonal naive's; bench/results/forecast.md).
 */
export const DEFAULT_HISTORY_DAYS = 21;
/** CloudWatch keeps 5-minute datapoints 63 days, and the predictor reads at 5 minutes or coarser. */
export const MAX_HISTORY_DAYS = 63;

export interface PredictorConfig {
  readonly namespace: string;
  /** Scheduled actions the predictor owns start with this prefix; it never touches others. */
  readonly actionPrefix: string;
  readonly mode: PredictorMode;
  /** Kill switch: false writes no scheduled action, whatever the mode. */
  readonly enabled: boolean;
  readonly historyDays: number;
  readonly horizonHours: number;
  /** Period of the history read, in seconds (3600: hourly). */
  readonly periodSeconds: number;
  readonly targets: readonly PredictorTarget[];
}

export class PredictorConfigError extends Error {
  constructor(message: string) {
    super(`${PREDICTOR_CONFIG_VARIABLE}: ${message}`);
    this.name = 'PredictorConfigError';
  }
}

type Json = Record<string, unknown>;

function object(value: unknown, path: string): Json {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) throw new PredictorConfigError(`${path} must be an object, got ${JSON.stringify(value)}`);
  return value as Json;
}

function text(source: Json, field: string, path: string, fallback?: string): string {
  const value = source[field] ?? fallback;
  if (typeof value !== 'string' || value.trim() === '') throw new PredictorConfigError(`${path}.${field} must be a non-empty string, got ${JSON.stringify(source[field])}`);
  return value;
}

function number(source: Json, field: string, path: string, check: (value: number) => boolean, expectation: string, fallback?: number): number {
  const value = source[field] ?? fallback;
  if (typeof value !== 'number' || !Number.isFinite(value) || !check(value)) {
    throw new PredictorConfigError(`${path}.${field} must be ${expectation}, got ${JSON.stringify(source[field])}`);
  }
  return value;
}

function oneOf<T extends string>(source: Json, field: string, path: string, allowed: readonly T[], fallback: T): T {
  const value = source[field] ?? fallback;
  if (!allowed.includes(value as T)) throw new PredictorConfigError(`${path}.${field} must be one of ${allowed.join(', ')}, got ${JSON.stringify(source[field])}`);
  return value as T;
}

const whole = (min: number) => (value: number) => Number.isInteger(value) && value >= min;

function parseLoadMetric(value: unknown, path: string): LoadMetric {
  const metric = object(value, path);
  const dimensions = object(metric.dimensions ?? {}, `${path}.dimensions`);
  for (const [name, dimension] of Object.entries(dimensions)) {
    if (typeof dimension !== 'string') throw new PredictorConfigError(`${path}.dimensions.${name} must be a string, got ${JSON.stringify(dimension)}`);
  }
  return {
    namespace: text(metric, 'namespace', path),
    metricName: text(metric, 'metricName', path),
    dimensions: dimensions as Record<string, string>,
    stat: text(metric, 'stat', path, 'Sum'),
  };
}

function parseTarget(value: unknown, path: string): PredictorTarget {
  const target = object(value, path);
  const serviceNamespace = oneOf(target, 'serviceNamespace', path, ['ecs', 'dynamodb'] as const, 'ecs');
  const dimensions = serviceNamespace === 'ecs' ? ['ecs:service:DesiredCount'] : ['dynamodb:table:ReadCapacityUnits', 'dynamodb:table:WriteCapacityUnits', 'dynamodb:index:ReadCapacityUnits', 'dynamodb:index:WriteCapacityUnits'];
  const scalableDimension = oneOf(target, 'scalableDimension', path, dimensions, dimensions[0]!);
  if (!Array.isArray(target.load) || target.load.length === 0) throw new PredictorConfigError(`${path}.load must be a non-empty array of {namespace, metricName, dimensions, stat}`);
  const floor = number(target, 'floor', path, whole(0), 'a whole number >= 0');
  const max = number(target, 'max', path, (v) => whole(1)(v) && v >= floor, `a whole number >= floor (${floor})`);
  const targetUtilization = number(target, 'targetUtilization', path, (v) => v > 0 && v <= 1, 'in (0, 1]', 0.7);
  return {
    workload: text(target, 'workload', path),
    serviceNamespace,
    resourceId: text(target, 'resourceId', path),
    scalableDimension,
    load: target.load.map((metric, index) => parseLoadMetric(metric, `${path}.load[${index}]`)),
    unitThroughput: number(target, 'unitThroughput', path, (v) => v > 0, 'a positive number of load units per second per capacity unit'),
    targetUtilization,
    leadTimeSeconds: number(target, 'leadTimeSeconds', path, (v) => v >= 0, 'a number of seconds >= 0', 300),
    floor,
    max,
    quantile: oneOf(target, 'quantile', path, ['p50', 'p90', 'p99'] as const, 'p90'),
    actionBudget: number(target, 'actionBudget', path, (v) => whole(2)(v) && v <= 200, 'a whole number from 2 to 200', 100),
    maxDecreasesPerDay:
      serviceNamespace === 'dynamodb' ? number(target, 'maxDecreasesPerDay', path, whole(1), 'a whole number >= 1', 20) : undefined,
  };
}

export function parsePredictorConfig(raw: string | undefined): PredictorConfig {
  if (raw === undefined || raw.trim() === '') throw new PredictorConfigError('is not set: set it to the JSON the PredictiveScaling construct writes');
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch (error) {
    throw new PredictorConfigError(`is not valid JSON (${(error as Error).message})`);
  }
  const config = object(parsed, 'config');
  if (!Array.isArray(config.targets) || config.targets.length === 0) throw new PredictorConfigError('config.targets must be a non-empty array');
  const targets = config.targets.map((target, index) => parseTarget(target, `config.targets[${index}]`));
  const seen = new Set<string>();
  for (const target of targets) {
    if (seen.has(target.workload)) throw new PredictorConfigError(`workload "${target.workload}" appears twice: give each target its own`);
    seen.add(target.workload);
  }
  const enabled = config.enabled ?? true;
  if (typeof enabled !== 'boolean') throw new PredictorConfigError(`config.enabled must be true or false, got ${JSON.stringify(config.enabled)}`);
  return {
    namespace: text(config, 'namespace', 'config', 'Headroom'),
    actionPrefix: text(config, 'actionPrefix', 'config', 'headroom-'),
    mode: oneOf(config, 'mode', 'config', ['forecastOnly', 'forecastAndScale'] as const, 'forecastOnly'),
    enabled,
    historyDays: number(config, 'historyDays', 'config', (v) => v >= 2 && v <= MAX_HISTORY_DAYS, `between 2 and ${MAX_HISTORY_DAYS} days (CloudWatch keeps 5-minute data ${MAX_HISTORY_DAYS} days)`, DEFAULT_HISTORY_DAYS),
    horizonHours: number(config, 'horizonHours', 'config', (v) => v >= 1 && v <= 48, 'between 1 and 48 hours', 24),
    periodSeconds: number(config, 'periodSeconds', 'config', (v) => [300, 900, 1800, 3600].includes(v), 'one of 300, 900, 1800, 3600', 3600),
    targets,
  };
}

/**
 * The predictor's configuration (environment variable HEADROOM_PREDICTOR_CONFIG, JSON), validated with errors
 * that name the field and the shape expected.
 */
import { allocateDecreases, type DecreaseSlot, DYNAMODB_DECREASE_QUOTA, PREDICTOR_DECREASES_PER_RESOURCE } from '../plan/dynamodb-decreases.ts';
import { isCloudWatchStatistic, STATISTIC_HINT } from '../metrics/statistic.ts';
import type { Calendar } from '../forecast/calendar.ts';

export const PREDICTOR_CONFIG_VARIABLE = 'HEADROOM_PREDICTOR_CONFIG';

export type PredictorMode = 'forecastOnly' | 'forecastAndScale';

export interface LoadMetric {
  readonly namespace: string;
  readonly metricName: string;
  readonly dimensions: Readonly<Record<string, string>>;
  /** @default 'Sum' */
  readonly stat: string;
}

export type Quantile = 'p50' | 'p90' | 'p99';

/** What a floor is planned from: a forecast quantile, served at a utilization. */
export interface FloorSettings {
  readonly quantile: Quantile;
  readonly targetUtilization: number;
}
export const QUANTILES: readonly Quantile[] = ['p50', 'p90', 'p99'];
export const SERVICE_NAMESPACES = ['ecs', 'dynamodb'] as const;
export type PredictorServiceNamespace = (typeof SERVICE_NAMESPACES)[number];

/** A target as the construct writes it: what has a default may be left out. */
export interface PredictorTargetInput {
  /** The `Workload` dimension of the predictor's metrics for this target; unique. */
  readonly workload: string;
  /** @default 'ecs' */
  readonly serviceNamespace?: PredictorServiceNamespace;
  /** Application Auto Scaling resource id, e.g. `service/cluster/name` or `table/name`. */
  readonly resourceId: string;
  /** @default the namespace's first: 'ecs:service:DesiredCount' or 'dynamodb:table:ReadCapacityUnits' */
  readonly scalableDimension?: string;
  /** The load: the sum of these metrics per period, as load units per second. */
  readonly load: readonly (Omit<LoadMetric, 'stat' | 'dimensions'> & {
    readonly stat?: string;
    readonly dimensions?: Readonly<Record<string, string>>;
  })[];
  /** Load units per second one capacity unit serves at 100% utilization. */
  readonly unitThroughput: number;
  /** The utilization floors are planned at (the tuned one instead, where `floorTuning` is given and the history is long enough). @default 1 */
  readonly targetUtilization?: number;
  /** @default 300 */
  readonly leadTimeSeconds?: number;
  /**
   * The MinCapacity the target is declared with. The wall in force is read from the target at every run; this one
   * is used only while the predictor's own raise hides it. @default none (the registered and scheduled walls alone)
   */
  readonly minCapacity?: number;
  /** The most capacity the predictor may schedule (never above the target's registered MaxCapacity either). @default the registered MaxCapacity */
  readonly maxCapacity?: number;
  /** The forecast quantile floors are planned from (the tuned one instead, like targetUtilization). @default 'p50' */
  readonly quantile?: Quantile;
  /** How many scheduled actions the predictor may own on this target (of the 200 AWS allows). @default 100 */
  readonly actionBudget?: number;
  /**
   * DynamoDB only: floor drops per UTC day this target's plan may make. DynamoDB's decrease quota is per table (and
   * per index), shared by its read and write targets and by target tracking: the predictor's share of it
   * (PREDICTOR_DECREASES_PER_RESOURCE) is split among the targets on one table or index.
   * @default its part of PREDICTOR_DECREASES_PER_RESOURCE (allocateDecreases)
   */
  readonly maxDecreasesPerDay?: number;
  /**
   * IANA time zone the load's daily and weekly cycles follow (actions are still written in UTC). Under the UTC
   * default, load that follows a local day with daylight saving is forecast an hour off after each change.
   * @default 'UTC'
   */
  readonly timeZone?: string;
  /**
   * A queue worker's model, so the predictor can choose the quantile and utilization each day by replaying the
   * last FLOOR_TUNING_DAYS of its load through its floors and reactive policy (chooseFloorSettings).
   * @default none: quantile and targetUtilization as given
   */
  readonly floorTuning?: FloorTuningInput;
  /**
   * Holidays, declared events and days to forget (docs/forecasting.md).
   * @default none: no holiday, no event, low days detected and forgotten
   */
  readonly calendar?: CalendarInput;
}

/** The calendar as the construct writes it: local dates `YYYY-MM-DD`, event windows as ISO 8601 instants. */
export interface CalendarInput {
  readonly holidays?: readonly string[];
  readonly forgetDays?: readonly string[];
  readonly events?: readonly { readonly start: string; readonly end: string; readonly multiplier?: number; readonly expectedLoad?: number }[];
  /** @default true */
  readonly detectLowDays?: boolean;
}

/** What QueueScaledService deploys, as the predictor's replay needs it. */
export interface FloorTuningInput {
  /** A message waiting longer than this violates the SLO. */
  readonly acceptableLatencySeconds: number;
  /** Time from launching a task to it taking work. */
  readonly startupSeconds: number;
  readonly scaleOutCooldownSeconds: number;
  /** The RequiredCapacityPerTask target tracking holds under the floors. */
  readonly reactiveTarget: number;
  /** The share of (acceptable latency - start-up) a backlog is drained within. */
  readonly drainShare: number;
}

/** A target as the handler runs it: every default filled in. */
export interface PredictorTarget
  extends Required<Omit<PredictorTargetInput, 'minCapacity' | 'maxCapacity' | 'maxDecreasesPerDay' | 'load' | 'floorTuning' | 'calendar'>> {
  readonly load: readonly LoadMetric[];
  readonly calendar?: Calendar;
  readonly floorTuning?: FloorTuningInput;
  readonly minCapacity?: number;
  readonly maxCapacity?: number;
  readonly maxDecreasesPerDay?: number;
  /** DynamoDB only: the UTC hours the plan may lower the floor in, apart from the other targets on the same table or index. */
  readonly decreaseSlot?: DecreaseSlot;
}

/**
 * A floor covers the forecast demand once (the median, at full utilization): the scalable target's own reactive
 * policy takes what the forecast missed, so a margin here would stack on that policy's own.
 */
export const TARGET_DEFAULTS = {
  targetUtilization: 1,
  leadTimeSeconds: 300,
  quantile: 'p50' as Quantile,
  actionBudget: 100,
  timeZone: 'UTC',
} as const;

/**
 * Days of history read by default: three weeks, so the weekly models can be backtested on a week the forecaster
 * has not fitted (with two weeks they cannot, and NYC taxi's forecast error rose from 0.86 to 1.02 of the weekly
 * seasonal naive's; bench/results/forecast.md).
 */
export const DEFAULT_HISTORY_DAYS = 21;
/**
 * Days a floor tuning replays (chooseFloorSettings): the last week, so every day of the weekly cycle is scored
 * once. The predictor reads that many days more history for a target it tunes, so each replayed forecast sees
 * as much history as the live one does.
 */
export const FLOOR_TUNING_DAYS = 7;
/** CloudWatch keeps 5-minute datapoints 63 days, and the predictor reads at 5 minutes or coarser. */
export const MAX_HISTORY_DAYS = 63;

/** The predictor-wide settings as the construct writes them, with its targets. */
export interface PredictorConfigInput {
  /** @default 'Headroom' */
  readonly namespace?: string;
  /** Scheduled actions the predictor owns start with this prefix; it never touches others. @default 'headroom-' */
  readonly actionPrefix?: string;
  /** @default 'forecastOnly' */
  readonly mode?: PredictorMode;
  /** Kill switch: false writes no scheduled action, whatever the mode. @default true */
  readonly enabled?: boolean;
  /** @default 21 */
  readonly historyDays?: number;
  /** @default 24 */
  readonly horizonHours?: number;
  /** Period of the history read, in seconds (3600: hourly). @default 3600 */
  readonly periodSeconds?: number;
  readonly targets: readonly PredictorTargetInput[];
}

export interface PredictorConfig extends Required<Omit<PredictorConfigInput, 'targets'>> {
  readonly targets: readonly PredictorTarget[];
  /** Targets that could not be parsed: each fails alone (PredictorFailure and a log line); the others run. */
  readonly rejectedTargets: readonly RejectedTarget[];
}

export interface RejectedTarget {
  readonly index: number;
  /** The target's workload when it could be read, else `targets[index]`. */
  readonly workload: string;
  readonly reason: string;
}

export const CONFIG_DEFAULTS = {
  namespace: 'Headroom',
  actionPrefix: 'headroom-',
  mode: 'forecastOnly' as PredictorMode,
  enabled: true,
  historyDays: DEFAULT_HISTORY_DAYS,
  horizonHours: 24,
  periodSeconds: 3600,
} as const;

export class PredictorConfigError extends Error {
  constructor(
    /** The message without the variable's name: `path.field must be ..., got ...`. */
    readonly detail: string,
  ) {
    super(`${PREDICTOR_CONFIG_VARIABLE}: ${detail}`);
    this.name = 'PredictorConfigError';
  }
}

type Json = Record<string, unknown>;

function object(value: unknown, path: string): Json {
  if (value === null || typeof value !== 'object' || Array.isArray(value))
    throw new PredictorConfigError(`${path} must be an object, got ${JSON.stringify(value)}`);
  return value as Json;
}

function text(source: Json, field: string, path: string, fallback?: string): string {
  const value = source[field] ?? fallback;
  if (typeof value !== 'string' || value.trim() === '')
    throw new PredictorConfigError(`${path}.${field} must be a non-empty string, got ${JSON.stringify(source[field])}`);
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
  if (!allowed.includes(value as T))
    throw new PredictorConfigError(`${path}.${field} must be one of ${allowed.join(', ')}, got ${JSON.stringify(source[field])}`);
  return value as T;
}

const whole = (min: number) => (value: number) => Number.isInteger(value) && value >= min;

function parseLoadMetric(value: unknown, path: string): LoadMetric {
  const metric = object(value, path);
  const dimensions = object(metric.dimensions ?? {}, `${path}.dimensions`);
  for (const [name, dimension] of Object.entries(dimensions)) {
    if (typeof dimension !== 'string')
      throw new PredictorConfigError(`${path}.dimensions.${name} must be a string, got ${JSON.stringify(dimension)}`);
  }
  const stat = text(metric, 'stat', path, 'Sum');
  // One statistic GetMetricData rejects fails the whole call, every target's history with it.
  if (!isCloudWatchStatistic(stat))
    throw new PredictorConfigError(`${path}.stat ${JSON.stringify(stat)} is not a CloudWatch statistic. ${STATISTIC_HINT}`);
  return {
    namespace: text(metric, 'namespace', path),
    metricName: text(metric, 'metricName', path),
    dimensions: dimensions as Record<string, string>,
    stat,
  };
}

/** Whether an IANA time zone name is one this runtime knows (Intl). */
export function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

/** CloudWatch reserves namespaces starting `AWS/` for AWS services. */
export function isReservedNamespace(namespace: string): boolean {
  return /^AWS\//i.test(namespace);
}

/**
 * An action prefix must be long enough not to claim the user's own actions (a prefix `s` would own
 * `scale-out-weekdays`): at least 4 characters of letters, digits, `_` or `-`, ending in `-`.
 */
export const ACTION_PREFIX_PATTERN = /^[A-Za-z0-9_-]{3,31}-$/;

function parseFloorTuning(value: unknown, path: string): FloorTuningInput {
  const tuning = object(value, path);
  const seconds = (field: string, least: number) => number(tuning, field, path, (v) => v >= least, `a number of seconds >= ${least}`);
  return {
    acceptableLatencySeconds: seconds('acceptableLatencySeconds', 60),
    startupSeconds: seconds('startupSeconds', 0),
    scaleOutCooldownSeconds: seconds('scaleOutCooldownSeconds', 0),
    reactiveTarget: number(tuning, 'reactiveTarget', path, (v) => v > 0, 'a positive RequiredCapacityPerTask target'),
    drainShare: number(tuning, 'drainShare', path, (v) => v > 0 && v <= 1, 'in (0, 1]'),
  };
}

const LOCAL_DATE = /^\d{4}-\d{2}-\d{2}$/;

function parseCalendar(value: unknown, path: string): Calendar {
  const calendar = object(value, path);
  const dates = (field: 'holidays' | 'forgetDays') => {
    const list = calendar[field] ?? [];
    if (!Array.isArray(list) || !list.every((date) => typeof date === 'string' && LOCAL_DATE.test(date) && !Number.isNaN(Date.parse(date))))
      throw new PredictorConfigError(`${path}.${field} must be an array of local dates "YYYY-MM-DD", got ${JSON.stringify(calendar[field])}`);
    return list as string[];
  };
  const events = calendar.events ?? [];
  if (!Array.isArray(events)) throw new PredictorConfigError(`${path}.events must be an array of {start, end, multiplier or expectedLoad}`);
  const detect = calendar.detectLowDays ?? true;
  if (typeof detect !== 'boolean') throw new PredictorConfigError(`${path}.detectLowDays must be true or false, got ${JSON.stringify(detect)}`);
  return {
    holidays: dates('holidays'),
    forgetDays: dates('forgetDays'),
    detectLowDays: detect,
    events: events.map((raw: unknown, index) => {
      const at = `${path}.events[${index}]`;
      const event = object(raw, at);
      const instant = (field: 'start' | 'end') => {
        const ms = typeof event[field] === 'string' ? Date.parse(event[field] as string) : Number.NaN;
        if (Number.isNaN(ms))
          throw new PredictorConfigError(
            `${at}.${field} must be an ISO 8601 instant such as "2026-11-27T08:00:00Z", got ${JSON.stringify(event[field])}`,
          );
        return ms;
      };
      const [startMs, endMs] = [instant('start'), instant('end')];
      if (endMs <= startMs) throw new PredictorConfigError(`${at}.end must be after ${at}.start`);
      if (event.multiplier === undefined && event.expectedLoad === undefined)
        throw new PredictorConfigError(`${at} must give a multiplier (of the forecast) or an expectedLoad (load units per second)`);
      return {
        startMs,
        endMs,
        ...(event.multiplier === undefined ? {} : { multiplier: number(event, 'multiplier', at, (v) => v > 0, 'a positive number') }),
        ...(event.expectedLoad === undefined
          ? {}
          : { expectedLoad: number(event, 'expectedLoad', at, (v) => v >= 0, 'a load >= 0 in load units per second') }),
      };
    }),
  };
}

/** Validates one target and fills its defaults; throws a PredictorConfigError naming the field. */
export function parsePredictorTarget(value: unknown, path: string): PredictorTarget {
  const target = object(value, path);
  const serviceNamespace = oneOf(target, 'serviceNamespace', path, SERVICE_NAMESPACES, 'ecs');
  const dimensions =
    serviceNamespace === 'ecs'
      ? ['ecs:service:DesiredCount']
      : [
          'dynamodb:table:ReadCapacityUnits',
          'dynamodb:table:WriteCapacityUnits',
          'dynamodb:index:ReadCapacityUnits',
          'dynamodb:index:WriteCapacityUnits',
        ];
  const scalableDimension = oneOf(target, 'scalableDimension', path, dimensions, dimensions[0]!);
  if (!Array.isArray(target.load) || target.load.length === 0)
    throw new PredictorConfigError(`${path}.load must be a non-empty array of {namespace, metricName, dimensions, stat}`);
  const minCapacity = target.minCapacity === undefined ? undefined : number(target, 'minCapacity', path, whole(0), 'a whole number >= 0');
  const maxCapacity =
    target.maxCapacity === undefined
      ? undefined
      : number(
          target,
          'maxCapacity',
          path,
          (v) => whole(1)(v) && v >= (minCapacity ?? 0),
          `a whole number >= 1 and >= minCapacity (${minCapacity ?? 0})`,
        );
  const timeZone = text(target, 'timeZone', path, TARGET_DEFAULTS.timeZone);
  if (!isTimeZone(timeZone))
    throw new PredictorConfigError(`${path}.timeZone must be an IANA time zone such as "America/New_York", got ${JSON.stringify(timeZone)}`);
  return {
    workload: text(target, 'workload', path),
    serviceNamespace,
    resourceId: text(target, 'resourceId', path),
    scalableDimension,
    load: target.load.map((metric, index) => parseLoadMetric(metric, `${path}.load[${index}]`)),
    unitThroughput: number(target, 'unitThroughput', path, (v) => v > 0, 'a positive, finite number of load units per second per capacity unit'),
    targetUtilization: number(target, 'targetUtilization', path, (v) => v > 0 && v <= 1, 'in (0, 1]', TARGET_DEFAULTS.targetUtilization),
    leadTimeSeconds: number(target, 'leadTimeSeconds', path, (v) => v >= 0, 'a number of seconds >= 0', TARGET_DEFAULTS.leadTimeSeconds),
    minCapacity,
    maxCapacity,
    quantile: oneOf(target, 'quantile', path, QUANTILES, TARGET_DEFAULTS.quantile),
    actionBudget: number(target, 'actionBudget', path, (v) => whole(2)(v) && v <= 200, 'a whole number from 2 to 200', TARGET_DEFAULTS.actionBudget),
    maxDecreasesPerDay:
      serviceNamespace === 'dynamodb' && target.maxDecreasesPerDay !== undefined
        ? number(
            target,
            'maxDecreasesPerDay',
            path,
            (v) => whole(1)(v) && v <= PREDICTOR_DECREASES_PER_RESOURCE,
            `a whole number from 1 to ${PREDICTOR_DECREASES_PER_RESOURCE} (the predictor's share of a table's ${DYNAMODB_DECREASE_QUOTA.perDay} decreases a day)`,
          )
        : undefined,
    timeZone,
    ...(target.floorTuning === undefined ? {} : { floorTuning: parseFloorTuning(target.floorTuning, `${path}.floorTuning`) }),
    ...(target.calendar === undefined ? {} : { calendar: parseCalendar(target.calendar, `${path}.calendar`) }),
  };
}

/** Validates the predictor-wide settings and fills their defaults; throws a PredictorConfigError naming the field. */
export function parsePredictorSettings(value: unknown): Required<Omit<PredictorConfigInput, 'targets'>> {
  const config = object(value, 'config');
  const enabled = config.enabled ?? CONFIG_DEFAULTS.enabled;
  if (typeof enabled !== 'boolean') throw new PredictorConfigError(`config.enabled must be true or false, got ${JSON.stringify(config.enabled)}`);
  const namespace = text(config, 'namespace', 'config', CONFIG_DEFAULTS.namespace);
  if (isReservedNamespace(namespace))
    throw new PredictorConfigError(`config.namespace must not start with "AWS/" (reserved for AWS services), got ${JSON.stringify(namespace)}`);
  const actionPrefix = text(config, 'actionPrefix', 'config', CONFIG_DEFAULTS.actionPrefix);
  if (!ACTION_PREFIX_PATTERN.test(actionPrefix)) {
    throw new PredictorConfigError(
      `config.actionPrefix must be 4-32 letters, digits, _ or - ending in "-" (so it cannot claim your own actions), got ${JSON.stringify(actionPrefix)}`,
    );
  }
  return {
    namespace,
    actionPrefix,
    mode: oneOf(config, 'mode', 'config', ['forecastOnly', 'forecastAndScale'] as const, CONFIG_DEFAULTS.mode),
    enabled,
    historyDays: number(
      config,
      'historyDays',
      'config',
      (v) => v >= 2 && v <= MAX_HISTORY_DAYS,
      `between 2 and ${MAX_HISTORY_DAYS} days (CloudWatch keeps 5-minute data ${MAX_HISTORY_DAYS} days)`,
      CONFIG_DEFAULTS.historyDays,
    ),
    horizonHours: number(config, 'horizonHours', 'config', (v) => v >= 1 && v <= 48, 'between 1 and 48 hours', CONFIG_DEFAULTS.horizonHours),
    periodSeconds: number(
      config,
      'periodSeconds',
      'config',
      (v) => [300, 900, 1800, 3600].includes(v),
      'one of 300, 900, 1800, 3600',
      CONFIG_DEFAULTS.periodSeconds,
    ),
  };
}

/** DynamoDB targets with their share of their table's (or index's) decrease quota and their hour slot. */
function withDecreaseShares(targets: readonly PredictorTarget[]): PredictorTarget[] {
  const { shares } = allocateDecreases(
    targets
      .filter((target) => target.serviceNamespace === 'dynamodb')
      .map((target) => ({ workload: target.workload, resourceId: target.resourceId, maxDecreasesPerDay: target.maxDecreasesPerDay })),
  );
  return targets.map((target) => {
    const share = shares.get(target.workload);
    return share && target.serviceNamespace === 'dynamodb' ? { ...target, ...share } : target;
  });
}

/**
 * Parses the predictor's configuration. A predictor-wide error throws (nothing can run); a target that cannot be
 * parsed, or repeats another's workload, is rejected alone and the others run.
 */
export function parsePredictorConfig(raw: string | undefined): PredictorConfig {
  if (raw === undefined || raw.trim() === '') throw new PredictorConfigError('is not set: set it to the JSON the PredictiveScaling construct writes');
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch (error) {
    throw new PredictorConfigError(`is not valid JSON (${(error as Error).message})`);
  }
  const settings = parsePredictorSettings(parsed);
  const config = parsed as Json;
  if (!Array.isArray(config.targets) || config.targets.length === 0) throw new PredictorConfigError('config.targets must be a non-empty array');
  const targets: PredictorTarget[] = [];
  const rejectedTargets: RejectedTarget[] = [];
  const seen = new Set<string>();
  config.targets.forEach((value: unknown, index) => {
    const path = `config.targets[${index}]`;
    const named = (value as Json | null)?.workload;
    const workload = typeof named === 'string' && named.trim() !== '' ? named : `targets[${index}]`;
    try {
      const target = parsePredictorTarget(value, path);
      if (seen.has(target.workload)) throw new PredictorConfigError(`${path}.workload "${target.workload}" appears twice: give each target its own`);
      seen.add(target.workload);
      targets.push(target);
    } catch (error) {
      if (!(error instanceof PredictorConfigError)) throw error;
      rejectedTargets.push({ index, workload, reason: error.message });
    }
  });
  return { ...settings, targets: withDecreaseShares(targets), rejectedTargets };
}

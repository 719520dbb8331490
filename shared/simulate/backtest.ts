import type { RegularSeries } from '../series/regular-series.ts';
import { arrivalsPerMinute, missingMinutes } from './arrivals.ts';
import { oraclePlan } from './oracle.ts';
import { POLICY_NAMES, validateParameters, type BacklogParameters, type PolicyName } from './parameters.ts';
import { policySetup, type ReactiveOptions } from './policies.ts';
import { PredictiveFloors, type ForecastBands, type PredictiveOptions } from './predictive-floors.ts';
import { ScalingDecider } from './scaling-rules.ts';
import { ServiceModel } from './service-model.ts';

export interface PolicyScore {
  readonly name: PolicyName;
  /** Minutes in which a message waited longer than the SLO. */
  readonly sloViolationMinutes: number;
  readonly p99WaitSeconds: number;
  /** Worker-hours paid for, start-up included. */
  readonly capacityHours: number;
  readonly scalingActions: number;
  /** capacityHours / the oracle's (NaN when the oracle was not run or used none). */
  readonly capacityHoursVsOracle: number;
}

export interface PolicyTimeline {
  readonly name: PolicyName;
  /** Desired count per minute (started and starting workers). */
  readonly capacity: readonly number[];
  /** Started workers per minute. */
  readonly running: readonly number[];
  /** Age of the oldest queued message per minute, seconds. */
  readonly oldestWaitSeconds: readonly number[];
  /** The predictive floor per minute (headroom-predictive only). */
  readonly floor?: readonly number[];
  /** Messages that arrived, were processed, and were still queued at the end. */
  readonly messages: { readonly arrived: number; readonly processed: number; readonly queued: number };
}

export interface BacktestParameters extends BacklogParameters {
  /** Multiplies the trace's load. @default 1 */
  readonly scale?: number;
  /** @default every policy, in POLICY_NAMES order */
  readonly policies?: readonly PolicyName[];
}

export interface BacktestOptions {
  /** Called as the simulation advances; `total` is policies x minutes. */
  readonly onProgress?: (done: number, total: number) => void;
  /** headroom-predictive's settings. @default PredictiveScaling's defaults */
  readonly predictive?: PredictiveOptions;
  /** headroom-reactive's (and headroom-predictive's reactive part's) settings. @default QueueScaledService's defaults */
  readonly reactive?: ReactiveOptions;
}

export interface BacktestResult {
  readonly parameters: BacklogParameters;
  readonly startMs: number;
  /** Messages arriving each minute, scaled. */
  readonly arrivals: readonly number[];
  readonly policies: readonly PolicyScore[];
  readonly timelines: readonly PolicyTimeline[];
  /** The forecasts headroom-predictive planned from, in messages per second (when it ran). */
  readonly forecast?: ForecastBands;
  /** Whether the oracle's plan is the exact optimum (small traces) or the spread stand-in (when it ran). */
  readonly oracleExact?: boolean;
}

interface Simulated {
  readonly service: ServiceModel;
  readonly timeline: PolicyTimeline;
}

const PROGRESS_EVERY_MINUTES = 1440;

function messagesOf(service: ServiceModel): PolicyTimeline['messages'] {
  return { arrived: service.arrivedTotal, processed: service.processedTotal, queued: service.backlog };
}

function simulateReactive(
  name: Exclude<PolicyName, 'oracle'>,
  arrivals: readonly number[],
  missing: readonly boolean[],
  parameters: BacklogParameters,
  predictive: PredictiveFloors | undefined,
  reactive: ReactiveOptions,
  tick: () => void,
): Simulated {
  const service = new ServiceModel(parameters, Math.max(parameters.minCapacity, 1));
  const { tracking, steps, cooldowns } = policySetup(name, parameters, reactive);
  const decider = new ScalingDecider(cooldowns, parameters.scaleInModel);
  const minutes = arrivals.length;
  const capacity = new Array<number>(minutes);
  const running = new Array<number>(minutes);
  const oldest = new Array<number>(minutes);
  const floors = predictive ? new Array<number>(minutes) : undefined;
  for (let minute = 0; minute < minutes; minute++) {
    const floor = predictive ? Math.max(parameters.minCapacity, predictive.floorAt(minute)) : parameters.minCapacity;
    if (floors) floors[minute] = floor;
    // A scheduled action moves the min wall, and capacity below it is raised at once.
    if (service.desired < floor) service.setDesired(floor, minute);
    const step = service.step(minute, arrivals[minute]!);
    const metrics = {
      processed: step.processed,
      running: step.running,
      desired: service.desired,
      arrivals: arrivals[minute]!,
      backlog: service.backlog,
      oldestAgeMinutes: step.oldestAgeMinutes,
      missing: missing[minute] === true,
    };
    for (const policy of tracking) policy.observe(metrics, minute);
    for (const policy of steps) policy.observe(metrics, minute);
    const next = decider.decide(
      minute,
      service.desired,
      tracking.map((policy) => policy.propose()),
      steps.map((policy) => policy.propose()),
      { min: floor, max: parameters.maxCapacity },
    );
    // The decision is made on the minute's metrics, so what it launches is paid for and starts from the next.
    service.setDesired(next, minute + 1);
    capacity[minute] = service.desired;
    running[minute] = step.running;
    oldest[minute] = step.oldestAgeMinutes * 60;
    if ((minute + 1) % PROGRESS_EVERY_MINUTES === 0) tick();
  }
  return {
    service,
    timeline: { name, capacity, running, oldestWaitSeconds: oldest, messages: messagesOf(service), ...(floors ? { floor: floors } : {}) },
  };
}

function simulateOracle(arrivals: readonly number[], parameters: BacklogParameters, tick: () => void): Simulated & { exact: boolean } {
  const { desired, exact } = oraclePlan(arrivals, parameters);
  const service = new ServiceModel(parameters, desired[0] ?? parameters.minCapacity);
  const running = new Array<number>(arrivals.length);
  const oldest = new Array<number>(arrivals.length);
  for (let minute = 0; minute < arrivals.length; minute++) {
    service.setDesired(desired[minute]!, minute);
    const step = service.step(minute, arrivals[minute]!);
    running[minute] = step.running;
    oldest[minute] = step.oldestAgeMinutes * 60;
    if ((minute + 1) % PROGRESS_EVERY_MINUTES === 0) tick();
  }
  return { service, exact, timeline: { name: 'oracle', capacity: desired, running, oldestWaitSeconds: oldest, messages: messagesOf(service) } };
}

/**
 * Replays per-minute arrivals through each policy and the model of Application Auto Scaling, and scores them side
 * by side. `missing` marks minutes the load metric has no data for. Pure and deterministic.
 */
export function backtestArrivals(
  arrivals: readonly number[],
  startMs: number,
  parameters: BacklogParameters,
  policies: readonly PolicyName[] = POLICY_NAMES,
  options: BacktestOptions & { readonly missing?: readonly boolean[] } = {},
): BacktestResult {
  validateParameters(parameters);
  const unknown = policies.filter((policy) => !POLICY_NAMES.includes(policy));
  if (unknown.length > 0) throw new RangeError(`unknown policy ${unknown.join(', ')}: use ${POLICY_NAMES.join(', ')}`);
  const missing = options.missing ?? [];
  const total = policies.length * arrivals.length;
  let done = 0;
  const report = (minutes: number) => {
    done = Math.min(total, done + minutes);
    options.onProgress?.(done, total);
  };
  let predictive: PredictiveFloors | undefined;
  let oracleExact: boolean | undefined;
  const runs = policies.map((name, index) => {
    const tick = () => report(PROGRESS_EVERY_MINUTES);
    let run: Simulated;
    if (name === 'oracle') {
      const oracle = simulateOracle(arrivals, parameters, tick);
      oracleExact = oracle.exact;
      run = oracle;
    } else {
      const settings = options.predictive ?? {};
      const floors =
        name === 'headroom-predictive' ? (predictive = new PredictiveFloors(arrivals, missing, startMs, parameters, settings)) : undefined;
      run = simulateReactive(name, arrivals, missing, parameters, floors, options.reactive ?? {}, tick);
    }
    done = (index + 1) * arrivals.length;
    options.onProgress?.(done, total);
    return run;
  });
  const oracleMinutes = runs.find((run) => run.timeline.name === 'oracle')?.service.capacityMinutes;
  const scores = runs.map(({ service, timeline }) => ({
    name: timeline.name,
    sloViolationMinutes: service.violationMinutes,
    p99WaitSeconds: service.p99WaitSeconds(),
    capacityHours: service.capacityMinutes / 60,
    scalingActions: service.scalingActions,
    capacityHoursVsOracle: oracleMinutes ? service.capacityMinutes / oracleMinutes : Number.NaN,
  }));
  return {
    parameters,
    startMs,
    arrivals,
    policies: scores,
    timelines: runs.map((run) => run.timeline),
    ...(predictive ? { forecast: predictive.forecastBands() } : {}),
    ...(oracleExact === undefined ? {} : { oracleExact }),
  };
}

/**
 * Backtests a load trace (messages arriving per step, any step from 10 s to 1 h; NaN = no data) through the
 * policies asked for. Pure and deterministic.
 */
export function runBacktest(series: RegularSeries, parameters: BacktestParameters, options: BacktestOptions = {}): BacktestResult {
  const { scale = 1, policies = POLICY_NAMES, ...backlog } = parameters;
  if (!(scale > 0 && Number.isFinite(scale))) throw new RangeError(`scale must be a positive number, got ${scale}`);
  return backtestArrivals(arrivalsPerMinute(series, scale), series.startMs, backlog, policies, { ...options, missing: missingMinutes(series) });
}

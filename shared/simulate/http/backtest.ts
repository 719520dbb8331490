import type { RegularSeries } from '../../series/regular-series.ts';
import { missingMinutes } from '../arrivals.ts';
import { PredictiveFloors, type PredictiveOptions } from '../predictive-floors.ts';
import { ScalingDecider } from '../scaling-rules.ts';
import { HttpServiceModel } from './minute-model.ts';
import { HTTP_POLICY_NAMES, validateHttpParameters, type HttpParameters, type HttpPolicyName } from './parameters.ts';
import { REQUEST_SCALING_DEFAULTS } from '../../request-scaling/reactive-defaults.ts';
import type { RequiredTasksCurve } from '../../request-scaling/required-tasks.ts';
import { httpPolicySetup, type HttpPolicyOptions } from './policies.ts';
import { requestsPerMinute } from './request-rate.ts';
import { TaskFleet } from '../task-fleet.ts';

export interface HttpPolicyScore {
  readonly name: HttpPolicyName;
  /** Minutes whose p99 response time was over the SLO or that dropped requests. */
  readonly sloViolationMinutes: number;
  /** Requests beyond what the running tasks could serve. */
  readonly droppedRequests: number;
  /** Share of requests slower than the SLO or dropped: the latency SLI's bad events over all. */
  readonly badRequestShare: number;
  /** Task-hours paid for, start-up included. */
  readonly taskHours: number;
  readonly scalingActions: number;
  /** taskHours / the oracle's (NaN when the oracle was not run or used none). */
  readonly taskHoursVsOracle: number;
}

export interface HttpTimeline {
  readonly name: HttpPolicyName;
  /** Desired count per minute (started and starting tasks). */
  readonly capacity: readonly number[];
  readonly running: readonly number[];
  /** p99 response time per minute, ms (Infinity in a minute that drops requests). */
  readonly p99Ms: readonly number[];
  /** Requests per minute slower than the SLO or dropped: the burn-rate alerts' bad events. */
  readonly badRequests: readonly number[];
  /** The predictive floor per minute (headroom only). */
  readonly floor?: readonly number[];
  readonly requests: { readonly arrived: number; readonly served: number; readonly dropped: number };
}

export interface HttpBacktestOptions extends HttpPolicyOptions {
  /**
   * headroom's predictive floors, planned by the predictor's own code (PredictiveFloors) from the requests seen so
   * far, at the rate one task serves within the SLO (RequestScaledService.addPredictiveScaling's unitThroughput).
   * @default the p50 forecast at utilization 1 (RequestScaledService.addPredictiveScaling's defaults): the floors carry the expected demand once, and target tracking and the latency guard take the rest
   */
  readonly predictive?: PredictiveOptions;
  /** Minutes the load metric has no data for. */
  readonly missing?: readonly boolean[];
}

export interface HttpBacktestResult {
  readonly parameters: HttpParameters;
  readonly startMs: number;
  /** Requests arriving each minute. */
  readonly requests: readonly number[];
  /** The per-task request rate that keeps one task's p99 within the SLO (what a load test at the SLO finds). */
  readonly sloRatePerTask: number;
  /** headroom's RequiredTasksPerTask target (NaN when no headroom policy ran). */
  readonly headroomTarget: number;
  /** The tasks headroom counts a request rate as needing within the SLO (when a headroom policy ran). */
  readonly requiredTasks?: RequiredTasksCurve;
  readonly policies: readonly HttpPolicyScore[];
  readonly timelines: readonly HttpTimeline[];
}

interface Run {
  readonly fleet: TaskFleet;
  readonly timeline: HttpTimeline;
  readonly violations: number;
  readonly bad: number;
}

function startupMinutes(parameters: HttpParameters): number {
  return Math.ceil(parameters.startupMs / 60_000);
}

function clampTasks(tasks: number, parameters: HttpParameters): number {
  return Math.min(parameters.maxCapacity, Math.max(parameters.minCapacity, tasks));
}

/** Serves each minute at the fleet's started tasks and records the outcome; `decide` sets the next desired count. */
function replay(
  name: HttpPolicyName,
  requests: readonly number[],
  model: HttpServiceModel,
  fleet: TaskFleet,
  decide: (minute: number, metrics: { requests: number; running: number; outcome: ReturnType<HttpServiceModel['serve']> }) => void,
  floors?: number[],
): Run {
  const minutes = requests.length;
  const capacity = new Array<number>(minutes);
  const running = new Array<number>(minutes);
  const p99Ms = new Array<number>(minutes);
  const badRequests = new Array<number>(minutes);
  let served = 0;
  let dropped = 0;
  let violations = 0;
  let bad = 0;
  for (let minute = 0; minute < minutes; minute++) {
    fleet.advance(minute);
    const outcome = model.serve(requests[minute]!, fleet.running);
    served += outcome.served;
    dropped += outcome.dropped;
    if (outcome.dropped > 0 || outcome.p99Ms > model.parameters.sloMs) violations++;
    badRequests[minute] = outcome.dropped + outcome.served * outcome.overSloShare;
    bad += badRequests[minute]!;
    running[minute] = fleet.running;
    p99Ms[minute] = outcome.p99Ms;
    decide(minute, { requests: requests[minute]!, running: fleet.running, outcome });
    capacity[minute] = fleet.desired;
  }
  const arrived = requests.reduce((sum, value) => sum + value, 0);
  return {
    fleet,
    violations,
    bad,
    timeline: { name, capacity, running, p99Ms, badRequests, requests: { arrived, served, dropped }, ...(floors ? { floor: floors } : {}) },
  };
}

/** The clairvoyant oracle: the fewest tasks meeting the SLO each minute, launched a start-up ahead. */
export function oracleTasks(requests: readonly number[], model: HttpServiceModel): number[] {
  const parameters = model.parameters;
  const need = requests.map((count) => clampTasks(model.leastTasks(count / 60), parameters));
  const lead = startupMinutes(parameters);
  // A task running at minute j was launched by j - lead and is paid from then: desired(m) = max need over [m, m + lead].
  return need.map((_, minute) => {
    let most = 0;
    for (let ahead = minute; ahead <= Math.min(need.length - 1, minute + lead); ahead++) most = Math.max(most, need[ahead]!);
    return most;
  });
}

/**
 * Replays requests per minute through each policy and Application Auto Scaling's rules (shared/simulate/
 * scaling-rules.ts), with latency from the M/M/c model, and scores them side by side. Pure and deterministic.
 */
export function backtestRequests(
  requests: readonly number[],
  startMs: number,
  parameters: HttpParameters,
  policies: readonly HttpPolicyName[] = HTTP_POLICY_NAMES,
  options: HttpBacktestOptions = {},
): HttpBacktestResult {
  validateHttpParameters(parameters);
  const unknown = policies.filter((policy) => !HTTP_POLICY_NAMES.includes(policy));
  if (unknown.length > 0) throw new RangeError(`unknown policy ${unknown.join(', ')}: use ${HTTP_POLICY_NAMES.join(', ')}`);
  const model = new HttpServiceModel(parameters);
  const sloRatePerTask = model.sloRatePerTask();
  const lead = startupMinutes(parameters);
  const missing = options.missing ?? [];
  // Every policy starts where a running service would be: with the tasks the first minute needs.
  const initial = clampTasks(Math.max(1, model.leastTasks((requests[0] ?? 0) / 60)), parameters);
  let headroomTarget = Number.NaN;
  let requiredTasks: RequiredTasksCurve | undefined;
  const runs = policies.map((name): Run => {
    if (name === 'oracle') {
      const desired = oracleTasks(requests, model);
      const fleet = new TaskFleet(lead, desired[0] ?? initial);
      // The oracle's launches are for minute + lead: set them one minute ahead of the minute they are paid from.
      fleet.setDesired(desired[0] ?? initial, 0);
      return replay(name, requests, model, fleet, (minute) => fleet.setDesired(desired[minute + 1] ?? desired[minute]!, minute + 1));
    }
    const setup = httpPolicySetup(name, parameters, sloRatePerTask, options);
    if (name === 'headroom' || name === 'headroom-reactive') {
      headroomTarget = setup.target!;
      requiredTasks = setup.requiredTasks;
    }
    const decider = new ScalingDecider(setup.cooldowns);
    const fleet = new TaskFleet(lead, initial);
    const floors =
      name === 'headroom'
        ? new PredictiveFloors(
            requests,
            missing,
            startMs,
            {
              throughputPerWorker: sloRatePerTask,
              startupMs: parameters.startupMs,
              sloMs: Math.max(60_000, parameters.sloMs),
              minCapacity: parameters.minCapacity,
              maxCapacity: parameters.maxCapacity,
            },
            { quantile: REQUEST_SCALING_DEFAULTS.floorQuantile, targetUtilization: REQUEST_SCALING_DEFAULTS.floorUtilization, ...options.predictive },
          )
        : undefined;
    const floorLine = floors ? new Array<number>(requests.length) : undefined;
    return replay(
      name,
      requests,
      model,
      fleet,
      (minute, served) => {
        const metrics = { ...served, missing: missing[minute] === true };
        for (const policy of [...setup.tracking, ...setup.steps]) policy.observe(metrics, minute, fleet.running);
        const floor = floors ? Math.max(parameters.minCapacity, floors.floorAt(minute + 1)) : parameters.minCapacity;
        if (floorLine) floorLine[minute] = floor;
        const walls = { min: floor, max: parameters.maxCapacity };
        // A scheduled action moves the min wall; target tracking works inside the walls.
        const next = decider.decide(
          minute,
          Math.max(fleet.desired, floor),
          setup.tracking.map((policy) => policy.propose()),
          setup.steps.map((policy) => policy.propose()),
          walls,
          fleet.running,
        );
        // Decided on the minute's metrics: launches are paid and start from the next minute.
        fleet.setDesired(next, minute + 1);
      },
      floorLine,
    );
  });
  const oracleMinutes = runs.find((run) => run.timeline.name === 'oracle')?.fleet.taskMinutes;
  const scores = runs.map(({ fleet, timeline, violations, bad }) => ({
    name: timeline.name,
    sloViolationMinutes: violations,
    droppedRequests: timeline.requests.dropped,
    badRequestShare: timeline.requests.arrived > 0 ? bad / timeline.requests.arrived : 0,
    taskHours: fleet.taskMinutes / 60,
    scalingActions: fleet.scalingActions,
    taskHoursVsOracle: oracleMinutes ? fleet.taskMinutes / oracleMinutes : Number.NaN,
  }));
  return {
    parameters,
    startMs,
    requests,
    sloRatePerTask,
    headroomTarget,
    ...(requiredTasks ? { requiredTasks } : {}),
    policies: scores,
    timelines: runs.map((run) => run.timeline),
  };
}

/** Backtests a trace of requests per step (whole minutes up to 1 h; NaN = no data), read as a request rate, through the policies asked for. */
export function runHttpBacktest(
  series: RegularSeries,
  parameters: HttpParameters,
  policies: readonly HttpPolicyName[] = HTTP_POLICY_NAMES,
  options: HttpBacktestOptions = {},
): HttpBacktestResult {
  return backtestRequests(requestsPerMinute(series), series.startMs, parameters, policies, { ...options, missing: missingMinutes(series) });
}

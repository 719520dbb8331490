/**
 * One policy's minute-by-minute replay through the service model and Application Auto Scaling's rules: the
 * reactive policies (with headroom-predictive's floors when given) and the oracle. Pure and deterministic.
 */
import { oraclePlan } from './oracle.ts';
import type { BacklogParameters, PolicyName } from './parameters.ts';
import { policySetup, type ReactiveOptions } from './policies.ts';
import type { PredictiveFloors } from './predictive-floors.ts';
import { ScalingDecider } from './scaling-rules.ts';
import { ServiceModel } from './service-model.ts';

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

export interface Simulated {
  readonly service: ServiceModel;
  readonly timeline: PolicyTimeline;
}

/** Minutes between progress ticks. */
export const PROGRESS_EVERY_MINUTES = 1440;

function messagesOf(service: ServiceModel): PolicyTimeline['messages'] {
  return { arrived: service.arrivedTotal, processed: service.processedTotal, queued: service.backlog };
}

export function simulateReactive(
  name: Exclude<PolicyName, 'oracle'>,
  arrivals: readonly number[],
  missing: readonly boolean[],
  parameters: BacklogParameters,
  /** headroom-predictive's floors, by minute of `arrivals`. */
  predictive: Pick<PredictiveFloors, 'floorAt'> | undefined,
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
      step.running,
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

export function simulateOracle(arrivals: readonly number[], parameters: BacklogParameters, tick: () => void): Simulated {
  const { desired } = oraclePlan(arrivals, parameters);
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
  return { service, timeline: { name: 'oracle', capacity: desired, running, oldestWaitSeconds: oldest, messages: messagesOf(service) } };
}

import { oracleDesired } from './oracle.ts';
import { POLICY_NAMES, validateParameters, type BacklogParameters, type PolicyName } from './parameters.ts';
import { PredictiveFloors } from './predictive-floors.ts';
import { ScalingDecider, StepScalingPolicy, TargetTrackingPolicy, type Proposal } from './scaling-rules.ts';
import { ServiceModel } from './service-model.ts';

export { arrivalsPerMinute } from './arrivals.ts';
export { POLICY_NAMES, SimulationInputError, type BacklogParameters, type PolicyName } from './parameters.ts';

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
  /** Desired count per minute. */
  readonly capacity: readonly number[];
  /** Age of the oldest queued message per minute, seconds. */
  readonly oldestWaitSeconds: readonly number[];
  /** The predictive floor per minute (headroom-predictive only). */
  readonly floor?: readonly number[];
  /** Messages that arrived, were processed, and were still queued at the end. */
  readonly messages: { readonly arrived: number; readonly processed: number; readonly queued: number };
}

export interface BacklogResult {
  readonly parameters: BacklogParameters;
  readonly startMs: number;
  readonly arrivals: readonly number[];
  readonly policies: readonly PolicyScore[];
  readonly timelines: readonly PolicyTimeline[];
}

/** CPU target of aws-ecs-patterns' QueueProcessingFargateService, and its default queue steps (5-minute alarm). */
const CPU_TARGET_PERCENT = 50;
const QUEUE_STEPS = [
  { upper: 0, change: -1 },
  { lower: 100, change: 1 },
  { lower: 500, change: 5 },
];
const QUEUE_STEP_PERIOD_MINUTES = 5;

interface Simulated {
  readonly service: ServiceModel;
  readonly timeline: PolicyTimeline;
}

function messagesOf(service: ServiceModel): PolicyTimeline['messages'] {
  return { arrived: service.arrivedTotal, processed: service.processedTotal, queued: service.backlog };
}

function simulateReactive(name: PolicyName, arrivals: readonly number[], startMs: number, parameters: BacklogParameters): Simulated {
  const service = new ServiceModel(parameters, Math.max(parameters.minCapacity, 1));
  const decider = new ScalingDecider({ scaleOutMinutes: 1, scaleInMinutes: 5 });
  const backlogTarget = (parameters.sloMs / 1000) * parameters.throughputPerWorker;
  const cpu = name === 'cpu-target-tracking' || name === 'queue-step-scaling' ? new TargetTrackingPolicy(CPU_TARGET_PERCENT) : undefined;
  // headroom's predictive policy tracks half the SLO's backlog: the floors carry the expected load, and the reactive
  // part must catch surprises before the 3-minute alarm and the start-up delay have used up the latency budget.
  const backlog =
    name === 'backlog-target-tracking' ? new TargetTrackingPolicy(backlogTarget) : name === 'headroom-predictive' ? new TargetTrackingPolicy(backlogTarget / 2) : undefined;
  const steps = name === 'queue-step-scaling' ? new StepScalingPolicy(QUEUE_STEPS, QUEUE_STEP_PERIOD_MINUTES) : undefined;
  const predictive = name === 'headroom-predictive' ? new PredictiveFloors(arrivals, startMs, parameters) : undefined;
  const capacity: number[] = [];
  const oldest: number[] = [];
  const floors: number[] = [];
  for (let minute = 0; minute < arrivals.length; minute++) {
    const floor = predictive ? Math.max(parameters.minCapacity, predictive.floorAt(minute)) : parameters.minCapacity;
    floors.push(floor);
    // A scheduled action moves the min wall, and capacity below it is raised at once.
    if (service.desired < floor) service.setDesired(floor, minute);
    const { processed, running, oldestAgeMinutes } = service.step(minute, arrivals[minute]!);
    const tracking: Proposal[] = [];
    if (cpu) {
      cpu.observe(running > 0 ? (100 * processed) / (running * parameters.throughputPerWorker * 60) : Number.NaN);
      tracking.push(cpu.propose(service.desired));
    }
    if (backlog) {
      backlog.observe(service.backlog > 0 ? service.backlog / Math.max(running, 1) : 0);
      tracking.push(backlog.propose(service.desired));
    }
    const stepProposals = steps ? [steps.observe(service.backlog, minute, service.desired)] : [];
    service.setDesired(decider.decide(minute, service.desired, tracking, stepProposals, { min: floor, max: parameters.maxCapacity }), minute);
    capacity.push(service.desired);
    oldest.push(oldestAgeMinutes * 60);
  }
  return { service, timeline: { name, capacity, oldestWaitSeconds: oldest, messages: messagesOf(service), ...(predictive ? { floor: floors } : {}) } };
}

function simulateOracle(arrivals: readonly number[], parameters: BacklogParameters): Simulated {
  const desired = oracleDesired(arrivals, parameters);
  const service = new ServiceModel(parameters, desired[0] ?? parameters.minCapacity);
  const oldest: number[] = [];
  for (let minute = 0; minute < arrivals.length; minute++) {
    service.setDesired(desired[minute]!, minute);
    oldest.push(service.step(minute, arrivals[minute]!).oldestAgeMinutes * 60);
  }
  return { service, timeline: { name: 'oracle', capacity: desired, oldestWaitSeconds: oldest, messages: messagesOf(service) } };
}

/**
 * Replays arrivals (per minute, from `arrivalsPerMinute`) through each policy and the model of Application
 * Auto Scaling, and scores them side by side. Pure and deterministic.
 */
export function runBacktest(
  arrivals: readonly number[],
  startMs: number,
  parameters: BacklogParameters,
  policies: readonly PolicyName[] = POLICY_NAMES,
  onProgress: (done: number, total: number) => void = () => {},
): BacklogResult {
  validateParameters(parameters);
  const unknown = policies.filter((policy) => !POLICY_NAMES.includes(policy));
  if (unknown.length > 0) throw new RangeError(`unknown policy ${unknown.join(', ')}: use ${POLICY_NAMES.join(', ')}`);
  const runs: Simulated[] = [];
  policies.forEach((name, index) => {
    runs.push(name === 'oracle' ? simulateOracle(arrivals, parameters) : simulateReactive(name, arrivals, startMs, parameters));
    onProgress(index + 1, policies.length);
  });
  const oracleHours = runs.find((run) => run.timeline.name === 'oracle')?.service.capacityMinutes;
  const scores = runs.map(({ service, timeline }) => ({
    name: timeline.name,
    sloViolationMinutes: service.violationMinutes,
    p99WaitSeconds: service.p99WaitSeconds(),
    capacityHours: service.capacityMinutes / 60,
    scalingActions: service.scalingActions,
    capacityHoursVsOracle: oracleHours ? service.capacityMinutes / oracleHours : Number.NaN,
  }));
  return { parameters, startMs, arrivals, policies: scores, timelines: runs.map((run) => run.timeline) };
}
export { simulateLambdaConsumer, type LambdaConsumerParameters, type LambdaConsumerScore } from './lambda-consumer.ts';
export { simulateProvisionedTable, type ProvisionedTableParameters, type ProvisionedTableScore } from './provisioned-table.ts';

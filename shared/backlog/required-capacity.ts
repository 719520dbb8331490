import { REACTIVE_DEFAULTS } from './reactive-defaults.ts';

/**
 * The reactive signal QueueScaledService tracks by default: the capacity the queue needs, per task.
 *
 * Target tracking sets new capacity to ceil(capacity x metric / target), so it assumes a metric that halves when
 * capacity doubles ("Target tracking scaling policies for Application Auto Scaling": choose a metric that changes
 * inversely proportionally to capacity). Backlog per task is not one: once the queue drains it is 0 at any capacity.
 * The capacity the queue needs is (Little's law):
 *
 *   required tasks = arrival rate x time per message + backlog x time per message / drain budget
 *
 * (keep up with what arrives, and clear what waits within the part of the latency budget left once a new task has
 * started), and required / tasks is a utilization: 1 means exactly enough, and target tracking holds it below 1.
 */

/** Minutes of the queue's NumberOfMessagesSent averaged into the arrival rate: long enough to smooth noise, short enough to follow a daily cycle. */
export const ARRIVAL_WINDOW_MINUTES = 10;

/** How many measured samples the declared time per message counts as: the prior's weight in the blend. */
export const PRIOR_SAMPLES = 100;

/** The drain budget never falls below this, so a latency budget eaten by start-up still gives a finite signal. */
const MIN_DRAIN_BUDGET_MS = 30_000;

/**
 * The time within which a backlog is to be drained: `share` of what is left of the acceptable latency once a new
 * task has started (a message that arrives to a backlog waits for the tasks launched for it to start, then for the
 * backlog ahead of it to drain), at least 30 s.
 */
export function drainBudgetMs(acceptableLatencyMs: number, startupMs: number, share: number = REACTIVE_DEFAULTS.drainShare): number {
  if (!(share > 0 && share <= 1)) throw new RangeError(`the drain share must be in (0, 1], got ${share}`);
  return Math.max(MIN_DRAIN_BUDGET_MS, share * (acceptableLatencyMs - startupMs));
}

/** The consumers' own measurement of time per message over a recent window. */
export interface MeasuredTimePerMessage {
  readonly meanMs: number;
  readonly samples: number;
}

/**
 * Time per message from the declared value (the prior, worth `priorSamples` measurements) and what the consumers
 * measured: a weighted blend by sample count, so a few slow messages do not swing it and a wrong guess is
 * outweighed within minutes of real traffic. No (or no usable) measurement: the declared value.
 */
export function blendedTimePerMessageMs(declaredMs: number, measured?: MeasuredTimePerMessage, priorSamples: number = PRIOR_SAMPLES): number {
  if (!measured || !(measured.samples > 0) || !(measured.meanMs >= 0) || !Number.isFinite(measured.meanMs)) return declaredMs;
  return (priorSamples * declaredMs + measured.samples * measured.meanMs) / (priorSamples + measured.samples);
}

export interface QueueDemand {
  /** Messages arriving per second (smoothed). */
  readonly arrivalsPerSecond: number;
  /** Messages waiting now (visible + in flight). */
  readonly backlog: number;
  readonly timePerMessageMs: number;
  readonly drainBudgetMs: number;
}

/** Tasks the queue needs: enough to keep up with arrivals and to drain the backlog within the drain budget. */
export function requiredCapacity(demand: QueueDemand): number {
  const arrivals = Math.max(0, demand.arrivalsPerSecond) * (demand.timePerMessageMs / 1000);
  const drain = (Math.max(0, demand.backlog) * demand.timePerMessageMs) / demand.drainBudgetMs;
  return arrivals + drain;
}

/**
 * Required capacity per task, the signal target tracking follows. It is divided by the running count, the capacity
 * ECS service auto scaling multiplies the ratio by (Amazon ECS Developer Guide, "Automatically scale your Amazon ECS
 * service": scaling "depend[s] on the running task count"), so ceil(running x signal / target) is exactly the
 * required capacity over the target; the scale-out cooldown keeps tasks still starting from being asked for twice.
 * With no task running it is the required capacity itself (as if one task were there): target tracking cannot scale
 * a ratio out of zero, which is BacklogWithoutCapacity's job, but the signal stays meaningful.
 */
export function requiredCapacityPerTask(required: number, runningCapacity: number): number {
  return required / Math.max(runningCapacity, 1);
}

/**
 * 1 when messages wait and no task is desired, else 0: the step scaling policy that scales a service out of zero
 * watches it (target tracking's proportional rule cannot leave 0; the same pattern as SageMaker's
 * HasBacklogWithoutCapacity metric for scaling endpoints from zero).
 */
export function backlogWithoutCapacity(backlog: number, desiredCapacity: number): 0 | 1 {
  return backlog > 0 && desiredCapacity <= 0 ? 1 : 0;
}

/** Messages per second from per-minute NumberOfMessagesSent sums: the mean of the minutes that have a datapoint, 0 with none. */
export function arrivalsPerSecond(sentPerMinute: readonly number[]): number {
  const present = sentPerMinute.filter((value) => Number.isFinite(value) && value >= 0);
  if (present.length === 0) return 0;
  return present.reduce((sum, value) => sum + value, 0) / present.length / 60;
}

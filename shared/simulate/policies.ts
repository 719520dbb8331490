import { DEFAULT_SCALE_OUT_COOLDOWN_MS, type BacklogParameters, type PolicyName } from './parameters.ts';
import type { PredictiveOptions } from './predictive-floors.ts';
import { ECS_DEFAULT_COOLDOWN_MINUTES, StepScalingPolicy, TargetTrackingPolicy, type Cooldowns, type Proposal } from './scaling-rules.ts';

/** What one simulated minute shows the metrics. */
export interface MinuteMetrics {
  readonly processed: number;
  readonly running: number;
  /** Messages waiting at the end of the minute (visible plus in flight). */
  readonly backlog: number;
  /** The load metric has no data this minute (a gap in the trace). */
  readonly missing: boolean;
}

/** A policy of Application Auto Scaling fed from one metric. */
interface Watched {
  observe(metrics: MinuteMetrics, minute: number): void;
  propose(): Proposal;
}

/**
 * aws-ecs-patterns' QueueProcessingFargateService defaults (aws-cdk-lib 2.27x, read from its synthesized template):
 * CPU target tracking at 50%, and step scaling on the queue's ApproximateNumberOfMessagesVisible (statistic
 * Maximum, 300 s period, 1 evaluation period): >= 100 adds 1 task, >= 500 adds 5, <= 0 removes 1; no cooldown set,
 * so Application Auto Scaling's default for ECS (300 s) applies.
 */
export const QUEUE_PROCESSING_DEFAULTS = {
  cpuTargetPercent: 50,
  steps: [
    { upper: 0, change: -1 },
    { lower: 100, upper: 500, change: 1 },
    { lower: 500, change: 5 },
  ],
  alarm: { periodMinutes: 5, statistic: 'Maximum' as const },
  cooldownMinutes: ECS_DEFAULT_COOLDOWN_MINUTES,
};

/** The CPU target of the stand-alone CPU policy: the common ECS choice. */
const CPU_TARGET_PERCENT = 70;

/**
 * ECSServiceAverageCPUUtilization as a queue worker shows it: the share of its started tasks' time spent working,
 * never above 100% however long the queue (so it understates overload), and a minute late, as CloudWatch
 * publishes ECS metrics after the minute ends.
 */
function cpuUtilization(target: number, parameters: BacklogParameters): Watched {
  const policy = new TargetTrackingPolicy(target);
  let previous = Number.NaN;
  return {
    observe(metrics) {
      policy.observe(previous);
      previous = metrics.running > 0 ? (100 * metrics.processed) / (metrics.running * parameters.throughputPerWorker * 60) : Number.NaN;
    },
    propose: () => policy.propose(),
  };
}

/**
 * BacklogPerTask as the backlog publisher computes it (messages waiting / started tasks), tracked at
 * `share` x acceptable latency / seconds per message. Missing load data is published as no datapoint.
 */
function backlogPerTask(share: number, parameters: BacklogParameters): Watched {
  const policy = new TargetTrackingPolicy(share * (parameters.sloMs / 1000) * parameters.throughputPerWorker);
  return {
    observe(metrics) {
      policy.observe(metrics.missing ? Number.NaN : metrics.backlog / Math.max(metrics.running, 1));
    },
    propose: () => policy.propose(),
  };
}

function queueSteps(): Watched {
  const policy = new StepScalingPolicy(QUEUE_PROCESSING_DEFAULTS.steps, QUEUE_PROCESSING_DEFAULTS.alarm);
  return {
    observe(metrics, minute) {
      policy.observe(metrics.missing ? Number.NaN : metrics.backlog, minute);
    },
    propose: () => policy.propose(),
  };
}

export interface PolicySetup {
  readonly tracking: readonly Watched[];
  readonly steps: readonly Watched[];
  readonly cooldowns: Cooldowns;
}

const ECS_DEFAULT_COOLDOWNS: Cooldowns = { scaleOutMinutes: ECS_DEFAULT_COOLDOWN_MINUTES, scaleInMinutes: ECS_DEFAULT_COOLDOWN_MINUTES };
/** QueueScaledService's cooldowns: scale-in 5 minutes; scale-out as configured (its default is 1 minute). */
function queueScaledServiceCooldowns(parameters: BacklogParameters): Cooldowns {
  return { scaleOutMinutes: Math.ceil((parameters.scaleOutCooldownMs ?? DEFAULT_SCALE_OUT_COOLDOWN_MS) / 60_000), scaleInMinutes: 5 };
}
const DEFAULT_PREDICTIVE_BACKLOG_SHARE = 0.5;

/** The Application Auto Scaling policies each named reactive policy puts on the service. */
export function policySetup(name: Exclude<PolicyName, 'oracle'>, parameters: BacklogParameters, predictive: PredictiveOptions = {}): PolicySetup {
  switch (name) {
    case 'cpu-target-tracking':
      return { tracking: [cpuUtilization(CPU_TARGET_PERCENT, parameters)], steps: [], cooldowns: ECS_DEFAULT_COOLDOWNS };
    case 'queue-step-scaling':
      return { tracking: [cpuUtilization(QUEUE_PROCESSING_DEFAULTS.cpuTargetPercent, parameters)], steps: [queueSteps()], cooldowns: ECS_DEFAULT_COOLDOWNS };
    case 'backlog-target-tracking':
      return { tracking: [backlogPerTask(1, parameters)], steps: [], cooldowns: queueScaledServiceCooldowns(parameters) };
    case 'headroom-predictive':
      return { tracking: [backlogPerTask(predictive.backlogShare ?? DEFAULT_PREDICTIVE_BACKLOG_SHARE, parameters)], steps: [], cooldowns: queueScaledServiceCooldowns(parameters) };
  }
}

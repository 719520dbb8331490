import {
  arrivalsPerSecond,
  ARRIVAL_WINDOW_MINUTES,
  backlogWithoutCapacity,
  drainBudgetMs,
  requiredCapacity,
  requiredCapacityPerTask,
} from '../backlog/required-capacity.ts';
import { REACTIVE_DEFAULTS } from '../backlog/reactive-defaults.ts';
import { DEFAULT_SCALE_OUT_COOLDOWN_MS, type BacklogParameters, type PolicyName } from './parameters.ts';
import { ECS_DEFAULT_COOLDOWN_MINUTES, StepScalingPolicy, TargetTrackingPolicy, type Cooldowns, type Proposal } from './scaling-rules.ts';

/** What one simulated minute shows the metrics. */
export interface MinuteMetrics {
  readonly processed: number;
  readonly running: number;
  /** The desired count when the minute's metrics are read (started and starting workers). */
  readonly desired: number;
  /** Messages that arrived in the minute (the queue's NumberOfMessagesSent). */
  readonly arrivals: number;
  /** Messages waiting at the end of the minute (visible plus in flight). */
  readonly backlog: number;
  /** Age of the oldest waiting message at the end of the minute (ApproximateAgeOfOldestMessage), minutes. */
  readonly oldestAgeMinutes: number;
  /** The load metric has no data this minute (a gap in the trace). */
  readonly missing: boolean;
}

/**
 * How late AWS/SQS metrics (NumberOfMessagesSent, ApproximateAgeOfOldestMessage) are readable. "Available
 * CloudWatch metrics for Amazon SQS": they are pushed "at one-minute intervals"; in practice the newest minute or
 * two are not yet there when read, which the publisher allows for by averaging the minutes that have data.
 */
export const SQS_METRIC_DELAY_MINUTES = 2;

/** headroom-reactive's settings; the defaults are QueueScaledService's (shared/backlog/reactive-defaults.ts). */
export interface ReactiveOptions {
  /** @default REACTIVE_DEFAULTS.target; headroom-predictive: REACTIVE_DEFAULTS.targetWithFloors */
  readonly target?: number;
  /** @default REACTIVE_DEFAULTS.drainShare */
  readonly drainShare?: number;
  /** The burst guard on the oldest message's age. @default true */
  readonly ageGuard?: boolean;
  /**
   * The time per message the signal uses, where it differs from the workers' real 1 / throughputPerWorker: a wrong
   * declaration with no measurement to correct it.
   * @default the real one (what the blend converges to once consumers report MessageProcessingTime)
   */
  readonly timePerMessageMs?: number;
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

/**
 * RequiredCapacityPerTask as the backlog publisher computes it (shared/backlog/required-capacity.ts): the arrival
 * rate from the latest NumberOfMessagesSent minutes of a 10-minute window (the newest SQS_METRIC_DELAY_MINUTES not
 * yet readable), plus the backlog drained within the drain budget, per running task, tracked at `target`.
 */
function requiredCapacityTracking(parameters: BacklogParameters, options: ReactiveOptions, defaultTarget: number): Watched {
  const policy = new TargetTrackingPolicy(options.target ?? defaultTarget);
  const timePerMessageMs = options.timePerMessageMs ?? 1000 / parameters.throughputPerWorker;
  const drainMs = drainBudgetMs(parameters.sloMs, parameters.startupMs, options.drainShare ?? REACTIVE_DEFAULTS.drainShare);
  const sent: number[] = [];
  return {
    observe(metrics) {
      sent.push(metrics.missing ? Number.NaN : metrics.arrivals);
      if (metrics.missing) {
        policy.observe(Number.NaN);
        return;
      }
      const end = Math.max(0, sent.length - SQS_METRIC_DELAY_MINUTES);
      const window = sent.slice(Math.max(0, sent.length - ARRIVAL_WINDOW_MINUTES), end);
      const required = requiredCapacity({
        arrivalsPerSecond: arrivalsPerSecond(window),
        backlog: metrics.backlog,
        timePerMessageMs,
        drainBudgetMs: drainMs,
      });
      policy.observe(requiredCapacityPerTask(required, metrics.running));
    },
    propose: () => policy.propose(),
  };
}

/** The burst guard: step scaling on ApproximateAgeOfOldestMessage (Maximum over 1 minute, as late as SQS publishes it). */
function oldestAgeGuard(parameters: BacklogParameters): Watched {
  const steps = REACTIVE_DEFAULTS.ageGuardSteps.map((step) => ({ lower: (step.shareOfLatency * parameters.sloMs) / 1000, change: step.percent }));
  const policy = new StepScalingPolicy([{ upper: steps[0]!.lower, change: 0 }, ...steps], {
    periodMinutes: 1,
    statistic: 'Maximum',
    adjustmentType: 'PercentChangeInCapacity',
  });
  const ages: number[] = [];
  return {
    observe(metrics, minute) {
      ages.push(metrics.oldestAgeMinutes * 60);
      policy.observe(ages.length > SQS_METRIC_DELAY_MINUTES ? ages[ages.length - 1 - SQS_METRIC_DELAY_MINUTES]! : Number.NaN, minute);
    },
    propose: () => policy.propose(),
  };
}

/** Scale from zero: step scaling on BacklogWithoutCapacity (the publisher's, 1 datapoint of 1 minute): +1 task. */
function scaleFromZero(): Watched {
  const policy = new StepScalingPolicy([{ lower: 1, change: 1 }], { periodMinutes: 1, statistic: 'Maximum' });
  return {
    observe(metrics, minute) {
      policy.observe(metrics.missing ? Number.NaN : backlogWithoutCapacity(metrics.backlog, metrics.desired), minute);
    },
    propose: () => policy.propose(),
  };
}

/** QueueScaledService's default: RequiredCapacityPerTask tracking, the age burst guard, and scale from zero. */
function headroomReactive(parameters: BacklogParameters, options: ReactiveOptions, defaultTarget: number): Omit<PolicySetup, 'cooldowns'> {
  const steps = [scaleFromZero()];
  if (options.ageGuard ?? true) steps.push(oldestAgeGuard(parameters));
  return { tracking: [requiredCapacityTracking(parameters, options, defaultTarget)], steps };
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
  return {
    scaleOutMinutes: Math.ceil((parameters.scaleOutCooldownMs ?? DEFAULT_SCALE_OUT_COOLDOWN_MS) / 60_000),
    scaleInMinutes: REACTIVE_DEFAULTS.scaleInCooldownMs / 60_000,
  };
}

/**
 * The Application Auto Scaling policies each named reactive policy puts on the service. headroom-predictive's
 * reactive part is headroom-reactive as QueueScaledService deploys it under a predictor's floors: the floors carry
 * the forecast, the same signal tracked at REACTIVE_DEFAULTS.targetWithFloors catches what it missed.
 */
export function policySetup(name: Exclude<PolicyName, 'oracle'>, parameters: BacklogParameters, reactive: ReactiveOptions = {}): PolicySetup {
  switch (name) {
    case 'cpu-target-tracking':
      return { tracking: [cpuUtilization(CPU_TARGET_PERCENT, parameters)], steps: [], cooldowns: ECS_DEFAULT_COOLDOWNS };
    case 'queue-step-scaling':
      return {
        tracking: [cpuUtilization(QUEUE_PROCESSING_DEFAULTS.cpuTargetPercent, parameters)],
        steps: [queueSteps()],
        cooldowns: ECS_DEFAULT_COOLDOWNS,
      };
    case 'backlog-target-tracking':
      return { tracking: [backlogPerTask(1, parameters)], steps: [], cooldowns: queueScaledServiceCooldowns(parameters) };
    case 'headroom-reactive':
      return { ...headroomReactive(parameters, reactive, REACTIVE_DEFAULTS.target), cooldowns: queueScaledServiceCooldowns(parameters) };
    case 'headroom-predictive':
      return { ...headroomReactive(parameters, reactive, REACTIVE_DEFAULTS.targetWithFloors), cooldowns: queueScaledServiceCooldowns(parameters) };
  }
}

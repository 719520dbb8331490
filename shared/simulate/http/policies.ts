import { ECS_DEFAULT_COOLDOWN_MINUTES, StepScalingPolicy, TargetTrackingPolicy, type Cooldowns, type Proposal } from '../scaling-rules.ts';
import { fitRequiredTasks, requiredTasks, type RequiredTasksCurve } from '../../request-scaling/required-tasks.ts';
import { REQUEST_SCALING_DEFAULTS } from '../../request-scaling/reactive-defaults.ts';
import type { MinuteOutcome } from './minute-model.ts';
import type { HttpParameters, HttpPolicyName } from './parameters.ts';

/** What CloudWatch shows the policies about one minute. */
export interface HttpMinuteMetrics {
  readonly requests: number;
  readonly running: number;
  readonly outcome: MinuteOutcome;
  /** The trace has no data this minute: the load balancer's metrics are missing too. */
  readonly missing: boolean;
}

interface Watched {
  observe(metrics: HttpMinuteMetrics, minute: number, running: number): void;
  propose(): Proposal;
}

export interface HttpPolicyOptions {
  /**
   * cpu-target-tracking's target, percent: ECS service auto scaling's common choice (the queue backtest's
   * stand-alone CPU policy uses the same).
   * @default 70
   */
  readonly cpuTargetPercent?: number;
  /**
   * request-count-tracking's target, requests per target per minute: a user's guess.
   * @default 80% of the saturation throughput (requestsPerSecondPerTask x 60 x 0.8): a team that load-tested a task to failure and kept a fifth spare
   */
  readonly guessRequestsPerTarget?: number;
  /**
   * headroom's RequiredTasksPerTask target: the share of the fleet's capacity within the SLO in use (RequestScaledService's targetUtilization).
   * @default REQUEST_SCALING_DEFAULTS.targetUtilization (0.7)
   */
  readonly targetUtilization?: number;
  /**
   * Consecutive minutes of p99 over the SLO before the latency guard scales out (latencyGuardMinutes).
   * @default REQUEST_SCALING_DEFAULTS.latencyGuardMinutes (1)
   */
  readonly guardMinutes?: number;
  /** headroom's scale-out cooldown, minutes (RequestScaledService's scaleOutCooldown). @default 3 */
  readonly scaleOutCooldownMinutes?: number;
}

export const HTTP_DEFAULTS = {
  cpuTargetPercent: 70,
  guessShare: 0.8,
} as const;

/** CloudWatch publishes ECS and ALB metrics for a minute after it ends: the alarms see the previous minute. */
function lagged(read: (metrics: HttpMinuteMetrics) => number, policy: TargetTrackingPolicy): Watched {
  let previous = Number.NaN;
  return {
    observe(metrics) {
      policy.observe(previous);
      previous = read(metrics);
    },
    propose: () => policy.propose(),
  };
}

/** ECSServiceAverageCPUUtilization of a CPU-bound service: its utilization, capped at 100%. */
function cpuUtilization(target: number): Watched {
  return lagged((metrics) => (metrics.running > 0 ? 100 * Math.min(1, metrics.outcome.utilization) : Number.NaN), new TargetTrackingPolicy(target));
}

/**
 * ALBRequestCountPerTarget (Sum, 1 minute): requests the target group received over its healthy targets. The ALB
 * publishes no RequestCount for a minute without requests, so the policy sees missing data then (and does not
 * scale in on it); with no healthy target, every request counts against one.
 */
function requestCountPerTarget(target: number): Watched {
  return lagged(
    (metrics) => (metrics.missing || metrics.requests <= 0 ? Number.NaN : metrics.requests / Math.max(1, metrics.running)),
    new TargetTrackingPolicy(target),
  );
}

/**
 * RequestScaledService's scaling signal, RequiredTasksPerTask: the tasks the minute's RequestCount needs within the
 * SLO (shared/request-scaling/required-tasks.ts) over the running tasks (at least one). A minute without requests
 * counts as 0 requests (the metric math FILLs RequestCount, which the ALB does not report then), so an idle service
 * scales in; only a gap in the trace is missing data.
 */
function requiredTasksPerTask(curve: RequiredTasksCurve, target: number): Watched {
  return lagged(
    (metrics) => (metrics.missing ? Number.NaN : requiredTasks(curve, Math.max(0, metrics.requests) / 60) / Math.max(1, metrics.running)),
    new TargetTrackingPolicy(target),
  );
}

/**
 * RequestScaledService's latency guard: step scaling on the target group's p99 TargetResponseTime (1-minute
 * period, `minutes` consecutive datapoints over the SLO), REQUEST_SCALING_DEFAULTS.latencyGuardSteps
 * (PercentChangeInCapacity, at least one task).
 */
function latencyGuard(sloMs: number, minutes: number): Watched {
  const guardSteps = REQUEST_SCALING_DEFAULTS.latencyGuardSteps;
  const steps = new StepScalingPolicy(
    guardSteps.map((step, index) => {
      const next = guardSteps[index + 1];
      // Bounds are relative to the alarm threshold (the SLO) in AWS; here they are absolute, from the SLO up.
      return {
        lower: index === 0 ? sloMs : step.multipleOfSlo * sloMs,
        ...(next ? { upper: next.multipleOfSlo * sloMs } : {}),
        change: step.percent,
      };
    }),
    { periodMinutes: 1, statistic: 'Maximum' },
  );
  let breached = 0;
  let previous = Number.NaN;
  let base = 0;
  return {
    observe(metrics, minute, running) {
      const datapoint = previous;
      // A minute that drops requests shows the load balancer's timeouts: a response time past any step bound.
      previous = metrics.missing || metrics.requests <= 0 ? Number.NaN : Math.min(metrics.outcome.p99Ms, Number.MAX_VALUE);
      breached = datapoint > sloMs ? breached + 1 : 0;
      base = running;
      steps.observe(breached >= minutes ? datapoint : Number.NaN, minute);
    },
    propose() {
      const proposal = steps.propose();
      if (proposal.direction !== 'out' || proposal.change === undefined) return proposal;
      // PercentChangeInCapacity: the percentage of the current (running) capacity, rounded down, at least one task.
      return { direction: 'out', change: Math.max(1, Math.floor((base * proposal.change) / 100)) };
    },
  };
}

export interface HttpPolicySetup {
  readonly tracking: readonly Watched[];
  readonly steps: readonly Watched[];
  readonly cooldowns: Cooldowns;
  /** The policy's target: request-count-tracking's requests per target per minute, headroom's RequiredTasksPerTask. */
  readonly target?: number;
  /** headroom's required-tasks curve. */
  readonly requiredTasks?: RequiredTasksCurve;
}

const ECS_DEFAULT_COOLDOWNS: Cooldowns = { scaleOutMinutes: ECS_DEFAULT_COOLDOWN_MINUTES, scaleInMinutes: ECS_DEFAULT_COOLDOWN_MINUTES };

/** The Application Auto Scaling policies each reactive HTTP policy puts on the service. */
export function httpPolicySetup(
  name: Exclude<HttpPolicyName, 'oracle'>,
  parameters: HttpParameters,
  sloRatePerTask: number,
  options: HttpPolicyOptions = {},
): HttpPolicySetup {
  switch (name) {
    case 'cpu-target-tracking':
      return { tracking: [cpuUtilization(options.cpuTargetPercent ?? HTTP_DEFAULTS.cpuTargetPercent)], steps: [], cooldowns: ECS_DEFAULT_COOLDOWNS };
    case 'request-count-tracking': {
      const guess = options.guessRequestsPerTarget ?? parameters.requestsPerSecondPerTask * 60 * HTTP_DEFAULTS.guessShare;
      return { tracking: [requestCountPerTarget(guess)], steps: [], cooldowns: ECS_DEFAULT_COOLDOWNS, target: guess };
    }
    case 'headroom-reactive':
    case 'headroom': {
      const target = options.targetUtilization ?? REQUEST_SCALING_DEFAULTS.targetUtilization;
      const curve = fitRequiredTasks(sloRatePerTask, parameters.sloMs / 1000, parameters.maxCapacity);
      return {
        tracking: [requiredTasksPerTask(curve, target)],
        steps: [latencyGuard(parameters.sloMs, options.guardMinutes ?? REQUEST_SCALING_DEFAULTS.latencyGuardMinutes)],
        cooldowns: {
          scaleOutMinutes: options.scaleOutCooldownMinutes ?? REQUEST_SCALING_DEFAULTS.scaleOutCooldownMs / 60_000,
          scaleInMinutes: REQUEST_SCALING_DEFAULTS.scaleInCooldownMs / 60_000,
        },
        target,
        requiredTasks: curve,
      };
    }
  }
}

/**
 * Application Auto Scaling's rules, as its documentation states them (Application Auto Scaling User Guide: "Target
 * tracking scaling policies for Application Auto Scaling",
 * https://docs.aws.amazon.com/autoscaling/application/userguide/application-auto-scaling-target-tracking.html;
 * "Step scaling policies for Application Auto Scaling",
 * https://docs.aws.amazon.com/autoscaling/application/userguide/application-auto-scaling-step-scaling-policies.html;
 * "Scale your application using scheduled scaling",
 * https://docs.aws.amazon.com/autoscaling/application/userguide/application-auto-scaling-scheduled-scaling.html;
 * API Reference: TargetTrackingScalingPolicyConfiguration, StepScalingPolicyConfiguration (cooldown defaults)):
 * - Target tracking creates a high alarm (metric > target for 3 consecutive 1-minute datapoints) and a low alarm
 *   (metric < 90% of target for 15 consecutive datapoints); when one is in ALARM it sets capacity in proportion to
 *   how far the metric is from the target.
 * - Missing data leaves the alarms in INSUFFICIENT_DATA: no scale-in on missing data.
 * - With several policies, it scales out if any policy wants to and scales in only if all target tracking
 *   policies want to; the largest capacity proposed wins.
 * - Scale-out cooldown: "the capacity that has been added by the previous scale-out event that initiated the
 *   cooldown is calculated as part of the desired capacity for the next scale out" (so it does not compound).
 * - Scale-in cooldown: "scale-in activities are blocked until the cooldown period has expired. However, if another
 *   alarm triggers a scale-out activity during the scale-in cooldown period, Application Auto Scaling scales out
 *   the target immediately" (and the scale-in cooldown stops).
 * - Default cooldowns for ECS services: 300 s.
 * - ECS services scale from the running task count, not the desired count (Amazon ECS Developer Guide, "Automatically
 *   scale your Amazon ECS service", https://docs.aws.amazon.com/AmazonECS/latest/developerguide/service-auto-scaling.html:
 *   the scale-out and scale-in processes "depend on the running task count"): target tracking's ceil(capacity x
 *   metric / target) and step scaling's percent change apply to the running tasks. `decide` takes them as `running`.
 * - A CloudWatch alarm keeps invoking an Auto Scaling action every minute it stays in ALARM.
 * - Step scaling acts on its own alarm; the step is chosen by how far the metric is past the alarm threshold.
 * - Step scaling's PercentChangeInCapacity: "values greater than 1 are rounded down ... values between 0 and 1 are
 *   rounded to 1"; MinAdjustmentMagnitude sets the least change (headroom's policies use 1).
 * - Scheduled actions only move the min/max walls; capacity outside the new walls is moved into them at once.
 *
 * What AWS does not publish, and how the simulator models it:
 * - Target tracking's scale-in step: AWS says only that it "removes capacity more gradually" / more conservatively
 *   than it adds. `ScaleInModel` 'proportional' removes down to ceil(capacity x metric / target) at once;
 *   'gradual' removes at most 10% of capacity (at least one task) per scale-in. The scoreboard runs both.
 * - Target tracking from zero capacity: the proportional rule has nothing to multiply, so it is modelled as staying
 *   at zero (AWS's own scale-from-zero recipes, e.g. SageMaker's HasBacklogWithoutCapacity, add a step scaling
 *   policy for it, as QueueScaledService does).
 */
const SCALE_OUT_DATAPOINTS = 3;
const SCALE_IN_DATAPOINTS = 15;
const SCALE_IN_THRESHOLD = 0.9;
export const ECS_DEFAULT_COOLDOWN_MINUTES = 5;
/** The gradual scale-in model's largest step: this share of capacity (at least one task). */
const GRADUAL_SCALE_IN_SHARE = 0.1;

/** How target tracking's unpublished scale-in step is modelled (see above). */
export type ScaleInModel = 'proportional' | 'gradual';
export const SCALE_IN_MODELS: readonly ScaleInModel[] = ['proportional', 'gradual'];

/**
 * What one policy wants this minute, relative to `base`, the capacity the change applies to: target tracking's
 * ceil(base x ratio) (at least one more when scaling out), or step scaling's base + change, or base + percent.
 */
export type Proposal =
  | { readonly direction?: undefined }
  | { readonly direction: 'out' | 'in'; readonly ratio: number; readonly change?: undefined; readonly percent?: undefined }
  | { readonly direction: 'out' | 'in'; readonly change: number; readonly ratio?: undefined; readonly percent?: undefined }
  | { readonly direction: 'out' | 'in'; readonly percent: number; readonly ratio?: undefined; readonly change?: undefined };

const NO_CHANGE: Proposal = {};

/** The capacity a proposal asks for when applied to `base`. */
export function proposedCapacity(proposal: Proposal, base: number, scaleIn: ScaleInModel = 'proportional'): number {
  if (!proposal.direction) return base;
  if (proposal.change !== undefined) return Math.max(0, base + proposal.change);
  if (proposal.percent !== undefined) {
    const magnitude = Math.max(1, Math.floor((base * Math.abs(proposal.percent)) / 100 + 1e-9));
    return Math.max(0, base + Math.sign(proposal.percent) * magnitude);
  }
  // Target tracking multiplies the current capacity: from zero it proposes zero.
  if (base === 0) return 0;
  const proportional = Math.ceil(base * proposal.ratio - 1e-9);
  if (proposal.direction === 'out') return Math.max(base + 1, proportional);
  if (scaleIn === 'gradual') return Math.max(proportional, base - Math.max(1, Math.floor(GRADUAL_SCALE_IN_SHARE * base)));
  return proportional;
}

export class TargetTrackingPolicy {
  private high = 0;
  private low = 0;
  private last = Number.NaN;

  constructor(readonly target: number) {
    if (!(target > 0)) throw new RangeError(`a target tracking target must be positive, got ${target}`);
  }

  /** One 1-minute datapoint; NaN is missing data (the alarms leave ALARM for INSUFFICIENT_DATA). */
  observe(value: number): void {
    this.last = value;
    if (!Number.isFinite(value)) {
      this.high = 0;
      this.low = 0;
      return;
    }
    this.high = value > this.target ? this.high + 1 : 0;
    this.low = value < SCALE_IN_THRESHOLD * this.target ? this.low + 1 : 0;
  }

  /** The proportional change while an alarm is in ALARM: ceil(base x metric / target). */
  propose(): Proposal {
    if (!Number.isFinite(this.last)) return NO_CHANGE;
    if (this.high >= SCALE_OUT_DATAPOINTS) return { direction: 'out', ratio: this.last / this.target };
    if (this.low >= SCALE_IN_DATAPOINTS) return { direction: 'in', ratio: this.last / this.target };
    return NO_CHANGE;
  }
}

export interface ScalingStep {
  /** The step applies at or above this metric value... */
  readonly lower?: number;
  /** ...and at or below this one. */
  readonly upper?: number;
  /** Capacity added (negative: removed). */
  readonly change: number;
}

export interface StepAlarm {
  /** The alarm's period in minutes; a datapoint is the period's statistic. */
  readonly periodMinutes: number;
  readonly statistic: 'Maximum' | 'Average';
  /** How a step's change applies. @default 'ChangeInCapacity' */
  readonly adjustmentType?: 'ChangeInCapacity' | 'PercentChangeInCapacity';
}

/**
 * A step scaling policy with its alarm, evaluated at the end of each period; while the alarm stays in ALARM the
 * policy is invoked every minute with the latest datapoint.
 */
export class StepScalingPolicy {
  private readonly window: number[] = [];
  private proposal: Proposal = NO_CHANGE;
  /** Later steps win where bounds touch (the step starting at 500 takes 500). */
  private readonly lastFirst: readonly ScalingStep[];

  constructor(
    steps: readonly ScalingStep[],
    private readonly alarm: StepAlarm,
  ) {
    this.lastFirst = [...steps].reverse();
  }

  observe(value: number, minute: number): void {
    this.window.push(value);
    if ((minute + 1) % this.alarm.periodMinutes !== 0) return;
    const datapoint = this.alarm.statistic === 'Maximum' ? Math.max(...this.window) : this.window.reduce((sum, v) => sum + v, 0) / this.window.length;
    this.window.length = 0;
    const step = Number.isFinite(datapoint)
      ? this.lastFirst.find(
          (candidate) =>
            (candidate.lower === undefined || datapoint >= candidate.lower) && (candidate.upper === undefined || datapoint <= candidate.upper),
        )
      : undefined;
    const change = step?.change ?? 0;
    const direction = change > 0 ? 'out' : 'in';
    this.proposal =
      change === 0 ? NO_CHANGE : this.alarm.adjustmentType === 'PercentChangeInCapacity' ? { direction, percent: change } : { direction, change };
  }

  /** The latest datapoint's step, proposed again every minute while the alarm stays in ALARM. */
  propose(): Proposal {
    return this.proposal;
  }
}

export interface Cooldowns {
  readonly scaleOutMinutes: number;
  readonly scaleInMinutes: number;
}

export interface Walls {
  readonly min: number;
  readonly max: number;
}

/** Combines the policies' proposals by AAS's rules, with cooldowns and the min/max walls. */
export class ScalingDecider {
  private scaleOutUntil = -Infinity;
  /** The capacity before the scale-out that started the current scale-out cooldown. */
  private scaleOutBase = 0;
  private scaleInUntil = -Infinity;

  constructor(
    private readonly cooldowns: Cooldowns = { scaleOutMinutes: ECS_DEFAULT_COOLDOWN_MINUTES, scaleInMinutes: ECS_DEFAULT_COOLDOWN_MINUTES },
    private readonly scaleIn: ScaleInModel = 'proportional',
  ) {}

  /**
   * The capacity to set this minute. `tracking` are the target tracking policies' proposals (they must all agree
   * to scale in), `steps` the step scaling policies' (each acts on its own alarm).
   */
  decide(
    minute: number,
    current: number,
    tracking: readonly Proposal[],
    steps: readonly Proposal[],
    walls: Walls,
    running: number = current,
  ): number {
    const clamp = (capacity: number) => Math.min(walls.max, Math.max(walls.min, capacity));
    const inScaleOutCooldown = minute < this.scaleOutUntil;
    const outBase = inScaleOutCooldown ? this.scaleOutBase : running;
    let out = -Infinity;
    for (const proposal of tracking) if (proposal.direction === 'out') out = Math.max(out, proposedCapacity(proposal, outBase));
    for (const proposal of steps) if (proposal.direction === 'out') out = Math.max(out, proposedCapacity(proposal, outBase));
    if (out > -Infinity) {
      const next = clamp(out);
      if (next > current) {
        if (!inScaleOutCooldown) {
          this.scaleOutBase = running;
          this.scaleOutUntil = minute + this.cooldowns.scaleOutMinutes;
        }
        this.scaleInUntil = -Infinity;
        return next;
      }
      return clamp(current);
    }
    if (minute < this.scaleInUntil) return clamp(current);
    const trackingAgrees = tracking.length > 0 && tracking.every((proposal) => proposal.direction === 'in');
    let scaleIn = -Infinity;
    if (trackingAgrees) for (const proposal of tracking) scaleIn = Math.max(scaleIn, proposedCapacity(proposal, running, this.scaleIn));
    for (const proposal of steps) if (proposal.direction === 'in') scaleIn = Math.max(scaleIn, proposedCapacity(proposal, running));
    if (scaleIn > -Infinity) {
      const next = clamp(scaleIn);
      if (next < current) {
        this.scaleInUntil = minute + this.cooldowns.scaleInMinutes;
        return next;
      }
    }
    return clamp(current);
  }
}

/**
 * Application Auto Scaling's rules, as its documentation states them:
 * - Target tracking creates a high alarm (metric > target for 3 consecutive 1-minute datapoints) and a low alarm
 *   (metric < 90% of target for 15 consecutive datapoints); when one fires it sets capacity in proportion,
 *   ceil(current x metric / target).
 * - Missing data leaves the alarms in INSUFFICIENT_DATA: no scale-in on missing data.
 * - With several policies, it scales out if any policy wants to and scales in only if all target tracking
 *   policies want to, to the largest capacity any of them proposes.
 * - A scale-out is not followed by another until the scale-out cooldown ends; a scale-in waits for the scale-in
 *   cooldown.
 * - Step scaling acts on its own alarm, evaluated each of its periods, adding or removing the step's change.
 * - Scheduled actions only move the min/max walls; capacity is clamped into them at once.
 */
export const SCALE_OUT_DATAPOINTS = 3;
export const SCALE_IN_DATAPOINTS = 15;
export const SCALE_IN_THRESHOLD = 0.9;

export interface Proposal {
  /** Capacity the policy wants now, if it wants a change. */
  readonly capacity?: number;
  readonly direction?: 'out' | 'in';
}

export class TargetTrackingPolicy {
  private high = 0;
  private low = 0;
  private last = Number.NaN;

  constructor(readonly target: number) {
    if (!(target > 0)) throw new RangeError(`a target tracking target must be positive, got ${target}`);
  }

  /** One 1-minute datapoint; NaN is missing data. */
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

  propose(current: number): Proposal {
    if (!Number.isFinite(this.last)) return {};
    const proportional = Math.ceil((Math.max(current, 1) * this.last) / this.target - 1e-9);
    if (this.high >= SCALE_OUT_DATAPOINTS) return { direction: 'out', capacity: Math.max(current + 1, proportional) };
    if (this.low >= SCALE_IN_DATAPOINTS && proportional < current) return { direction: 'in', capacity: proportional };
    return {};
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

export class StepScalingPolicy {
  private readonly values: number[] = [];

  constructor(
    private readonly steps: readonly ScalingStep[],
    private readonly periodMinutes: number,
  ) {}

  /** Proposes at the end of each period, from the period's average (CloudWatch's default statistic). */
  observe(value: number, minute: number, current: number): Proposal {
    this.values.push(value);
    if ((minute + 1) % this.periodMinutes !== 0) return {};
    const average = this.values.reduce((sum, v) => sum + v, 0) / this.values.length;
    this.values.length = 0;
    const step = [...this.steps].reverse().find((candidate) => (candidate.lower === undefined || average >= candidate.lower) && (candidate.upper === undefined || average <= candidate.upper));
    if (!step || step.change === 0) return {};
    return { direction: step.change > 0 ? 'out' : 'in', capacity: Math.max(0, current + step.change) };
  }
}

export interface Cooldowns {
  readonly scaleOutMinutes: number;
  readonly scaleInMinutes: number;
}

/** Combines the policies' proposals by AAS's rules, with cooldowns and the min/max walls. */
export class ScalingDecider {
  private lastOut = -Infinity;
  private lastIn = -Infinity;

  constructor(private readonly cooldowns: Cooldowns) {}

  decide(minute: number, current: number, tracking: readonly Proposal[], steps: readonly Proposal[], walls: { min: number; max: number }): number {
    const clamp = (capacity: number) => Math.min(walls.max, Math.max(walls.min, capacity));
    const outs = [...tracking, ...steps].filter((proposal) => proposal.direction === 'out').map((proposal) => proposal.capacity!);
    if (outs.length > 0 && minute - this.lastOut >= this.cooldowns.scaleOutMinutes) {
      const next = clamp(Math.max(...outs));
      if (next > current) {
        this.lastOut = minute;
        return next;
      }
    }
    const trackingAgreesIn = tracking.length > 0 && tracking.every((proposal) => proposal.direction === 'in');
    const stepIns = steps.filter((proposal) => proposal.direction === 'in').map((proposal) => proposal.capacity!);
    const ins = trackingAgreesIn ? [Math.max(...tracking.map((proposal) => proposal.capacity!))] : stepIns;
    if (outs.length === 0 && ins.length > 0 && minute - this.lastIn >= this.cooldowns.scaleInMinutes && minute - this.lastOut >= this.cooldowns.scaleOutMinutes) {
      const next = clamp(Math.max(...ins));
      if (next < current) {
        this.lastIn = minute;
        return next;
      }
    }
    return clamp(current);
  }
}

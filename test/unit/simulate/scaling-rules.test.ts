// Scenario tests for the Application Auto Scaling rules the simulator models, one rule each, citing the
// documentation's wording (Application Auto Scaling User Guide and API Reference, CloudWatch User Guide).
import { describe, expect, it } from 'vitest';
import { QUEUE_PROCESSING_DEFAULTS } from '../../../shared/simulate/policies.ts';
import {
  ECS_DEFAULT_COOLDOWN_MINUTES,
  proposedCapacity,
  ScalingDecider,
  StepScalingPolicy,
  TargetTrackingPolicy,
  type Proposal,
} from '../../../shared/simulate/scaling-rules.ts';

const walls = { min: 1, max: 100 };

function observeAll(policy: TargetTrackingPolicy, values: number[]): void {
  for (const value of values) policy.observe(value);
}

/** The capacity a proposal asks for, relative to `base`. */
function wanted(proposal: Proposal, base: number): { direction?: string; capacity?: number } {
  return proposal.direction ? { direction: proposal.direction, capacity: proposedCapacity(proposal, base) } : {};
}

/** A target tracking proposal for `capacity` when the current capacity is `from`. */
const out = (capacity: number, from = 10): Proposal => ({ direction: 'out', ratio: capacity / from });
const scaleIn = (capacity: number, from = 10): Proposal => ({ direction: 'in', ratio: capacity / from });
const add = (change: number): Proposal => ({ direction: change > 0 ? 'out' : 'in', change });

describe('target tracking alarms', () => {
  // Target tracking's AlarmHigh: "3 datapoints within 3 minutes" above the target, 1-minute period.
  it('scales out only after 3 consecutive 1-minute datapoints above the target', () => {
    const policy = new TargetTrackingPolicy(100);
    observeAll(policy, [150, 150]);
    expect(wanted(policy.propose(), 10)).toEqual({});
    policy.observe(150);
    expect(wanted(policy.propose(), 10).direction).toBe('out');
  });

  // "it adds and removes capacity as required to keep the metric at, or close to, the specified target value":
  // the new capacity is proportional, ceil(capacity x metric / target).
  it('sets new capacity in proportion to how far the metric is from the target', () => {
    const policy = new TargetTrackingPolicy(100);
    observeAll(policy, [150, 150, 250]);
    expect(wanted(policy.propose(), 10)).toEqual({ direction: 'out', capacity: 25 });
  });

  // Target tracking's AlarmLow: "15 datapoints within 15 minutes" below 90% of the target.
  it('scales in only after 15 consecutive datapoints below 90% of the target', () => {
    const policy = new TargetTrackingPolicy(100);
    observeAll(policy, Array(14).fill(50));
    expect(wanted(policy.propose(), 10)).toEqual({});
    policy.observe(50);
    expect(wanted(policy.propose(), 10)).toEqual({ direction: 'in', capacity: 5 });
  });

  it('does not scale in at 95% of the target, inside the 90% band', () => {
    const policy = new TargetTrackingPolicy(100);
    observeAll(policy, Array(30).fill(95));
    expect(wanted(policy.propose(), 10)).toEqual({});
  });

  // "Application Auto Scaling does not scale in ... when the metric has insufficient data" (INSUFFICIENT_DATA).
  it('does not scale in on missing data', () => {
    const policy = new TargetTrackingPolicy(100);
    observeAll(policy, [...Array(14).fill(10), Number.NaN, 10]);
    expect(wanted(policy.propose(), 10)).toEqual({});
  });
});

describe('several scaling policies on one scalable target', () => {
  // "Application Auto Scaling scales out the scalable target if any of the target tracking policies are ready to
  // scale out, but scales in only if all of the target tracking policies (with the scale-in portion enabled) are
  // ready to scale in." The policy that gives the largest capacity wins.
  it('scale out when any policy wants to, to the largest capacity proposed', () => {
    expect(new ScalingDecider().decide(10, 10, [out(14), {}], [out(12)], walls)).toBe(14);
  });

  it('scale in only when every target tracking policy wants to, to the largest capacity they propose', () => {
    expect(new ScalingDecider().decide(10, 10, [scaleIn(6), {}], [], walls)).toBe(10);
    expect(new ScalingDecider().decide(10, 10, [scaleIn(6), scaleIn(8)], [], walls)).toBe(8);
  });
});

describe('cooldowns', () => {
  // ScaleOutCooldown / ScaleInCooldown: "Application Auto Scaling provides a default value of 300 for the following
  // scalable targets: ECS services, ...".
  it('default to 300 seconds for ECS services', () => {
    expect(ECS_DEFAULT_COOLDOWN_MINUTES * 60).toBe(300);
  });

  // "While the cooldown period is in effect, the capacity that has been added by the previous scale out event
  // that initiated the cooldown is calculated as part of the desired capacity for the next scale out ... only 1
  // additional task is added to the desired count."
  it('count the capacity a scale-out added towards the next scale-out during its cooldown', () => {
    const scaler = new ScalingDecider();
    expect(scaler.decide(0, 10, [], [add(2)], walls)).toBe(12);
    expect(scaler.decide(1, 12, [], [add(3)], walls)).toBe(13);
    expect(scaler.decide(2, 13, [], [add(2)], walls)).toBe(13);
    // After the cooldown, a change is relative to the capacity then.
    expect(scaler.decide(5, 13, [], [add(2)], walls)).toBe(15);
  });

  // "scale-in activities are blocked until the cooldown period has expired. However, if another alarm triggers a
  // scale-out activity during the scale-in cooldown period, Application Auto Scaling scales out the target
  // immediately."
  it('block scale-in during the scale-in cooldown, but not a scale-out', () => {
    const scaler = new ScalingDecider();
    expect(scaler.decide(10, 10, [scaleIn(5)], [], walls)).toBe(5);
    expect(scaler.decide(12, 5, [scaleIn(3, 5)], [], walls)).toBe(5);
    expect(scaler.decide(13, 5, [out(9, 5)], [], walls)).toBe(9);
  });

  it('let scale-in resume once the scale-in cooldown has expired', () => {
    const scaler = new ScalingDecider();
    expect(scaler.decide(10, 10, [scaleIn(5)], [], walls)).toBe(5);
    expect(scaler.decide(15, 5, [scaleIn(3, 5)], [], walls)).toBe(3);
  });
});

describe('scheduled actions', () => {
  // "scheduled actions ... change the minimum and maximum capacity"; "If the current capacity is below the new
  // minimum, Application Auto Scaling scales out to the new minimum" (and in to a new maximum).
  it('move the min/max walls, and capacity outside them is moved in at once', () => {
    expect(new ScalingDecider().decide(10, 4, [], [], { min: 12, max: 100 })).toBe(12);
    expect(new ScalingDecider().decide(10, 30, [], [], { min: 1, max: 20 })).toBe(20);
  });

  it('clamp what a policy asks for to the walls', () => {
    expect(new ScalingDecider().decide(10, 10, [out(500)], [], { min: 1, max: 40 })).toBe(40);
  });
});

describe('step scaling, as QueueProcessingFargateService configures it', () => {
  const policy = () => new StepScalingPolicy(QUEUE_PROCESSING_DEFAULTS.steps, QUEUE_PROCESSING_DEFAULTS.alarm);

  // aws-ecs-patterns: "Default: [{ upper: 0, change: -1 }, { lower: 100, change: +1 }, { lower: 500, change: +5 }]",
  // on ApproximateNumberOfMessagesVisible with statistic Maximum over 300 s.
  it('adds the change of the step the period’s maximum falls in, at the end of each 5-minute period', () => {
    const steps = policy();
    for (const [minute, visible] of [0, 0, 0, 600, 0].entries()) {
      steps.observe(visible, minute);
      if (minute < 4) expect(wanted(steps.propose(), 3)).toEqual({});
    }
    expect(wanted(steps.propose(), 3)).toEqual({ direction: 'out', capacity: 8 });
  });

  it('adds one task between 100 and 500 visible messages, and removes one when none is visible', () => {
    const steps = policy();
    for (let minute = 0; minute < 5; minute++) steps.observe(250, minute);
    expect(wanted(steps.propose(), 3)).toEqual({ direction: 'out', capacity: 4 });
    for (let minute = 5; minute < 10; minute++) steps.observe(0, minute);
    expect(wanted(steps.propose(), 3)).toEqual({ direction: 'in', capacity: 2 });
  });

  // AWS Knowledge Center (CloudWatch alarms and Auto Scaling policies): "an alarm invokes an Auto Scaling action
  // once each minute when the alarm remains in a new state, regardless of the configured time period"
  it('keeps proposing every minute while its alarm stays in ALARM', () => {
    const steps = policy();
    for (let minute = 0; minute < 5; minute++) steps.observe(600, minute);
    for (let minute = 5; minute < 9; minute++) {
      steps.observe(600, minute);
      expect(wanted(steps.propose(), 3).direction).toBe('out');
    }
  });
});

describe('what AWS does not publish, modelled both ways', () => {
  // "Target tracking scaling policies for Application Auto Scaling": it removes capacity more gradually than it adds;
  // the step is unpublished. Proportional: down to ceil(capacity x metric / target); gradual: at most 10%, >= 1 task.
  it('scales in to the proportional capacity at once under the proportional model', () => {
    expect(proposedCapacity(scaleIn(4, 20), 20, 'proportional')).toBe(4);
  });

  it('removes at most a tenth of capacity, at least one task, per scale-in under the gradual model', () => {
    expect(proposedCapacity(scaleIn(4, 20), 20, 'gradual')).toBe(18);
    expect(proposedCapacity(scaleIn(1, 5), 5, 'gradual')).toBe(4);
    expect(new ScalingDecider(undefined, 'gradual').decide(10, 20, [scaleIn(4, 20)], [], walls)).toBe(18);
  });

  // Target tracking multiplies the current capacity by metric / target: from zero there is nothing to multiply
  // (AWS's scale-from-zero recipes add a step scaling policy, e.g. SageMaker's HasBacklogWithoutCapacity).
  it('does not scale out of zero capacity with target tracking alone', () => {
    expect(proposedCapacity({ direction: 'out', ratio: 50 }, 0)).toBe(0);
  });
});

describe('step scaling by percent of capacity', () => {
  // "Step scaling policies for Application Auto Scaling": PercentChangeInCapacity values "greater than 1 are rounded
  // down ... values between 0 and 1 are rounded to 1".
  it('rounds the change down, and a change under one task up to one', () => {
    expect(proposedCapacity({ direction: 'out', percent: 25 }, 10)).toBe(12);
    expect(proposedCapacity({ direction: 'out', percent: 25 }, 2)).toBe(3);
  });
});

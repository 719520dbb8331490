import { describe, expect, it } from 'vitest';
import { ScalingDecider, StepScalingPolicy, TargetTrackingPolicy } from '../../../shared/simulate/scaling-rules.ts';

const walls = { min: 1, max: 100 };

function observeAll(policy: TargetTrackingPolicy, values: number[]): void {
  for (const value of values) policy.observe(value);
}

describe('Application Auto Scaling target tracking, as documented', () => {
  it('scales out only after 3 consecutive 1-minute datapoints above the target', () => {
    const policy = new TargetTrackingPolicy(100);
    observeAll(policy, [150, 150]);
    expect(policy.propose(10)).toEqual({});
    policy.observe(150);
    expect(policy.propose(10).direction).toBe('out');
  });

  it('sets new capacity in proportion to how far the metric is from the target', () => {
    const policy = new TargetTrackingPolicy(100);
    observeAll(policy, [150, 150, 250]);
    expect(policy.propose(10)).toEqual({ direction: 'out', capacity: 25 });
  });

  it('scales in only after 15 consecutive datapoints below 90% of the target', () => {
    const policy = new TargetTrackingPolicy(100);
    observeAll(policy, Array(14).fill(50));
    expect(policy.propose(10)).toEqual({});
    policy.observe(50);
    expect(policy.propose(10)).toEqual({ direction: 'in', capacity: 5 });
  });

  it('does not scale in at 95% of the target, inside the 90% band', () => {
    const policy = new TargetTrackingPolicy(100);
    observeAll(policy, Array(30).fill(95));
    expect(policy.propose(10)).toEqual({});
  });

  it('does not scale in on missing data (INSUFFICIENT_DATA resets the alarm)', () => {
    const policy = new TargetTrackingPolicy(100);
    observeAll(policy, [...Array(14).fill(10), Number.NaN, 10]);
    expect(policy.propose(10)).toEqual({});
  });
});

describe('several policies on one target', () => {
  const decider = () => new ScalingDecider({ scaleOutMinutes: 1, scaleInMinutes: 5 });

  it('scale out when any policy wants to, to the largest capacity proposed', () => {
    expect(decider().decide(10, 10, [{ direction: 'out', capacity: 14 }, {}], [{ direction: 'out', capacity: 12 }], walls)).toBe(14);
  });

  it('scale in only when all target tracking policies want to', () => {
    expect(decider().decide(10, 10, [{ direction: 'in', capacity: 6 }, {}], [], walls)).toBe(10);
    expect(decider().decide(10, 10, [{ direction: 'in', capacity: 6 }, { direction: 'in', capacity: 8 }], [], walls)).toBe(8);
  });

  it('wait out the scale-in cooldown before scaling in again', () => {
    const scaler = decider();
    const bothIn = [{ direction: 'in' as const, capacity: 5 }];
    expect(scaler.decide(10, 10, bothIn, [], walls)).toBe(5);
    expect(scaler.decide(12, 5, [{ direction: 'in', capacity: 3 }], [], walls)).toBe(5);
    expect(scaler.decide(15, 5, [{ direction: 'in', capacity: 3 }], [], walls)).toBe(3);
  });

  it('keep capacity inside the scheduled min/max walls, raising it to a new minimum at once', () => {
    expect(decider().decide(10, 4, [], [], { min: 12, max: 100 })).toBe(12);
    expect(decider().decide(10, 10, [{ direction: 'out', capacity: 500 }], [], { min: 1, max: 40 })).toBe(40);
  });
});

describe('step scaling', () => {
  it('adds the change of the step the period’s average falls in (QueueProcessingFargateService’s defaults)', () => {
    const policy = new StepScalingPolicy([{ upper: 0, change: -1 }, { lower: 100, change: 1 }, { lower: 500, change: 5 }], 5);
    for (let minute = 0; minute < 4; minute++) expect(policy.observe(600, minute, 3)).toEqual({});
    expect(policy.observe(600, 4, 3)).toEqual({ direction: 'out', capacity: 8 });
    for (let minute = 5; minute < 9; minute++) policy.observe(0, minute, 8);
    expect(policy.observe(0, 9, 8)).toEqual({ direction: 'in', capacity: 7 });
  });
});

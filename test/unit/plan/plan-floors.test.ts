import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { planFloors, type FloorPlanInput, type FloorStep } from '../../../shared/plan/index.ts';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const START = Date.UTC(2026, 2, 28); // the weekend Europe and North America change their clocks

function input(values: number[], overrides: Partial<FloorPlanInput> = {}): FloorPlanInput {
  return {
    demand: { startMs: START, stepMs: HOUR, values },
    unitThroughput: 10,
    targetUtilization: 1,
    leadTimeMs: 0,
    floor: 1,
    max: 50,
    actionBudget: 100,
    ...overrides,
  };
}

const arbitraryInput = fc.record({
  values: fc.array(fc.float({ min: 0, max: 1000, noNaN: true }), { minLength: 1, maxLength: 72 }),
  unitThroughput: fc.float({ min: 1, max: 100, noNaN: true }),
  targetUtilization: fc.float({ min: Math.fround(0.1), max: 1, noNaN: true }),
  leadTimeMs: fc.integer({ min: 0, max: 3 * HOUR }),
  floor: fc.integer({ min: 0, max: 10 }),
  headroom: fc.integer({ min: 0, max: 60 }),
  actionBudget: fc.integer({ min: 0, max: 40 }),
  minStepMs: fc.constantFrom(15 * 60_000, HOUR, 2 * HOUR),
});

function toInput({ values, headroom, floor, ...rest }: typeof arbitraryInput extends fc.Arbitrary<infer T> ? T : never): FloorPlanInput {
  return { ...rest, demand: { startMs: START, stepMs: HOUR, values }, floor, max: floor + headroom };
}

function needed(plan: FloorPlanInput, index: number): number {
  const perUnit = plan.unitThroughput * plan.targetUtilization;
  return Math.min(plan.max, Math.max(plan.floor, Math.ceil(plan.demand.values[index]! / perUnit - 1e-9)));
}

function floorAt(steps: readonly FloorStep[], time: number): number | undefined {
  return steps.find((step) => step.startMs <= time && time < step.endMs)?.minCapacity;
}

describe('planFloors', () => {
  it('raises the floor to demand / (throughput x utilization), lead time earlier, and restores it after', () => {
    const plan = planFloors(input([0, 0, 95, 0], { leadTimeMs: HOUR, targetUtilization: 0.5 }));
    expect(plan.steps).toEqual([{ startMs: START + HOUR, endMs: START + 3 * HOUR, minCapacity: 19 }]);
  });

  it('merges neighbouring hours that need the same floor into one step', () => {
    expect(planFloors(input([30, 30, 30])).steps).toEqual([{ startMs: START, endMs: START + 3 * HOUR, minCapacity: 3 }]);
  });

  it('schedules nothing for demand the configured floor already covers, including an explicit zero floor', () => {
    expect(planFloors(input([5, 10, 0], { floor: 1 })).steps).toEqual([]);
    expect(planFloors(input([0, 0], { floor: 0 })).steps).toEqual([]);
    expect(planFloors(input([1, 0], { floor: 0 })).steps).toEqual([{ startMs: START, endMs: START + HOUR, minCapacity: 1 }]);
  });

  it('never schedules above the maximum', () => {
    expect(planFloors(input([10_000], { max: 7 })).steps).toEqual([{ startMs: START, endMs: START + HOUR, minCapacity: 7 }]);
  });

  it('merges the cheapest neighbours, only upwards, to fit the action budget', () => {
    const plan = planFloors(input([40, 0, 40, 0, 0, 0, 0, 20], { actionBudget: 4 }));
    expect(plan.steps).toEqual([
      { startMs: START, endMs: START + 3 * HOUR, minCapacity: 4 },
      { startMs: START + 7 * HOUR, endMs: START + 8 * HOUR, minCapacity: 2 },
    ]);
  });

  it('schedules nothing, and says why, when the budget cannot hold one raise and its restore', () => {
    const plan = planFloors(input([40], { actionBudget: 1 }));
    expect(plan.steps).toEqual([]);
    expect(plan.notes.join()).toMatch(/action budget of 1/);
  });

  it('keeps DynamoDB within its daily budget of capacity decreases by merging that day’s steps', () => {
    const spiky = Array.from({ length: 24 }, (_, hour) => (hour % 2 === 0 ? 100 : 0));
    const plan = planFloors(input(spiky, { maxDecreasesPerDay: 4 }));
    const perDay = new Map<number, number>();
    plan.steps.forEach((step) => perDay.set(Math.floor(step.endMs / DAY), (perDay.get(Math.floor(step.endMs / DAY)) ?? 0) + 1));
    expect(Math.max(...perDay.values())).toBeLessThanOrEqual(4);
    expect(plan.steps.every((step) => step.minCapacity === 10)).toBe(true);
  });

  it.each([
    [{ values: [Number.NaN] }, /demand.values\[0\] must be a finite load/],
    [{ values: [Number.POSITIVE_INFINITY] }, /demand.values\[0\]/],
    [{ unitThroughput: 0 }, /unitThroughput must be a positive load/],
    [{ targetUtilization: 1.5 }, /targetUtilization must be in \(0, 1\]/],
    [{ floor: -1 }, /floor must be a whole number >= 0/],
    [{ floor: 5, max: 3 }, /max must be a whole number >= floor \(5\)/],
    [{ actionBudget: 2.5 }, /actionBudget must be a whole number/],
  ])('rejects %j with an error naming the field', (override, message) => {
    const { values, ...rest } = override as { values?: number[] } & Partial<FloorPlanInput>;
    expect(() => planFloors(input(values ?? [1], rest))).toThrow(message);
  });

  describe('for any demand', () => {
    it('pairs every raise with a restore: steps are sorted, non-overlapping and end after they start', () => {
      fc.assert(
        fc.property(arbitraryInput, (sample) => {
          const steps = planFloors(toInput(sample)).steps;
          steps.forEach((step, index) => {
            expect(step.endMs).toBeGreaterThan(step.startMs);
            if (index > 0) expect(step.startMs).toBeGreaterThanOrEqual(steps[index - 1]!.endMs);
          });
        }),
      );
    });

    it('schedules only above the floor and never above the max', () => {
      fc.assert(
        fc.property(arbitraryInput, (sample) => {
          const plan = toInput(sample);
          for (const step of planFloors(plan).steps) {
            expect(step.minCapacity).toBeGreaterThan(plan.floor);
            expect(step.minCapacity).toBeLessThanOrEqual(plan.max);
          }
        }),
      );
    });

    it('stays within the action budget', () => {
      fc.assert(
        fc.property(arbitraryInput, (sample) => {
          expect(planFloors(toInput(sample)).steps.length * 2).toBeLessThanOrEqual(sample.actionBudget);
        }),
      );
    });

    it('has the needed capacity up from lead time before each demand step until it ends, whenever it schedules at all', () => {
      fc.assert(
        fc.property(arbitraryInput, (sample) => {
          const plan = toInput(sample);
          const { steps } = planFloors(plan);
          if (plan.actionBudget < 2) return;
          plan.demand.values.forEach((_, index) => {
            const capacity = needed(plan, index);
            if (capacity <= plan.floor) return;
            const arrives = START + index * HOUR;
            for (const time of [arrives - plan.leadTimeMs, arrives, arrives + HOUR - 1]) expect(floorAt(steps, time) ?? plan.floor).toBeGreaterThanOrEqual(capacity);
          });
        }),
      );
    });

    it('is deterministic, and moves with its input in time whatever the calendar (UTC only, no DST)', () => {
      fc.assert(
        fc.property(arbitraryInput, fc.integer({ min: -400, max: 400 }), (sample, days) => {
          const plan = toInput(sample);
          const shifted = { ...plan, demand: { ...plan.demand, startMs: plan.demand.startMs + days * DAY } };
          expect(planFloors(plan)).toEqual(planFloors(plan));
          expect(planFloors(shifted).steps).toEqual(planFloors(plan).steps.map((step) => ({ ...step, startMs: step.startMs + days * DAY, endMs: step.endMs + days * DAY })));
        }),
      );
    });
  });
});

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { floorChanges, planFloors, type FloorChange, type FloorPlanInput, type FloorStep } from '../../../shared/plan/index.ts';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const START = Date.UTC(2026, 2, 28); // the weekend Europe and North America change their clocks

function input(values: number[], overrides: Partial<FloorPlanInput> = {}): FloorPlanInput {
  return {
    demand: { startMs: START, stepMs: HOUR, values },
    unitThroughput: 10,
    targetUtilization: 1,
    leadTimeMs: 0,
    minCapacity: 1,
    maxCapacity: 50,
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
  return { ...rest, demand: { startMs: START, stepMs: HOUR, values }, minCapacity: floor, maxCapacity: floor + headroom };
}

function needed(plan: FloorPlanInput, index: number): number {
  const perUnit = plan.unitThroughput * plan.targetUtilization;
  return Math.min(plan.maxCapacity, Math.max(plan.minCapacity, Math.ceil(plan.demand.values[index]! / perUnit - 1e-9)));
}

function floorAt(steps: readonly FloorStep[], time: number): number | undefined {
  return steps.find((step) => step.startMs <= time && time < step.endMs)?.minCapacity;
}

describe('planFloors', () => {
  it('raises the floor to demand / (throughput x utilization), lead time earlier, and restores it after', () => {
    const plan = planFloors(input([0, 0, 95, 0], { leadTimeMs: HOUR, targetUtilization: 0.5 }));
    expect(plan.steps).toEqual([{ startMs: START + HOUR, endMs: START + 3 * HOUR, minCapacity: 19 }]);
  });

  it('steps at the forecast resolution: each floor rises lead time before its hour and falls as that hour ends', () => {
    const lead = 5 * 60_000;
    expect(planFloors(input([30, 50, 20], { leadTimeMs: lead })).steps).toEqual([
      { startMs: START - lead, endMs: START + HOUR - lead, minCapacity: 3 },
      { startMs: START + HOUR - lead, endMs: START + 2 * HOUR, minCapacity: 5 },
      { startMs: START + 2 * HOUR, endMs: START + 3 * HOUR, minCapacity: 2 },
    ]);
  });

  it('merges neighbouring hours that need the same floor into one step', () => {
    expect(planFloors(input([30, 30, 30])).steps).toEqual([{ startMs: START, endMs: START + 3 * HOUR, minCapacity: 3 }]);
  });

  it('schedules nothing for demand minCapacity already covers, including an explicit zero floor', () => {
    expect(planFloors(input([5, 10, 0], { minCapacity: 1 })).steps).toEqual([]);
    expect(planFloors(input([0, 0], { minCapacity: 0 })).steps).toEqual([]);
    expect(planFloors(input([1, 0], { minCapacity: 0 })).steps).toEqual([{ startMs: START, endMs: START + HOUR, minCapacity: 1 }]);
  });

  it('never schedules above the maximum', () => {
    expect(planFloors(input([10_000], { maxCapacity: 7 })).steps).toEqual([{ startMs: START, endMs: START + HOUR, minCapacity: 7 }]);
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
    [{ minCapacity: -1 }, /minCapacity must be a whole number >= 0/],
    [{ minCapacity: 5, maxCapacity: 3 }, /maxCapacity must be a whole number >= minCapacity \(5\)/],
    [{ actionBudget: 2.5 }, /actionBudget must be a whole number/],
  ])('rejects %j with an error naming the field', (override, message) => {
    const { values, ...rest } = override as { values?: number[] } & Partial<FloorPlanInput>;
    expect(() => planFloors(input(values ?? [1], rest))).toThrow(message);
  });

  describe('for any demand', () => {
    it('pairs every raise with a restore: replayed, the writes hold each step’s capacity over it and minCapacity after it', () => {
      fc.assert(
        fc.property(arbitraryInput, (sample) => {
          const plan = toInput(sample);
          const { steps } = planFloors(plan);
          const changes = floorChanges(steps, plan);
          steps.forEach((step, index) => {
            expect(step.endMs).toBeGreaterThan(step.startMs);
            if (index > 0) expect(step.startMs).toBeGreaterThanOrEqual(steps[index - 1]!.endMs);
          });
          const held = (time: number) => changes.filter((change) => change.atMs <= time).at(-1)?.minCapacity ?? plan.minCapacity;
          steps.forEach((step, index) => {
            expect(held(step.startMs)).toBe(step.minCapacity);
            expect(held(step.endMs - 1)).toBe(step.minCapacity);
            const next = steps[index + 1];
            expect(held(step.endMs)).toBe(next?.startMs === step.endMs ? next.minCapacity : plan.minCapacity);
          });
          expect(changes.filter((change) => change.kind === 'restore').every((change) => change.minCapacity === plan.minCapacity)).toBe(true);
          expect(changes.at(-1)?.kind ?? 'restore').toBe('restore');
        }),
      );
    });

    it('schedules only above minCapacity and never above maxCapacity', () => {
      fc.assert(
        fc.property(arbitraryInput, (sample) => {
          const plan = toInput(sample);
          for (const step of planFloors(plan).steps) {
            expect(step.minCapacity).toBeGreaterThan(plan.minCapacity);
            expect(step.minCapacity).toBeLessThanOrEqual(plan.maxCapacity);
          }
        }),
      );
    });

    it('stays within the action budget', () => {
      fc.assert(
        fc.property(arbitraryInput, (sample) => {
          const plan = toInput(sample);
          expect(floorChanges(planFloors(plan).steps, plan).length).toBeLessThanOrEqual(sample.actionBudget);
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
            if (capacity <= plan.minCapacity) return;
            const arrives = START + index * HOUR;
            for (const time of [arrives - plan.leadTimeMs, arrives, arrives + HOUR - 1])
              expect(floorAt(steps, time) ?? plan.minCapacity).toBeGreaterThanOrEqual(capacity);
          });
        }),
      );
    });

    it('is deterministic, and moves with its input in time whatever the calendar (the plan is in UTC; time zones are the forecast’s)', () => {
      fc.assert(
        fc.property(arbitraryInput, fc.integer({ min: -400, max: 400 }), (sample, days) => {
          const plan = toInput(sample);
          const shifted = { ...plan, demand: { ...plan.demand, startMs: plan.demand.startMs + days * DAY } };
          expect(planFloors(plan)).toEqual(planFloors(plan));
          expect(planFloors(shifted).steps).toEqual(
            planFloors(plan).steps.map((step) => ({ ...step, startMs: step.startMs + days * DAY, endMs: step.endMs + days * DAY })),
          );
        }),
      );
    });
  });
});

/** Random walls without headroom: MinCapacity changing where the user's own scheduled actions run. */
const arbitraryWalls = fc.record({
  changes: fc.array(fc.record({ atMinute: fc.integer({ min: 1, max: 80 * 60 }), minCapacity: fc.integer({ min: 0, max: 30 }) }), { maxLength: 8 }),
  initial: fc.integer({ min: 0, max: 20 }),
  maxCapacity: fc.integer({ min: 1, max: 60 }),
});

function wallTimeline(sample: typeof arbitraryWalls extends fc.Arbitrary<infer T> ? T : never): NonNullable<FloorPlanInput['walls']> {
  const runs = [...new Map(sample.changes.map((change) => [START + change.atMinute * 60_000, change.minCapacity])).entries()].sort(
    (a, b) => a[0] - b[0],
  );
  const segments: { startMs: number; endMs: number; minCapacity: number }[] = [];
  let [start, value] = [START - 4 * HOUR, sample.initial];
  for (const [atMs, minCapacity] of runs) {
    segments.push({ startMs: start, endMs: atMs, minCapacity: value });
    [start, value] = [atMs, minCapacity];
  }
  segments.push({ startMs: start, endMs: START + 100 * HOUR, minCapacity: value });
  return { segments, maxCapacity: sample.maxCapacity, foreignRunsMs: runs.map(([atMs]) => atMs) };
}

describe('planFloors and floorChanges against walls that change over time', () => {
  const wallAt = (walls: NonNullable<FloorPlanInput['walls']>, time: number) =>
    walls.segments.find((segment) => segment.startMs <= time && time < segment.endMs)!.minCapacity;

  it('raises only above the wall in force, restores to exactly it, and never writes in a minute a foreign action runs', () => {
    fc.assert(
      fc.property(arbitraryInput, arbitraryWalls, (sample, wallSample) => {
        const walls = wallTimeline(wallSample);
        const plan = { ...toInput(sample), minCapacity: 0, maxCapacity: 60, walls };
        const changes: FloorChange[] = floorChanges(planFloors(plan).steps, plan);
        for (const change of changes) {
          if (change.kind === 'raise') expect(change.minCapacity).toBeGreaterThan(wallAt(walls, change.atMs));
          else expect(change.minCapacity).toBe(wallAt(walls, change.atMs));
          expect(change.minCapacity <= walls.maxCapacity || change.kind === 'restore').toBe(true);
          expect(walls.foreignRunsMs.some((run) => Math.floor(run / 60_000) === Math.floor(change.atMs / 60_000))).toBe(false);
        }
        expect(changes.length).toBeLessThanOrEqual(plan.actionBudget);
      }),
    );
  });
});

import { describe, expect, it } from 'vitest';
import {
  allocateDecreases,
  DYNAMODB_DECREASE_QUOTA,
  decreaseAllowed,
  nextSlotStart,
  PREDICTOR_DECREASES_PER_RESOURCE,
} from '../../../shared/plan/dynamodb-decreases.ts';
import { planFloors, type FloorPlanInput } from '../../../shared/plan/index.ts';
import { parsePredictorConfig } from '../../../shared/predictor/config.ts';
import { simulateProvisionedTable } from '../../../shared/simulate/index.ts';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const MIDNIGHT = Date.UTC(2026, 5, 1);
const at = (hours: number, minutes = 0) => MIDNIGHT + hours * HOUR + minutes * MINUTE;

// "Quotas in Amazon DynamoDB", Decreasing provisioned throughput
// (https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/ServiceQuotas.html): four decreases at any
// time in a UTC day, then one more if there was none in the past hour, at most 27 a day.
describe('decreaseAllowed: DynamoDB’s decrease quota as a decision table', () => {
  it.each([
    ['the first decrease of the day', [], at(0, 5), true],
    ['a fourth within minutes', [at(0, 1), at(0, 2), at(0, 3)], at(0, 4), true],
    ['a fifth within the hour of the fourth', [at(0, 1), at(0, 2), at(0, 3), at(0, 4)], at(0, 50), false],
    ['a fifth 59 minutes after the fourth', [at(3, 0), at(3, 1), at(3, 2), at(3, 3)], at(4, 2), false],
    ['a fifth an hour after the fourth', [at(3, 0), at(3, 1), at(3, 2), at(3, 3)], at(4, 3), true],
    ['yesterday’s decreases do not count against today’s four', [at(-1, 1), at(-1, 2), at(-1, 3), at(-1, 4), at(-0, -20)], at(0, 1), true],
    [
      'the 28th of a day, an hour after the 27th',
      [...[1, 2, 3, 4].map((minute) => at(0, minute)), ...Array.from({ length: 23 }, (_, hour) => at(hour, 30))],
      at(23, 59),
      false,
    ],
    [
      'the 27th of a day, an hour after the 26th',
      [...[1, 2, 3, 4].map((minute) => at(0, minute)), ...Array.from({ length: 22 }, (_, hour) => at(hour + 1, 0))],
      at(23, 0),
      true,
    ],
  ])('%s', (_, previous, time, allowed) => {
    expect(decreaseAllowed(previous, time)).toBe(allowed);
  });

  it('allows at most 27 decreases in a UTC day to an actor that tries every minute', () => {
    const made: number[] = [];
    for (let minute = 0; minute < 1440; minute++) if (decreaseAllowed(made, at(0, minute))) made.push(at(0, minute));
    expect(made).toHaveLength(DYNAMODB_DECREASE_QUOTA.perDay);
  });
});

describe('allocateDecreases: the predictor’s share of a table’s decreases', () => {
  it('splits one share among the read and write targets of a table, in different hour slots', () => {
    const { shares, overCommitted } = allocateDecreases([
      { workload: 'reads', resourceId: 'table/orders' },
      { workload: 'writes', resourceId: 'table/orders' },
    ]);
    expect(shares.get('reads')).toEqual({ maxDecreasesPerDay: PREDICTOR_DECREASES_PER_RESOURCE / 2, decreaseSlot: { index: 0, of: 2 } });
    expect(shares.get('writes')).toEqual({ maxDecreasesPerDay: PREDICTOR_DECREASES_PER_RESOURCE / 2, decreaseSlot: { index: 1, of: 2 } });
    expect(overCommitted).toEqual([]);
  });

  it('gives each index its own budget, as DynamoDB decouples table and GSI limits', () => {
    const { shares } = allocateDecreases([
      { workload: 'reads', resourceId: 'table/orders' },
      { workload: 'by-customer', resourceId: 'table/orders/index/by-customer' },
    ]);
    expect(shares.get('by-customer')).toEqual({ maxDecreasesPerDay: PREDICTOR_DECREASES_PER_RESOURCE, decreaseSlot: { index: 0, of: 1 } });
  });

  it('reports shares the user set above the predictor’s part of the table’s 27 (the rest is target tracking’s)', () => {
    const { overCommitted } = allocateDecreases([
      { workload: 'reads', resourceId: 'table/orders', maxDecreasesPerDay: 6 },
      { workload: 'writes', resourceId: 'table/orders', maxDecreasesPerDay: 6 },
    ]);
    expect(overCommitted).toEqual([{ resourceId: 'table/orders', total: 12, workloads: ['reads', 'writes'] }]);
  });

  it('finds the next hour of a slot', () => {
    expect(nextSlotStart(at(2), { index: 0, of: 2 })).toBe(at(2));
    expect(nextSlotStart(at(2, 1), { index: 0, of: 2 })).toBe(at(4));
    expect(nextSlotStart(at(2, 1), { index: 1, of: 2 })).toBe(at(3));
  });
});

describe('planFloors with a decrease slot', () => {
  const input = (values: number[], overrides: Partial<FloorPlanInput> = {}): FloorPlanInput => ({
    demand: { startMs: MIDNIGHT, stepMs: HOUR, values },
    unitThroughput: 10,
    targetUtilization: 1,
    leadTimeMs: 0,
    minCapacity: 1,
    maxCapacity: 50,
    actionBudget: 100,
    ...overrides,
  });
  const drops = (steps: readonly { startMs: number; endMs: number; minCapacity: number }[]) =>
    steps
      .filter((step, index) => !(steps[index + 1]?.startMs === step.endMs && steps[index + 1]!.minCapacity >= step.minCapacity))
      .map((step) => step.endMs);

  it('lowers floors only in its own hours, holding (never advancing) a drop due in another’s', () => {
    const spiky = Array.from({ length: 24 }, (_, hour) => (hour % 3 === 0 ? 100 : 0));
    const free = planFloors(input(spiky));
    const slotted = planFloors(input(spiky, { decreaseSlot: { index: 1, of: 2 } }));
    expect(drops(free.steps).some((time) => Math.floor((time - MIDNIGHT) / HOUR) % 2 === 0)).toBe(true);
    for (const time of drops(slotted.steps)) {
      expect(time % HOUR).toBe(0);
      expect(Math.floor(time / HOUR) % 2).toBe(1);
    }
    // Held floors only: every hour the free plan raised is raised at least as high.
    for (const step of free.steps)
      for (let time = step.startMs; time < step.endMs; time += HOUR)
        expect(slotted.steps.find((held) => held.startMs <= time && time < held.endMs)?.minCapacity ?? 0).toBeGreaterThanOrEqual(step.minCapacity);
  });

  it('read and write targets of one table never drop their floors in the same hour', () => {
    const values = Array.from({ length: 24 }, (_, hour) => (hour % 2 === 0 ? 100 : 10));
    const { shares } = allocateDecreases([
      { workload: 'reads', resourceId: 'table/orders' },
      { workload: 'writes', resourceId: 'table/orders' },
    ]);
    const reads = drops(planFloors(input(values, shares.get('reads'))).steps);
    const writes = drops(planFloors(input(values, shares.get('writes'))).steps);
    const all = [...reads, ...writes].sort((a, b) => a - b);
    for (let index = 1; index < all.length; index++) expect(all[index]! - all[index - 1]!).toBeGreaterThanOrEqual(HOUR);
    expect(reads.length + writes.length).toBeLessThanOrEqual(PREDICTOR_DECREASES_PER_RESOURCE);
  });
});

describe('the predictor’s configuration', () => {
  const target = (workload: string, resourceId: string, scalableDimension: string) => ({
    workload,
    serviceNamespace: 'dynamodb',
    resourceId,
    scalableDimension,
    load: [{ namespace: 'AWS/DynamoDB', metricName: 'ConsumedReadCapacityUnits', dimensions: { TableName: 'orders' } }],
    unitThroughput: 1,
  });

  it('budgets a table’s decreases across its read and write targets instead of giving each its own', () => {
    const { targets } = parsePredictorConfig(
      JSON.stringify({
        targets: [
          target('reads', 'table/orders', 'dynamodb:table:ReadCapacityUnits'),
          target('writes', 'table/orders', 'dynamodb:table:WriteCapacityUnits'),
        ],
      }),
    );
    expect(targets.reduce((sum, parsed) => sum + parsed.maxDecreasesPerDay!, 0)).toBe(PREDICTOR_DECREASES_PER_RESOURCE);
    expect(targets.map((parsed) => parsed.decreaseSlot)).toEqual([
      { index: 0, of: 2 },
      { index: 1, of: 2 },
    ]);
  });

  it('refuses a target’s own share above the predictor’s share of the table', () => {
    const { rejectedTargets } = parsePredictorConfig(
      JSON.stringify({ targets: [{ ...target('reads', 'table/orders', 'dynamodb:table:ReadCapacityUnits'), maxDecreasesPerDay: 20 }] }),
    );
    expect(rejectedTargets[0]!.reason).toMatch(/maxDecreasesPerDay must be a whole number from 1 to 8/);
  });
});

describe('the provisioned table model under the decrease quota', () => {
  const base = { minCapacity: 10, maxCapacity: 1000, targetUtilizationPercent: 70 };
  const sawtooth = Array.from({ length: 1440 }, (_, minute) => (Math.floor(minute / 30) % 2 === 0 ? 500 : 5));

  it('scales in only as DynamoDB allows: four, then one an hour', () => {
    // Gradual scale-in with a one-minute cooldown wants a decrease a minute once the low alarm fires.
    const restless = { ...base, scaleInModel: 'gradual' as const, cooldowns: { scaleOutMinutes: 1, scaleInMinutes: 1 } };
    const fast = Array.from({ length: 1440 }, (_, minute) => (Math.floor(minute / 60) % 2 === 0 ? 500 : 5));
    const score = simulateProvisionedTable(fast, restless);
    expect(score.decreases).toBeLessThanOrEqual(DYNAMODB_DECREASE_QUOTA.perDay);
    expect(score.refusedDecreases).toBeGreaterThan(0);
  });

  it('has fewer decreases left when the table’s other target decreases too', () => {
    const alone = simulateProvisionedTable(sawtooth, base);
    const shared = simulateProvisionedTable(sawtooth, { ...base, otherDecreaseMinutes: Array.from({ length: 24 }, (_, hour) => hour * 60 + 45) });
    expect(shared.decreases).toBeLessThan(alone.decreases);
  });
});

// RequestScaledService's target derivation: one task's measured rate within the SLO, extended to a pooled fleet.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fleetSloRatePerTask, serviceRateFromSloRate } from '../../../shared/request-scaling/fleet-rate.ts';
import { HttpServiceModel } from '../../../shared/simulate/http/minute-model.ts';

const model = new HttpServiceModel({ requestsPerSecondPerTask: 50, startupMs: 0, sloMs: 500, minCapacity: 1, maxCapacity: 100 });
const oneTask = model.sloRatePerTask();

describe('fleetSloRatePerTask', () => {
  it('infers the saturation rate from one task’s rate within the SLO (M/M/1: p99 = ln(100) / (mu - lambda))', () => {
    expect(serviceRateFromSloRate(oneTask, 0.5)).toBeCloseTo(50, 6);
  });

  it('is the one-task rate itself for one task', () => {
    expect(fleetSloRatePerTask(oneTask, 0.5, 1)).toBe(oneTask);
  });

  it.each([2, 5, 35])('is the highest per-task rate %d pooled tasks serve within the SLO, by the simulator’s M/M/c model', (tasks) => {
    const rate = fleetSloRatePerTask(oneTask, 0.5, tasks);
    expect(model.meetsSlo(tasks, tasks * rate * 0.9999)).toBe(true);
    expect(model.meetsSlo(tasks, tasks * rate * 1.0001)).toBe(false);
  });

  it('rises with the fleet and stays under saturation', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 1, max: 500, noNaN: true }),
        fc.double({ min: 0.05, max: 5, noNaN: true }),
        fc.integer({ min: 1, max: 60 }),
        (rate, slo, tasks) => {
          const here = fleetSloRatePerTask(rate, slo, tasks);
          expect(fleetSloRatePerTask(rate, slo, tasks + 1)).toBeGreaterThanOrEqual(here);
          expect(here).toBeLessThan(serviceRateFromSloRate(rate, slo));
        },
      ),
    );
  });

  it('refuses a fleet that is not a whole number of tasks', () => {
    expect(() => fleetSloRatePerTask(40, 0.5, 0)).toThrow(/tasks must be a whole number >= 1, got 0/);
  });
});

// RequiredTasksPerTask's curve: the tasks a request rate needs within the SLO, as metric math can compute it.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fitRequiredTasks, requiredTasks } from '../../../shared/request-scaling/required-tasks.ts';
import { HttpServiceModel } from '../../../shared/simulate/http/minute-model.ts';

const modelFor = (saturation: number, sloMs: number) =>
  new HttpServiceModel({ requestsPerSecondPerTask: saturation, startupMs: 0, sloMs, minCapacity: 1, maxCapacity: 100 });

describe('fitRequiredTasks', () => {
  it('never asks, rounded up, for fewer tasks than the M/M/c model needs, at any load up to the fitted maximum', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 5, max: 500, noNaN: true }),
        fc.double({ min: 6, max: 100, noNaN: true }),
        fc.integer({ min: 1, max: 300 }),
        fc.double({ min: 0.001, max: 0.999, noNaN: true }),
        (saturation, sloInServiceTimes, maxTasks, share) => {
          const sloMs = (1000 * sloInServiceTimes) / saturation;
          const model = modelFor(saturation, sloMs);
          const curve = fitRequiredTasks(model.sloRatePerTask(), sloMs / 1000, maxTasks);
          const rate = share * maxTasks * saturation;
          if (model.leastTasks(rate) > maxTasks) return;
          expect(Math.ceil(requiredTasks(curve, rate))).toBeGreaterThanOrEqual(model.leastTasks(rate));
        },
      ),
      { numRuns: 300 },
    );
  });

  it('asks for at most one task more than the model needs on the scoreboard’s service (50 requests/s, 500 ms p99, 1-60 tasks)', () => {
    const model = modelFor(50, 500);
    const curve = fitRequiredTasks(model.sloRatePerTask(), 0.5, 60);
    for (let rate = 1; rate < 60 * 49; rate += 7) {
      expect(Math.ceil(requiredTasks(curve, rate)) - model.leastTasks(rate)).toBeLessThanOrEqual(1);
    }
  });

  it('leaves a smaller share spare as the fleet grows (square-root staffing)', () => {
    const curve = fitRequiredTasks(modelFor(50, 150).sloRatePerTask(), 0.15, 100);
    const spareShare = (load: number) => requiredTasks(curve, load * 50) / load - 1;
    expect(spareShare(2)).toBeGreaterThan(spareShare(10));
    expect(spareShare(10)).toBeGreaterThan(spareShare(80));
  });

  it('infers the saturation rate from the one-task rate within the SLO', () => {
    expect(fitRequiredTasks(modelFor(50, 500).sloRatePerTask(), 0.5, 10).saturationRatePerTask).toBeCloseTo(50, 6);
  });

  it('counts no task for no requests', () => {
    expect(requiredTasks(fitRequiredTasks(40, 0.5, 10), 0)).toBe(0);
  });

  it('refuses a maximum that is not a whole number of tasks', () => {
    expect(() => fitRequiredTasks(40, 0.5, 0)).toThrow(/maxTasks must be a whole number >= 1, got 0/);
  });
});

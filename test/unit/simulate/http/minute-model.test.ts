import { describe, expect, it } from 'vitest';
import { HttpServiceModel } from '../../../../shared/simulate/http/minute-model.ts';
import { validateHttpParameters, type HttpParameters } from '../../../../shared/simulate/http/parameters.ts';

const parameters: HttpParameters = { requestsPerSecondPerTask: 50, startupMs: 60_000, sloMs: 500, minCapacity: 1, maxCapacity: 100 };
const model = new HttpServiceModel(parameters);

describe('one minute of requests', () => {
  it('serves every request while utilization is under 1', () => {
    const outcome = model.serve(60 * 90, 2);
    expect(outcome).toMatchObject({ served: 5400, dropped: 0 });
    expect(outcome.utilization).toBeCloseTo(0.9, 12);
  });

  it('drops what is beyond the tasks’ capacity at utilization >= 1, keeping served + dropped = arrived', () => {
    const outcome = model.serve(60 * 150, 2);
    expect(outcome.served).toBe(6000);
    expect(outcome.dropped).toBe(3000);
    expect(outcome.p99Ms).toBe(Number.POSITIVE_INFINITY);
  });

  it('drops everything with no started task', () => {
    expect(model.serve(600, 0)).toMatchObject({ served: 0, dropped: 600 });
  });

  it('gives the M/M/1 p99 for one task', () => {
    expect(model.serve(60 * 30, 1).p99Ms).toBeCloseTo((1000 * Math.log(100)) / 20, 3);
  });
});

describe('capacity meeting the SLO', () => {
  it('finds the fewest tasks whose p99 is within the SLO, and one fewer is not', () => {
    const rate = 1234;
    const tasks = model.leastTasks(rate);
    expect(model.meetsSlo(tasks, rate)).toBe(true);
    expect(model.meetsSlo(tasks - 1, rate)).toBe(false);
  });

  it('needs no task for no requests', () => {
    expect(model.leastTasks(0)).toBe(0);
  });

  it('finds the one-task rate within the SLO that a load test would: mu - ln(100) / SLO for M/M/1', () => {
    expect(model.sloRatePerTask()).toBeCloseTo(50 - Math.log(100) / 0.5, 6);
  });

  it('serves more per task within the SLO as tasks are pooled behind the load balancer', () => {
    const perTaskAt = (tasks: number) => {
      let rate = 0;
      while (model.meetsSlo(tasks, rate + 1)) rate++;
      return rate / tasks;
    };
    expect(perTaskAt(20)).toBeGreaterThan(perTaskAt(2));
  });
});

describe('parameters', () => {
  it('refuses an SLO below the p99 of the service time alone, saying so', () => {
    expect(() => validateHttpParameters({ ...parameters, requestsPerSecondPerTask: 5 })).toThrow(
      /sloMs \(500 ms\) is under the p99 of the service time alone \(921 ms/,
    );
  });

  it('refuses a concurrency that is not a whole number', () => {
    expect(() => validateHttpParameters({ ...parameters, concurrencyPerTask: 1.5 })).toThrow(/concurrencyPerTask must be a whole number/);
  });

  it('refuses a maximum below the minimum', () => {
    expect(() => validateHttpParameters({ ...parameters, minCapacity: 5, maxCapacity: 4 })).toThrow(
      /maxCapacity must be a whole number >= minCapacity/,
    );
  });
});

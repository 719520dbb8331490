// Scenario tests of the request-driven backtest: one rule each, on small synthetic loads.
import { describe, expect, it } from 'vitest';
import { backtestRequests, type HttpPolicyName } from '../../../../shared/simulate/http/index.ts';
import { HttpServiceModel } from '../../../../shared/simulate/http/minute-model.ts';
import type { HttpParameters } from '../../../../shared/simulate/http/parameters.ts';
import { httpPolicySetup } from '../../../../shared/simulate/http/policies.ts';
import { fleetSloRatePerTask } from '../../../../shared/request-scaling/fleet-rate.ts';
import { fitRequiredTasks, requiredTasks } from '../../../../shared/request-scaling/required-tasks.ts';

const parameters: HttpParameters = { requestsPerSecondPerTask: 50, startupMs: 60_000, sloMs: 500, minCapacity: 1, maxCapacity: 100 };
const perMinute = (requestsPerSecond: number) => requestsPerSecond * 60;
const flat = (requestsPerSecond: number, minutes: number) => new Array<number>(minutes).fill(perMinute(requestsPerSecond));
const timeline = (result: ReturnType<typeof backtestRequests>, name: HttpPolicyName) => result.timelines.find((line) => line.name === name)!;
const score = (result: ReturnType<typeof backtestRequests>, name: HttpPolicyName) => result.policies.find((policy) => policy.name === name)!;

describe('conservation', () => {
  it('serves or drops every request that arrives, under every policy', () => {
    const requests = [...flat(100, 60), ...flat(900, 30), ...flat(50, 60)];
    const result = backtestRequests(requests, 0, { ...parameters, maxCapacity: 12 });
    const arrived = requests.reduce((sum, value) => sum + value, 0);
    for (const line of result.timelines) {
      expect(line.requests.arrived).toBeCloseTo(arrived, 6);
      expect(line.requests.served + line.requests.dropped).toBeCloseTo(arrived, 6);
    }
  });
});

describe('the oracle', () => {
  it('meets the SLO every minute when the maximum allows', () => {
    const requests = [...flat(100, 30), ...flat(1500, 30), ...flat(300, 30)];
    expect(score(backtestRequests(requests, 0, parameters, ['oracle']), 'oracle').sloViolationMinutes).toBe(0);
  });

  it('launches a start-up ahead of the minute that needs the tasks', () => {
    const requests = [...flat(30, 10), ...flat(1000, 10)];
    const line = timeline(backtestRequests(requests, 0, parameters, ['oracle']), 'oracle');
    const needed = new HttpServiceModel(parameters).leastTasks(1000);
    expect(line.running[10]).toBe(needed);
    expect(line.capacity[8]).toBe(needed); // launched at the end of minute 8, paid from minute 9, serving from minute 10
  });

  it('is never dearer than a policy that also met the SLO every minute', () => {
    const requests = Array.from({ length: 600 }, (_, minute) => perMinute(300 + 250 * Math.sin(minute / 40)));
    const result = backtestRequests(requests, 0, parameters);
    const oracle = score(result, 'oracle');
    for (const policy of result.policies.filter((candidate) => candidate.sloViolationMinutes === 0))
      expect(policy.taskHours).toBeGreaterThanOrEqual(oracle.taskHours);
  });
});

describe('SLO-violation minutes', () => {
  it('count minutes that drop requests', () => {
    const result = backtestRequests(flat(200, 10), 0, { ...parameters, minCapacity: 1, maxCapacity: 1 }, ['request-count-tracking']);
    expect(score(result, 'request-count-tracking')).toMatchObject({ sloViolationMinutes: 10 });
    expect(score(result, 'request-count-tracking').droppedRequests).toBeCloseTo(10 * perMinute(150), 6);
  });

  it('count minutes whose p99 is over the SLO without dropping', () => {
    // One task at 45 of 50 requests/s: p99 = ln(100) / 5 s = 921 ms, nothing dropped.
    const result = backtestRequests(flat(45, 5), 0, { ...parameters, maxCapacity: 1 }, ['cpu-target-tracking']);
    expect(score(result, 'cpu-target-tracking')).toMatchObject({ sloViolationMinutes: 5, droppedRequests: 0 });
  });
});

describe('target tracking (shared/simulate/scaling-rules.ts)', () => {
  it('scales out on request count only after three datapoints over the target, each published a minute late', () => {
    // 10 tasks at 25 requests/s each, then a step to 45 each: over the guess of 2400 per target per minute.
    const requests = [...flat(250, 20), ...flat(450, 20)];
    const line = timeline(backtestRequests(requests, 0, { ...parameters, minCapacity: 10 }, ['request-count-tracking']), 'request-count-tracking');
    // Minutes 20, 21, 22 are the datapoints over the target; the alarm sees minute 22's at the end of minute 23.
    expect(line.capacity[22]).toBe(10);
    expect(line.capacity[23]).toBeGreaterThan(10);
  });

  it('does not scale in on request count while the load balancer publishes no RequestCount (no requests)', () => {
    const requests = [...flat(500, 5), ...flat(0, 60)];
    const result = backtestRequests(requests, 0, parameters, ['request-count-tracking', 'cpu-target-tracking']);
    const idle = (name: HttpPolicyName) => timeline(result, name).capacity.slice(5);
    expect(Math.min(...idle('request-count-tracking'))).toBe(idle('request-count-tracking')[0]);
    // CPU is published while tasks run, so CPU target tracking does scale in.
    expect(idle('cpu-target-tracking').at(-1)).toBeLessThan(idle('cpu-target-tracking')[0]!);
  });

  it('scales CPU out by at most 100/target at once: CPU stops at 100% however overloaded the tasks are', () => {
    const requests = [...flat(100, 10), ...flat(2000, 10)];
    const result = backtestRequests(requests, 0, { ...parameters, minCapacity: 3, maxCapacity: 100 }, [
      'cpu-target-tracking',
      'request-count-tracking',
    ]);
    const first = (name: HttpPolicyName) => timeline(result, name).capacity.find((capacity, minute) => minute > 10 && capacity > 3)!;
    expect(first('cpu-target-tracking')).toBe(Math.ceil((3 * 100) / 70));
    expect(first('request-count-tracking')).toBeGreaterThan(10);
  });
});

describe('headroom', () => {
  it('tracks RequiredTasksPerTask at 0.7, on the required-tasks curve fitted for 1 to maxCapacity tasks', () => {
    const result = backtestRequests(flat(100, 5), 0, parameters, ['headroom']);
    expect(result.headroomTarget).toBe(0.7);
    expect(result.requiredTasks).toEqual(fitRequiredTasks(result.sloRatePerTask, 0.5, parameters.maxCapacity));
  });

  it('settles a steady load at its required tasks over the target', () => {
    const result = backtestRequests(flat(1000, 60), 0, parameters, ['headroom-reactive']);
    const settled = timeline(result, 'headroom-reactive').capacity.at(-1)!;
    expect(settled).toBe(Math.ceil(requiredTasks(result.requiredTasks!, 1000) / 0.7));
  });

  it('runs a large fleet closer to saturation than a small one, as a pooled M/M/c fleet can', () => {
    const utilizationAt = (requestsPerSecond: number) => {
      const result = backtestRequests(flat(requestsPerSecond, 60), 0, parameters, ['headroom-reactive']);
      return requestsPerSecond / 50 / timeline(result, 'headroom-reactive').capacity.at(-1)!;
    };
    expect(utilizationAt(1500)).toBeGreaterThan(0.68);
    expect(utilizationAt(30)).toBeLessThan(0.61);
  });

  it('keeps one task within the SLO through a rise that a target tight enough for a large fleet misses', () => {
    // A rise of 2 requests/s a minute from 20 on one task: RequiredTasksPerTask calls a second task in time; a static
    // ALBRequestCountPerTarget at 70% of what 30 pooled tasks serve each (the same cost on a large fleet) calls it too late.
    const requests = [...Array.from({ length: 15 }, (_, minute) => perMinute(20 + 2 * minute)), ...flat(48, 10)];
    const configured = { ...parameters, maxCapacity: 10 };
    const largeFleetTarget = fleetSloRatePerTask(new HttpServiceModel(configured).sloRatePerTask(), 0.5, 30) * 60 * 0.7;
    expect(score(backtestRequests(requests, 0, configured, ['headroom-reactive']), 'headroom-reactive').sloViolationMinutes).toBe(0);
    const staticTarget = backtestRequests(requests, 0, configured, ['request-count-tracking'], { guessRequestsPerTarget: largeFleetTarget });
    expect(score(staticTarget, 'request-count-tracking').sloViolationMinutes).toBeGreaterThan(0);
  });

  it('scales out through its latency guard when the p99 breaches the SLO for a minute', () => {
    const setup = httpPolicySetup('headroom-reactive', parameters, 40.8);
    const guard = setup.steps[0]!;
    const breaching = {
      requests: 2400,
      running: 10,
      missing: false,
      outcome: { served: 2400, dropped: 0, utilization: 0.9, overSloShare: 0.05, p99Ms: 800 },
    };
    guard.observe(breaching, 0, 10);
    expect(guard.propose()).toEqual({});
    guard.observe(breaching, 1, 10); // the breaching datapoint, published a minute late
    expect(guard.propose()).toEqual({ direction: 'out', change: 2 }); // +25% of 10, rounded down
  });

  it('adds half the capacity through the guard when the p99 is over twice the SLO', () => {
    const setup = httpPolicySetup('headroom-reactive', parameters, 40.8);
    const guard = setup.steps[0]!;
    const dropping = {
      requests: 6000,
      running: 4,
      missing: false,
      outcome: { served: 4000, dropped: 2000, utilization: 1.5, overSloShare: 1, p99Ms: Number.POSITIVE_INFINITY },
    };
    for (let minute = 0; minute < 2; minute++) guard.observe(dropping, minute, 4);
    expect(guard.propose()).toEqual({ direction: 'out', change: 2 });
  });

  it('raises floors ahead of a daily peak the predictor has seen before, where reactive scaling alone breaks the SLO', () => {
    const day = Array.from({ length: 1440 }, (_, minute) => perMinute(minute >= 600 && minute < 720 ? 1200 : 60));
    const requests = Array.from({ length: 4 }, () => day).flat();
    const result = backtestRequests(requests, Date.UTC(2026, 0, 5), { ...parameters, startupMs: 120_000 }, ['headroom-reactive', 'headroom']);
    const lastDay = (name: HttpPolicyName) =>
      timeline(result, name)
        .p99Ms.slice(3 * 1440)
        .filter((p99) => p99 > parameters.sloMs).length;
    expect(lastDay('headroom-reactive')).toBeGreaterThan(0);
    expect(lastDay('headroom')).toBe(0);
    expect(timeline(result, 'headroom').floor![3 * 1440 + 599]!).toBeGreaterThan(parameters.minCapacity);
  });
});

describe('input', () => {
  it('refuses an unknown policy, naming the known ones', () => {
    expect(() => backtestRequests(flat(1, 1), 0, parameters, ['step' as HttpPolicyName])).toThrow(
      /unknown policy step: use cpu-target-tracking, request-count-tracking/,
    );
  });
});

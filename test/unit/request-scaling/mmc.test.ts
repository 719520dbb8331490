// The M/M/c formulas (Kleinrock, Queueing Systems Vol. 1, 3.5; Harchol-Balter, Performance Modeling and Design
// of Computer Systems, ch. 14) against known values and closed forms.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { erlangC, responseTimes } from '../../../shared/request-scaling/mmc.ts';

describe('Erlang C', () => {
  // Values from the textbook formula C = (a^c / c!)(c / (c - a)) / (sum_{k<c} a^k / k! + (a^c / c!)(c / (c - a))).
  it.each([
    [2, 1, 1 / 3],
    [5, 4, 0.5541125541],
    [10, 8, 0.4091801508],
    [20, 15, 0.1604293874],
  ])('is %d servers at %d Erlangs: %f', (servers, load, expected) => {
    expect(erlangC(servers, load)).toBeCloseTo(expected, 9);
  });

  it('is the utilization for one server (M/M/1: a request waits when the server is busy)', () => {
    expect(erlangC(1, 0.7)).toBeCloseTo(0.7, 12);
  });

  it('is 1 when the offered load reaches the servers (the queue is unstable)', () => {
    expect(erlangC(3, 3)).toBe(1);
  });

  it('is 0 with no load', () => {
    expect(erlangC(3, 0)).toBe(0);
  });

  it('falls as servers are added at the same load (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 200 }), fc.double({ min: 0.01, max: 0.99, noNaN: true }), (servers, rho) => {
        expect(erlangC(servers + 1, servers * rho)).toBeLessThanOrEqual(erlangC(servers, servers * rho) + 1e-12);
      }),
      { numRuns: 300 },
    );
  });
});

describe('response times', () => {
  it('are exponential with rate mu - lambda for one server: p99 = ln(100) / (mu - lambda)', () => {
    const times = responseTimes(1, 30, 50);
    expect(times.exceedance(0.1)).toBeCloseTo(Math.exp(-20 * 0.1), 12);
    expect(times.quantile(0.99)).toBeCloseTo(Math.log(100) / 20, 6);
  });

  it('are the service time alone when no request waits (no load)', () => {
    expect(responseTimes(4, 1e-9, 10).quantile(0.99)).toBeCloseTo(Math.log(100) / 10, 5);
  });

  it('are continuous where the waiting rate equals the service rate (the Erlang-2 case)', () => {
    // c mu - lambda = mu for c = 2, lambda = mu.
    const equal = responseTimes(2, 10, 10).exceedance(0.2);
    const near = responseTimes(2, 10 + 1e-6, 10).exceedance(0.2);
    expect(equal).toBeCloseTo(near, 6);
  });

  it('has a tail that is a probability and never rises with t (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 50 }),
        fc.double({ min: 0.01, max: 0.98, noNaN: true }),
        fc.double({ min: 0, max: 2, noNaN: true }),
        (servers, rho, seconds) => {
          const times = responseTimes(servers, servers * rho * 20, 20);
          const now = times.exceedance(seconds);
          expect(now).toBeGreaterThanOrEqual(-1e-12);
          expect(now).toBeLessThanOrEqual(1 + 1e-12);
          expect(times.exceedance(seconds + 0.01)).toBeLessThanOrEqual(now + 1e-12);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('refuses an unstable queue', () => {
    expect(() => responseTimes(2, 20, 10)).toThrow(/unstable/);
  });
});

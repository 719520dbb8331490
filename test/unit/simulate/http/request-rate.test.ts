import { describe, expect, it } from 'vitest';
import { requestsPerMinute } from '../../../../shared/simulate/http/request-rate.ts';

describe('a trace read as a request rate', () => {
  it('keeps a flat load flat', () => {
    expect(requestsPerMinute({ startMs: 0, stepMs: 300_000, values: [500, 500] })).toEqual(new Array(10).fill(100));
  });

  it('ramps linearly between the middles of coarse steps instead of jumping at their edges', () => {
    const minutes = requestsPerMinute({ startMs: 0, stepMs: 300_000, values: [500, 1000] });
    expect(minutes.slice(0, 3)).toEqual([100, 100, 100]);
    expect(minutes[3]).toBeCloseTo(120, 9);
    expect(minutes[6]).toBeCloseTo(180, 9);
    expect(minutes.slice(7)).toEqual([200, 200, 200]);
  });

  it('reads 1-minute steps as they are', () => {
    expect(requestsPerMinute({ startMs: 0, stepMs: 60_000, values: [1, 7, 3] })).toEqual([1, 7, 3]);
  });

  it('brings no request in a gap, and does not ramp into it', () => {
    expect(requestsPerMinute({ startMs: 0, stepMs: 120_000, values: [200, Number.NaN] })).toEqual([100, 100, 0, 0]);
  });

  it('refuses a step that is not whole minutes', () => {
    expect(() => requestsPerMinute({ startMs: 0, stepMs: 30_000, values: [1] })).toThrow(/whole minutes from 1 minute to 1 hour, got 30 s/);
  });
});

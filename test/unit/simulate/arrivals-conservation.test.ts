import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { arrivalsPerMinute, runBacktest } from '../../../shared/simulate/index.ts';

const START = Date.UTC(2026, 0, 5);
const sum = (values: readonly number[]) => values.reduce((total, value) => total + (Number.isFinite(value) && value > 0 ? value : 0), 0);

describe('arrivals per minute conserve the trace’s messages', () => {
  it.each([90, 100, 150, 45, 3600])('turns 1 msg/s at a %i s step into 60 messages a minute', (stepSeconds) => {
    const steps = Math.ceil(86_400 / stepSeconds);
    const arrivals = arrivalsPerMinute({ startMs: START, stepMs: stepSeconds * 1000, values: new Array<number>(steps).fill(stepSeconds) });
    const whole = Math.floor((steps * stepSeconds) / 60);
    for (const perMinute of arrivals.slice(0, whole)) expect(perMinute).toBeCloseTo(60, 9);
    expect(sum(arrivals)).toBeCloseTo(steps * stepSeconds, 6);
  });

  it('shares a step that straddles a minute between both minutes by overlap', () => {
    expect(arrivalsPerMinute({ startMs: START, stepMs: 90_000, values: [90, 90] })).toEqual([60, 60, 60]);
    expect(arrivalsPerMinute({ startMs: START, stepMs: 40_000, values: [4, 4, 4] })).toEqual([6, 6]);
  });

  it('loses and invents no message for any step from 10 s to 1 h (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 10_000, max: 3_600_000 }),
        fc.array(fc.oneof(fc.double({ min: 0, max: 1e6, noNaN: true }), fc.constant(Number.NaN)), { minLength: 1, maxLength: 200 }),
        fc.double({ min: 0.01, max: 100, noNaN: true }),
        (stepMs, values, scale) => {
          const arrivals = arrivalsPerMinute({ startMs: START, stepMs, values }, scale);
          const expected = scale * sum(values);
          expect(Math.abs(sum(arrivals) - expected)).toBeLessThanOrEqual(1e-9 * Math.max(1, expected));
          expect(arrivals).toHaveLength(Math.ceil((values.length * stepMs) / 60_000));
        },
      ),
      { numRuns: 500 },
    );
  });

  it('simulates exactly the messages the trace holds, whatever its step (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 10, max: 3600 }),
        fc.array(fc.integer({ min: 0, max: 500 }), { minLength: 2, maxLength: 60 }),
        (stepSeconds, values) => {
          const series = { startMs: START, stepMs: stepSeconds * 1000, values };
          const result = runBacktest(series, {
            throughputPerWorker: 1,
            startupMs: 90_000,
            sloMs: 300_000,
            minCapacity: 1,
            maxCapacity: 20,
            policies: ['cpu-target-tracking', 'backlog-target-tracking'],
          });
          for (const { messages } of result.timelines) {
            expect(messages.arrived).toBeCloseTo(sum(values), 6);
            expect(messages.processed + messages.queued).toBeCloseTo(messages.arrived, 6);
          }
        },
      ),
      { numRuns: 100 },
    );
  });
});

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { forecastSeries, InsufficientHistoryError } from '../../../shared/forecast/index.ts';
import type { RegularSeries } from '../../../shared/series/regular-series.ts';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const START = Date.UTC(2026, 0, 5);

function hourly(days: number, value: (hour: number) => number): RegularSeries {
  return { startMs: START, stepMs: HOUR, values: Array.from({ length: days * 24 }, (_, hour) => value(hour)) };
}

const dailyCycle = (hour: number) => 100 + 50 * Math.sin((2 * Math.PI * (hour % 24)) / 24);
const weekdayCycle = (hour: number) => dailyCycle(hour) * (Math.floor(hour / 24) % 7 >= 5 ? 0.5 : 1);

describe('forecastSeries', () => {
  it('starts where the history ends, at the history’s step, for the whole horizon', () => {
    const forecast = forecastSeries(hourly(21, weekdayCycle), { horizonMs: 36 * HOUR });
    expect(forecast.startMs).toBe(START + 21 * DAY);
    expect(forecast.stepMs).toBe(HOUR);
    expect(forecast.p50).toHaveLength(36);
  });

  it('recovers a clean daily and weekly pattern', () => {
    const forecast = forecastSeries(hourly(28, weekdayCycle), { horizonMs: 7 * DAY });
    const actual = Array.from({ length: 7 * 24 }, (_, h) => weekdayCycle(28 * 24 + h));
    const worst = Math.max(...actual.map((value, h) => Math.abs(value - forecast.p50[h]!) / value));
    expect(worst).toBeLessThan(0.02);
  });

  it('falls back, and says so, with less than two weeks of history', () => {
    const forecast = forecastSeries(hourly(4, dailyCycle), { horizonMs: DAY });
    expect(forecast.model).not.toMatch(/weekly/);
    expect(forecast.notes.join(' ')).toMatch(/fewer than two weeks of history/);
  });

  it('forecasts zero for an all-zero series', () => {
    const forecast = forecastSeries(
      hourly(15, () => 0),
      { horizonMs: DAY },
    );
    expect(new Set([...forecast.p50, ...forecast.p90, ...forecast.p99])).toEqual(new Set([0]));
  });

  it('fills gaps for fitting rather than reading them as zero load', () => {
    const series = hourly(21, weekdayCycle);
    const gappy = { ...series, values: series.values.map((value, index) => (index % 10 === 3 ? Number.NaN : value)) };
    const forecast = forecastSeries(gappy, { horizonMs: DAY });
    expect(Math.min(...forecast.p50)).toBeGreaterThan(20);
    expect(forecast.notes.join(' ')).toMatch(/gaps, filled/);
  });

  it('refuses a history that is mostly gaps', () => {
    const series = { startMs: START, stepMs: HOUR, values: Array.from({ length: 100 }, (_, index) => (index % 3 === 0 ? 1 : Number.NaN)) };
    expect(() => forecastSeries(series, { horizonMs: DAY })).toThrow(InsufficientHistoryError);
  });

  it('aggregates to a coarser step by the maximum of each step’s sub-steps', () => {
    const history = hourly(21, weekdayCycle);
    const fine = forecastSeries(history, { horizonMs: DAY });
    const coarse = forecastSeries(history, { horizonMs: DAY, stepMs: 4 * HOUR });
    expect(coarse.p90).toHaveLength(6);
    expect(coarse.p90[0]).toBe(Math.max(...fine.p90.slice(0, 4)));
  });

  it('rejects an unknown model and a step that is not a multiple of the history’s', () => {
    expect(() => forecastSeries(hourly(21, weekdayCycle), { horizonMs: DAY, model: 'prophet' })).toThrow(/unknown model "prophet"/);
    expect(() => forecastSeries(hourly(21, weekdayCycle), { horizonMs: DAY, stepMs: 90 * 60_000 })).toThrow(/multiple of the history's step/);
  });

  it('keeps p50 <= p90 <= p99, non-negative for non-negative data, and is deterministic', () => {
    fc.assert(
      fc.property(fc.array(fc.float({ min: 0, max: 1e4, noNaN: true }), { minLength: 30, maxLength: 400 }), (values) => {
        const series = { startMs: START, stepMs: HOUR, values };
        const forecast = forecastSeries(series, { horizonMs: 12 * HOUR });
        expect(forecastSeries(series, { horizonMs: 12 * HOUR })).toEqual(forecast);
        forecast.p50.forEach((p50, h) => {
          expect(p50).toBeGreaterThanOrEqual(0);
          expect(forecast.p90[h]).toBeGreaterThanOrEqual(p50);
          expect(forecast.p99[h]).toBeGreaterThanOrEqual(forecast.p90[h]!);
        });
      }),
      { numRuns: 60 },
    );
  });
});

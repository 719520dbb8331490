import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { autoregressionNeeds, forecastsAt, seasonalAutoregression } from '../../../shared/forecast/autoregression.ts';
import { forecastSeries } from '../../../shared/forecast/index.ts';
import { seasonalNaive } from '../../../shared/forecast/models.ts';

const HOUR = 3_600_000;
const HOURLY = { daily: 24, weekly: 168 };
const dailyCycle = (hour: number) => 100 + 40 * Math.sin((2 * Math.PI * (hour % 24)) / 24);

/** A daily cycle plus a deviation that fades by 0.8 an hour, kicked by deterministic pseudo-random shocks. */
function cycleWithFadingDeviations(hours: number, seed = 7): number[] {
  let state = seed;
  const shock = () => ((state = (state * 16807) % 2147483647) / 2147483647 - 0.5) * 20;
  let deviation = 0;
  return Array.from({ length: hours }, (_, hour) => {
    deviation = 0.8 * deviation + shock();
    return dailyCycle(hour) + deviation;
  });
}

function meanAbsoluteError(actual: readonly number[], forecast: readonly number[]): number {
  return actual.reduce((sum, value, h) => sum + Math.abs(value - forecast[h]!), 0) / actual.length;
}

describe('seasonalAutoregression', () => {
  it('forecasts the fading of a deviation from the usual day better than the seasonal naive', () => {
    const series = cycleWithFadingDeviations(21 * 24 + 6);
    let autoregressionError = 0;
    let naiveError = 0;
    for (let origin = 20 * 24; origin < 21 * 24; origin += 4) {
      const history = series.slice(0, origin);
      const actual = series.slice(origin, origin + 6);
      autoregressionError += meanAbsoluteError(actual, seasonalAutoregression(history, 6, HOURLY));
      naiveError += meanAbsoluteError(actual, seasonalNaive(24)(history, 6, HOURLY));
    }
    expect(autoregressionError).toBeLessThan(0.8 * naiveError);
  });

  it('stays within the history’s range widened by that range, however the fit iterates', () => {
    const growing = Array.from({ length: 15 * 24 }, (_, hour) => 1.01 ** hour);
    const forecast = seasonalAutoregression(growing, 14 * 24, HOURLY);
    const range = growing[growing.length - 1]! - growing[0]!;
    expect(Math.max(...forecast)).toBeLessThanOrEqual(growing[growing.length - 1]! + range + 1e-6);
    expect(Math.min(...forecast)).toBeGreaterThanOrEqual(growing[0]! - range - 1e-6);
  });

  it('forecasts from many origins at once exactly as it does from each origin’s own history', () => {
    fc.assert(
      fc.property(
        fc
          .integer({ min: 5, max: 24 })
          .chain((days) =>
            fc.tuple(
              fc.array(fc.double({ min: 0, max: 1000, noNaN: true }), { minLength: days * 24, maxLength: days * 24 }),
              fc.uniqueArray(fc.integer({ min: autoregressionNeeds(24), max: days * 24 }), { minLength: 1, maxLength: 14 }),
            ),
          ),
        ([noise, origins]) => {
          const history = noise.map((value, hour) => dailyCycle(hour) * 10 + value);
          const together = forecastsAt(history, origins, 12, HOURLY);
          origins.forEach((origin, index) => {
            const alone = seasonalAutoregression(history.slice(0, origin), 12, HOURLY);
            alone.forEach((value, h) => expect(together[index]![h]!).toBeCloseTo(value, 6));
          });
        },
      ),
      { numRuns: 40 },
    );
  });

  it('is a candidate for hourly data, where the forecaster can choose it', () => {
    const forecast = forecastSeries(
      { startMs: 0, stepMs: HOUR, values: cycleWithFadingDeviations(21 * 24) },
      { horizonMs: 24 * HOUR, model: 'seasonal-autoregression' },
    );
    expect(forecast.model).toBe('seasonal-autoregression');
    expect(forecast.p50).toHaveLength(24);
  });

  it('is not offered at 5-minute steps, and the error says so', () => {
    const fiveMinutes = { startMs: 0, stepMs: 300_000, values: Array.from({ length: 3 * 288 }, (_, i) => dailyCycle(i / 12)) };
    expect(() => forecastSeries(fiveMinutes, { horizonMs: HOUR, model: 'seasonal-autoregression' })).toThrow(
      /not offered at a 5-minute step: use auto or one of/,
    );
  });
});

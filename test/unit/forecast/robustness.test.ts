import { describe, expect, it } from 'vitest';
import { forecastSeries } from '../../../shared/forecast/index.ts';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const dailyCycle = (hour: number) => 100 + 50 * Math.sin((2 * Math.PI * (hour % 24)) / 24);

/** Deterministic standard normal noise (Box-Muller over a Park-Miller generator). */
function noise(seed: number): () => number {
  let state = seed;
  const uniform = () => (state = (state * 16807) % 2147483647) / 2147483647;
  return () => Math.sqrt(-2 * Math.log(uniform())) * Math.cos(2 * Math.PI * uniform());
}

function hourly(values: number[]) {
  return { startMs: Date.UTC(2026, 0, 5), stepMs: HOUR, values };
}

describe('forecastSeries on awkward histories', () => {
  it('does not repeat a one-hour spike of three days ago at its full height', () => {
    const values = Array.from({ length: 21 * 24 }, (_, hour) => dailyCycle(hour));
    const spikeHour = 18 * 24 + 12;
    values[spikeHour] = 10 * dailyCycle(spikeHour);
    const forecast = forecastSeries(hourly(values), { horizonMs: DAY });
    const usual = dailyCycle(spikeHour);
    expect(forecast.p50[12]!).toBeLessThan(usual + 0.5 * (values[spikeHour]! - usual));
  });

  it('follows a level shift: after three days at twice the load, forecasts nearer the new level than the old', () => {
    const values = Array.from({ length: 21 * 24 }, (_, hour) => dailyCycle(hour) * (hour >= 18 * 24 ? 2 : 1));
    const forecast = forecastSeries(hourly(values), { horizonMs: DAY });
    const forecastMean = forecast.p50.reduce((sum, value) => sum + value, 0) / 24;
    expect(forecastMean).toBeGreaterThan(1.5 * 100);
  });

  it('forecasts a flat series flat, with bands that do not invent variation', () => {
    const forecast = forecastSeries(hourly(Array(15 * 24).fill(42)), { horizonMs: DAY });
    expect(new Set(forecast.p50)).toEqual(new Set([42]));
    expect(Math.max(...forecast.p99)).toBeLessThanOrEqual(42 * 1.01);
  });

  it('puts about 90% of held-back actuals at or below the p90 of a noisy seasonal series', () => {
    const draw = noise(11);
    const values = Array.from({ length: 42 * 24 }, (_, hour) => dailyCycle(hour) * (1 + 0.15 * draw()));
    let covered = 0;
    let count = 0;
    for (let origin = 21 * 24; origin + 24 <= values.length; origin += 24) {
      const forecast = forecastSeries(hourly(values.slice(origin - 21 * 24, origin)), { horizonMs: DAY });
      values.slice(origin, origin + 24).forEach((actual, h) => {
        covered += actual <= forecast.p90[h]! ? 1 : 0;
        count++;
      });
    }
    expect(covered / count).toBeGreaterThan(0.84);
    expect(covered / count).toBeLessThan(0.96);
  });

  it('a week after the load falls to an eighth, bands within 3x of a series always at the new level, not 7x as at the old level', () => {
    const meanBandAboveMedian = (fallFactor: number) => {
      let sum = 0;
      for (const seed of [11, 12, 13]) {
        const draw = noise(seed);
        const values = Array.from({ length: 21 * 24 }, (_, hour) => dailyCycle(hour) * (hour < 14 * 24 ? fallFactor : 1) * (1 + 0.15 * draw()));
        const forecast = forecastSeries(hourly(values), { horizonMs: DAY });
        sum += forecast.p90.reduce((total, p90, h) => total + p90 - forecast.p50[h]!, 0) / 24;
      }
      return sum / 3;
    };
    expect(meanBandAboveMedian(8)).toBeLessThan(3 * meanBandAboveMedian(1));
  });

  it('a day after the load falls, with no backtest day at the new level yet, keeps the wide bands it measured', () => {
    const draw = noise(11);
    const values = Array.from({ length: 21 * 24 }, (_, hour) => dailyCycle(hour) * (hour < 20 * 24 ? 8 : 1) * (1 + 0.15 * draw()));
    const forecast = forecastSeries(hourly(values), { horizonMs: DAY });
    const bandAboveMedian = forecast.p90.reduce((total, p90, h) => total + p90 - forecast.p50[h]!, 0) / 24;
    expect(bandAboveMedian).toBeGreaterThan(100);
  });
});

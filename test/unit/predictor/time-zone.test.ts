import { describe, expect, it } from 'vitest';
import { forecastInZone } from '../../../shared/predictor/local-time.ts';
import { forecastTarget, planForecast, type PlannedTarget } from '../../../shared/predictor/plan-target.ts';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const ZONE = 'America/New_York';
const localHour = (utcMs: number) => Number(new Date(utcMs).toLocaleString('en-US', { timeZone: ZONE, hour: 'numeric', hourCycle: 'h23' }));

/** Three weeks of hourly load that peaks at 60/s from 09:00 to 10:00 New York time every day, 5/s otherwise. */
function morningPeak(endMs: number) {
  const startMs = endMs - 21 * DAY;
  return { startMs, stepMs: HOUR, values: Array.from({ length: 21 * 24 }, (_, index) => (localHour(startMs + index * HOUR) === 9 ? 60 : 5)) };
}

const target = {
  workload: 'office',
  unitThroughput: 1,
  targetUtilization: 1,
  leadTimeSeconds: 0,
  quantile: 'p50' as const,
  minCapacity: 1,
  maxCapacity: 100,
};

describe.each([
  // 2026-11-01: clocks go back at 02:00 EDT; 09:00 local is 14:00 UTC that day, 13:00 UTC the day before.
  { change: 'the fall-back day (EDT to EST)', dayStartMs: Date.UTC(2026, 10, 1, 4), peakUtcHour: 14, dayBeforePeakUtcHour: 13 },
  // 2026-03-08: clocks go forward at 02:00 EST; 09:00 local is 13:00 UTC that day, 14:00 UTC the day before.
  { change: 'the spring-forward day (EST to EDT)', dayStartMs: Date.UTC(2026, 2, 8, 5), peakUtcHour: 13, dayBeforePeakUtcHour: 14 },
])('seasonality in the workload’s time zone, on $change', ({ dayStartMs, peakUtcHour, dayBeforePeakUtcHour }) => {
  const history = morningPeak(dayStartMs);
  const peakMs = Date.UTC(new Date(dayStartMs).getUTCFullYear(), new Date(dayStartMs).getUTCMonth(), new Date(dayStartMs).getUTCDate(), peakUtcHour);

  it('forecasts the local 09:00 peak at its new UTC hour', () => {
    const forecast = forecastInZone(history, { horizonMs: DAY }, ZONE);
    const at = (ms: number) => forecast.p50[Math.round((ms - forecast.startMs) / HOUR)]!;
    expect(forecast.startMs).toBe(dayStartMs);
    expect(at(peakMs)).toBeGreaterThan(50);
    expect(at(peakMs + (dayBeforePeakUtcHour - peakUtcHour) * HOUR)).toBeLessThan(15);
  });

  it('plans the floor for the peak hour in UTC, where a UTC-only forecast would plan it an hour off', () => {
    const plan = (planned: PlannedTarget) =>
      planForecast(planned, forecastTarget(planned, history, 24), { horizonHours: 24, actionBudget: 100 }).plan;
    const zoned = plan({ ...target, timeZone: ZONE });
    const utcOnly = plan({ ...target, timeZone: 'UTC' });
    const floorAt = (plan: typeof zoned, ms: number) => plan.steps.find((step) => step.startMs <= ms && ms < step.endMs)?.minCapacity ?? 1;
    expect(floorAt(zoned, peakMs)).toBeGreaterThanOrEqual(60);
    expect(floorAt(utcOnly, peakMs)).toBeLessThan(60);
  });
});

describe('forecastInZone', () => {
  it('is forecastSeries itself in UTC', () => {
    const history = morningPeak(Date.UTC(2026, 5, 1));
    const utc = forecastInZone(history, { horizonMs: DAY }, 'UTC');
    expect(utc.notes.join()).not.toMatch(/cycles in/);
    expect(forecastInZone(history, { horizonMs: DAY }, ZONE).notes.join()).toMatch(/daily and weekly cycles in America\/New_York/);
  });
});

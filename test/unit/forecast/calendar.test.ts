import { describe, expect, it } from 'vitest';
import { detectLowDays, forgetDays } from '../../../shared/forecast/calendar.ts';
import { forecastInZone } from '../../../shared/predictor/local-time.ts';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
/** Monday 2026-11-02 00:00 UTC. */
const START = Date.UTC(2026, 10, 2);
/** Weekdays busy (peak 80 at midday), weekends quiet (peak 20). */
const load = (hour: number) => {
  const weekend = Math.floor(hour / 24) % 7 >= 5;
  return (weekend ? 5 : 10) + (weekend ? 15 : 70) * Math.max(0, Math.sin((Math.PI * ((hour % 24) - 6)) / 12));
};
/** Three weeks of hourly history from START, with some days replaced. */
function history(days = 21, replace: Record<number, (hour: number) => number> = {}) {
  return {
    startMs: START,
    stepMs: HOUR,
    values: Array.from({ length: days * 24 }, (_, hour) => (replace[Math.floor(hour / 24)] ?? load)(hour)),
  };
}
const utc = (ms: number) => ms;
const date = (day: number) => new Date(START + day * DAY).toISOString().slice(0, 10);
const dayOf = (values: readonly number[], day: number) => values.slice(day * 24, day * 24 + 24);
const sum = (values: readonly number[]) => values.reduce((total, value) => total + value, 0);

describe('days to forget', () => {
  it('detects an outage day by its rule (mean below half the median of the same weekday), not a busy one', () => {
    const series = history(21, { 9: (hour) => 0.2 * load(hour), 16: (hour) => 3 * load(hour) });
    expect(detectLowDays(series)).toEqual([date(9)]);
  });

  it('forgets holidays, declared days, detected days and past events as gaps, and says which', () => {
    const eventStart = START + 3 * DAY + 12 * HOUR;
    const { series, notes } = forgetDays(
      history(21, { 10: () => 0 }),
      { holidays: [date(2)], forgetDays: [date(5)], events: [{ startMs: eventStart, endMs: eventStart + 2 * HOUR, multiplier: 2 }] },
      utc,
    );
    for (const day of [2, 5, 10]) expect(dayOf(series.values, day).every(Number.isNaN)).toBe(true);
    expect(series.values.slice(3 * 24 + 12, 3 * 24 + 14).every(Number.isNaN)).toBe(true);
    expect(Number.isNaN(series.values[3 * 24 + 14]!)).toBe(false);
    expect(notes.join('\n')).toMatch(
      new RegExp(
        `holidays.*${date(2)}[\\s\\S]*declared days.*${date(5)}[\\s\\S]*2 step\\(s\\) of past declared events[\\s\\S]*low days.*${date(10)}`,
      ),
    );
  });
});

describe('forecasts that know the calendar', () => {
  const horizon = { horizonMs: DAY };

  it('forecasts a holiday ahead like a Sunday, not like the weekday it falls on', () => {
    const past = history(21);
    // The history ends on a Sunday night: the next day is a Monday.
    const plain = forecastInZone(past, horizon, 'UTC');
    const holiday = forecastInZone(past, horizon, 'UTC', { holidays: [date(21)] });
    expect(sum(holiday.p50)).toBeLessThan(0.4 * sum(plain.p50));
    expect(Math.max(...holiday.p50)).toBeLessThan(25);
    for (let index = 0; index < 24; index++) expect(holiday.p90[index]!).toBeGreaterThanOrEqual(holiday.p50[index]!);
    expect(holiday.notes.join('\n')).toMatch(/on a holiday forecast like a Sunday/);
  });

  it('does not let an outage day in the history pull the same weekday down a week later', () => {
    // Day 14 is a Monday outage; the next day forecast (day 21) is a Monday.
    const past = history(21, { 14: (hour) => 0.1 * load(hour) });
    const plain = forecastInZone(past, horizon, 'UTC');
    const calendar = forecastInZone(past, horizon, 'UTC', {});
    const truth = dayOf(history(22).values, 21);
    const error = (forecast: readonly number[]) => sum(forecast.map((value, index) => Math.abs(value - truth[index]!)));
    expect(error(calendar.p50)).toBeLessThan(error(plain.p50));
    expect(calendar.notes.join('\n')).toMatch(/low days detected/);
  });

  it('plans a declared event: its multiplier over its window only, or at least its expected load', () => {
    const past = history(21);
    const end = START + 21 * DAY;
    const plain = forecastInZone(past, horizon, 'UTC', {});
    const sale = forecastInZone(past, horizon, 'UTC', { events: [{ startMs: end + 10 * HOUR, endMs: end + 12 * HOUR, multiplier: 3 }] });
    const launch = forecastInZone(past, horizon, 'UTC', { events: [{ startMs: end + 2 * HOUR, endMs: end + 3 * HOUR, expectedLoad: 500 }] });
    expect(sale.p50[10]).toBeCloseTo(3 * plain.p50[10]!, 6);
    expect(sale.p90[11]).toBeCloseTo(3 * plain.p90[11]!, 6);
    expect(sale.p50[12]).toBe(plain.p50[12]);
    expect(launch.p50[2]).toBe(500);
    expect(launch.p50[3]).toBe(plain.p50[3]);
  });
});

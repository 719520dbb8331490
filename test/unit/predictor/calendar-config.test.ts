import { describe, expect, it } from 'vitest';
import { parsePredictorTarget } from '../../../shared/predictor/config.ts';
import { forecastTarget } from '../../../shared/predictor/plan-target.ts';

const base = { workload: 'orders', resourceId: 'service/main/orders', load: [{ namespace: 'X', metricName: 'Y' }], unitThroughput: 1 };
const parse = (calendar: unknown) => parsePredictorTarget({ ...base, calendar }, 'config.targets[0]');

describe("a target's calendar", () => {
  it('reads holidays, days to forget and events, with event windows as instants', () => {
    const target = parse({
      holidays: ['2026-11-26'],
      forgetDays: ['2026-11-03'],
      events: [{ start: '2026-11-27T08:00:00Z', end: '2026-11-27T20:00:00Z', multiplier: 2.5 }],
    });
    expect(target.calendar).toEqual({
      holidays: ['2026-11-26'],
      forgetDays: ['2026-11-03'],
      detectLowDays: true,
      events: [{ startMs: Date.UTC(2026, 10, 27, 8), endMs: Date.UTC(2026, 10, 27, 20), multiplier: 2.5 }],
    });
  });

  it.each([
    [{ holidays: ['26/11/2026'] }, /calendar\.holidays must be an array of local dates "YYYY-MM-DD"/],
    [{ forgetDays: 'yesterday' }, /calendar\.forgetDays must be an array of local dates/],
    [{ events: [{ start: 'soon', end: '2026-11-27T20:00:00Z', multiplier: 2 }] }, /calendar\.events\[0\]\.start must be an ISO 8601 instant/],
    [{ events: [{ start: '2026-11-27T20:00:00Z', end: '2026-11-27T08:00:00Z', multiplier: 2 }] }, /events\[0\]\.end must be after/],
    [{ events: [{ start: '2026-11-27T08:00:00Z', end: '2026-11-27T20:00:00Z' }] }, /must give a multiplier .* or an expectedLoad/],
    [{ events: [{ start: '2026-11-27T08:00:00Z', end: '2026-11-27T20:00:00Z', multiplier: -1 }] }, /multiplier must be a positive number/],
    [{ detectLowDays: 'no' }, /calendar\.detectLowDays must be true or false/],
  ])('rejects %j, naming the field', (calendar, message) => {
    expect(() => parse(calendar)).toThrow(message);
  });

  it('shapes the forecast the predictor plans from', () => {
    const HOUR = 3_600_000;
    const start = Date.UTC(2026, 10, 2); // a Monday
    const values = Array.from({ length: 21 * 24 }, (_, hour) => (Math.floor(hour / 24) % 7 >= 5 ? 5 : 50));
    const window = { startMs: start, stepMs: HOUR, values };
    const plain = forecastTarget(parse({}), window, 24);
    const holiday = forecastTarget(parse({ holidays: ['2026-11-23'] }), window, 24);
    expect(Math.max(...plain.p50)).toBeGreaterThan(40);
    expect(Math.max(...holiday.p50)).toBeLessThan(10);
  });
});

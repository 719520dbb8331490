import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatTimestamp, parseTimestamp } from '../../../shared/series/timestamp.ts';

describe('parseTimestamp', () => {
  it('reads every instant from year 0 to 9999 as Date does, in each form it takes (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: -62_167_219_200_000, max: 253_402_300_799_999 }), (ms) => {
        const iso = new Date(ms).toISOString();
        expect(parseTimestamp(iso)).toBe(ms);
        const whole = ms - (((ms % 1000) + 1000) % 1000);
        expect(parseTimestamp(formatTimestamp(whole))).toBe(whole);
        expect(parseTimestamp(`${iso.slice(0, 19)}+02:00`)).toBe(whole - 7_200_000);
      }),
      { numRuns: 2000 },
    );
  });

  it.each([
    'x024-01-01 00:00:00',
    '2024-01-01 0a:00:00',
    '2024-01-01 00:00:0',
    '2024-01-01  00:00:00',
    '2024/01/01 00:00:00',
    '20240101T000000Z',
    ' 2024-01-01',
  ])('refuses %j', (text) => {
    expect(() => parseTimestamp(text)).toThrow('is not a time such as');
  });

  it('takes a date alone as its midnight, UTC', () => {
    expect(parseTimestamp('2015-01-20')).toBe(Date.UTC(2015, 0, 20));
  });
});

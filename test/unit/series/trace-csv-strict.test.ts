import { describe, expect, it } from 'vitest';
import { parseTraceCsv, readTraceCsv, TraceCsvReader, TraceFormatError } from '../../../shared/series/trace-csv.ts';

const rows = (...lines: string[]) => ['timestamp,value', ...lines].join('\n');
const fiveMinutes = (count: number, value = (index: number) => String(index)) =>
  Array.from(
    { length: count },
    (_, index) => `${new Date(Date.UTC(2026, 0, 5) + index * 300_000).toISOString().slice(0, 19).replace('T', ' ')},${value(index)}`,
  );

describe('the trace reader refuses what it would otherwise misread', () => {
  it.each([
    ['2015-13-01 00:00:00', 'month 13: it must be 1-12'],
    ['2015-02-30 00:00:00', 'day 30: it must be 1-28'],
    ['2016-02-30 00:00:00', 'day 30: it must be 1-29'],
    ['2015-04-31 00:00:00', 'day 31: it must be 1-30'],
    ['2015-01-01 24:00:00', 'hour 24: it must be 0-23'],
    ['2015-01-01 00:60:00', 'minute 60: it must be 0-59'],
    ['2015-01-01 00:14:60', 'second 60: it must be 0-59'],
    ['2015-00-10 00:00:00', 'month 0: it must be 1-12'],
    ['2015-01-01 00:00:00+25:00', 'a zone offset of hours 25'],
    ['2015-1-01 00:00:00', 'is not a time such as'],
  ])('a timestamp that would roll over or is malformed: %s', (timestamp, detail) => {
    const read = () => parseTraceCsv(rows('2014-12-31 23:55:00,1', `${timestamp},2`));
    expect(read).toThrow(TraceFormatError);
    expect(read).toThrow(`line 3, column timestamp: `);
    expect(read).toThrow(detail);
  });

  it.each(['0x10', '0b1', '0o7', '1e', '1e+', 'Infinity', '1_000', '1,5', '12abc', '--1', '.'])(
    'a value that is not a plain decimal: %s',
    (value) => {
      expect(() => parseTraceCsv(rows('2015-01-01 00:00:00,1', `2015-01-01 00:05:00,${value}`))).toThrow(
        /line 3, column value: expected (a number|2 columns)/,
      );
    },
  );

  it('a value too large to be a number', () => {
    expect(() => parseTraceCsv(rows('2015-01-01 00:00:00,1', '2015-01-01 00:05:00,1e400'))).toThrow('line 3, column value: "1e400" is too large');
  });

  it('a negative load, naming its line', () => {
    expect(() => parseTraceCsv(rows('2015-01-01 00:00:00,1', '2015-01-01 00:05:00,2', '2015-01-01 00:10:00,-0.5'))).toThrow(
      'line 4, column value: -0.5 is negative',
    );
  });

  it('a timestamp years after the rest, before laying out a grid for it', () => {
    const read = () => parseTraceCsv(rows(...fiveMinutes(3), '9999-01-01 00:00:00,5'));
    expect(read).toThrow(
      /line 5, column timestamp: the trace cannot be used: over 99.9% of it is gaps \(at most 50% allowed\).*widest jump is from line 4 \(2026-01-05 00:10:00\) to line 5 \(9999-01-01 00:00:00\)/,
    );
  });

  it('a trace that is more than half gaps (the rule forecast and backtest share)', () => {
    const sparse = fiveMinutes(21).filter((_, index) => index < 5 || index === 20);
    expect(() => parseTraceCsv(rows(...sparse))).toThrow(
      '71.4% of it is gaps (at most 50% allowed): 0 empty value(s) and 15 missing row(s) at its 300 s step',
    );
  });

  it('a row off the trace’s step, naming that row', () => {
    expect(() => parseTraceCsv(rows(...fiveMinutes(4), '2026-01-05 00:22:30,1'))).toThrow("line 6, column timestamp: not on the trace's 300 s step");
  });

  it('rows with no common step, naming where that shows', () => {
    const stamp = (ms: number) => `${new Date(ms).toISOString().slice(0, 19).replace('T', ' ')},1`;
    const jittered = Array.from({ length: 100 }, (_, index) => stamp(Date.UTC(2026, 0, 5) + index * 60_000 + ((index * 7) % 13) * 1000));
    expect(() => parseTraceCsv(rows(...jittered))).toThrow(
      /line \d+, column timestamp: not on the trace's \d+ s step, the spacing most of its rows have/,
    );
    let time = Date.UTC(2026, 0, 5);
    const widening = Array.from({ length: 1100 }, (_, index) => stamp((time += (60 + index) * 1000)));
    expect(() => parseTraceCsv(rows(...widening))).toThrow('line 1003, column timestamp: the rows are 1000+ different distances apart by here');
  });

  it('an empty file, a file of a header only, and a very long row', () => {
    expect(() => new TraceCsvReader().finish()).toThrow('line 1, column header: the file is empty');
    expect(() => parseTraceCsv('timestamp,value\n')).toThrow('a trace needs at least two rows of data, found 0');
    expect(() => parseTraceCsv(rows('2015-01-01 00:00:00,1', `2015-01-01 00:05:00,${'9'.repeat(300)}`))).toThrow(
      'line 3, column value: the row is 320 characters long',
    );
  });
});

describe('the trace reader takes what real files hold', () => {
  it('a byte-order mark, Windows line breaks, a T, a Z, an offset and fractional seconds', () => {
    const series = parseTraceCsv('\uFEFFtimestamp,value\r\n2015-01-01T00:00:00Z,1\r\n2015-01-01 01:05:00+01:00,2\r\n2015-01-01T00:10:00.000,3\r\n');
    expect(series).toEqual({ startMs: Date.UTC(2015, 0, 1), stepMs: 300_000, values: [1, 2, 3] });
  });

  it('decimals with an exponent, and NaN or an empty value as a gap', () => {
    expect(
      parseTraceCsv(rows('2015-01-01 00:00:00,1.5e2', '2015-01-01 00:05:00,NaN', '2015-01-01 00:10:00,.5', '2015-01-01 00:15:00,')).values,
    ).toEqual([150, Number.NaN, 0.5, Number.NaN]);
  });

  it('years before 100 as themselves, not as 19xx', () => {
    expect(parseTraceCsv(rows('0099-01-01 00:00:00,1', '0099-01-01 00:05:00,2')).startMs).toBe(new Date('0099-01-01T00:00:00Z').getTime());
  });

  it('keeps only the rows before the window’s end, with the missing steps before it as gaps', () => {
    const lines = fiveMinutes(12);
    lines.splice(5, 1);
    const read = readTraceCsv(rows(...lines), { untilMs: Date.UTC(2026, 0, 5, 0, 30) });
    expect(read.series.values).toEqual([0, 1, 2, 3, 4, Number.NaN]);
    expect(read.lastMs).toBe(Date.UTC(2026, 0, 5, 0, 55));
  });

  it('still checks the rows after the window’s end', () => {
    expect(() => readTraceCsv(rows(...fiveMinutes(4), '2026-01-05 00:20:00,-1'), { untilMs: Date.UTC(2026, 0, 5, 0, 5) })).toThrow(
      'line 6, column value: -1 is negative',
    );
  });
});

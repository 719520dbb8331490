import { describe, expect, it } from 'vitest';
import { parseTraceCsv, TraceFormatError } from '../../../shared/series/trace-csv.ts';

describe('parseTraceCsv', () => {
  it('reads timestamps as UTC and infers the step', () => {
    const series = parseTraceCsv('timestamp,value\n2014-04-10 00:00:00,5\n2014-04-10 00:05:00,7\n');
    expect(series).toEqual({ startMs: Date.UTC(2014, 3, 10), stepMs: 300_000, values: [5, 7] });
  });

  it('marks a missing row as a gap, not a zero', () => {
    const series = parseTraceCsv('timestamp,value\n2014-04-10 00:00:00,5\n2014-04-10 00:05:00,7\n2014-04-10 00:15:00,9\n2014-04-10 00:20:00,1\n');
    expect(series.values).toEqual([5, 7, Number.NaN, 9, 1]);
  });

  it('names the line and column of a value that is not a number', () => {
    const parse = () => parseTraceCsv('timestamp,value\n2014-04-10 00:00:00,5\n2014-04-10 00:05:00,lots\n');
    expect(parse).toThrow(TraceFormatError);
    expect(parse).toThrow('line 3, column value: expected a number, got "lots"');
  });

  it('names the line of a malformed timestamp', () => {
    expect(() => parseTraceCsv('timestamp,value\n10/04/2014,5\n')).toThrow('line 2, column timestamp');
  });

  it('rejects a file without the timestamp,value header', () => {
    expect(() => parseTraceCsv('time;count\n')).toThrow('line 1, column header');
  });

  it('rejects timestamps that go backwards', () => {
    expect(() => parseTraceCsv('timestamp,value\n2014-04-10 00:05:00,5\n2014-04-10 00:00:00,6\n')).toThrow(
      'line 3, column timestamp: timestamps must increase',
    );
  });
});

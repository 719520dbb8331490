import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { readTraceCsv, TraceFormatError } from '../../../shared/series/trace-csv.ts';
import { formatTimestamp } from '../../../shared/series/timestamp.ts';
import type { RegularSeries } from '../../../shared/series/regular-series.ts';

/** Reads `text`; anything the reader throws must be its own clear error, and anything it returns a usable series. */
function readsOrSaysWhy(text: string): void {
  let series: RegularSeries;
  try {
    series = readTraceCsv(text).series;
  } catch (error) {
    if (!(error instanceof TraceFormatError)) throw error;
    expect(error.message).toMatch(/^line \d+, column (header|timestamp|value): \S/);
    expect(error.line).toBeGreaterThanOrEqual(1);
    return;
  }
  expect(series.stepMs).toBeGreaterThan(0);
  expect(Number.isFinite(series.startMs)).toBe(true);
  expect(series.values.length).toBeGreaterThanOrEqual(2);
  const known = series.values.filter((value) => Number.isFinite(value));
  // The gap rule bounds the grid by the rows read: never more than twice the values it holds.
  expect(known.length * 2).toBeGreaterThanOrEqual(series.values.length);
  for (const value of series.values) expect(Number.isNaN(value) || value >= 0).toBe(true);
}

const cell = fc.oneof(
  { weight: 30, arbitrary: fc.integer({ min: 0, max: 1e6 }).map(String) },
  { weight: 10, arbitrary: fc.double({ min: 0, max: 1e9, noNaN: true }).map(String) },
  fc.constantFrom('', 'NaN', 'nan', '-1', '0x10', '1e', '1e5', '.5', '5.', 'Infinity', '1,2', ' 7 ', '-0', '+3', '١٢', '\u0000', '"5"'),
  fc.string({ maxLength: 6 }),
);
const stepsMs = fc.constantFrom(10_000, 60_000, 90_000, 300_000, 1_800_000, 3_600_000, 86_400_000);
const timestampMutation = fc.oneof(
  { weight: 60, arbitrary: fc.constant((ms: number) => formatTimestamp(ms)) },
  fc.constant((ms: number) => new Date(ms).toISOString()),
  fc.constant((ms: number) => formatTimestamp(ms + 1000)),
  fc.constant((ms: number) => formatTimestamp(ms).replace(/-\d\d /, '-31 ')),
  fc.constant((ms: number) => formatTimestamp(ms).replace(/ \d\d:/, ' 24:')),
  fc.constant((ms: number) => formatTimestamp(ms).replace(/^\d{4}/, '9999')),
  fc.constant((ms: number) => formatTimestamp(ms).replace(/-\d\d-/, '-13-')),
  fc.constant((ms: number) => formatTimestamp(ms).slice(0, 10)),
  fc.constant((ms: number) => `${formatTimestamp(ms)}+05:30`),
  fc.constant(() => 'yesterday'),
);
const row = fc.record({
  skip: fc.constantFrom(false, false, false, false, true),
  timestamp: timestampMutation,
  value: cell,
  extra: fc.oneof({ weight: 30, arbitrary: fc.constant(null) }, cell),
});

/** A trace with a few things wrong (or none): rows on a step, some skipped, mutated, or with odd values. */
const nearValidTrace = fc
  .record({
    header: fc.oneof(
      { weight: 10, arbitrary: fc.constantFrom('timestamp,value', 'Timestamp, Value', '\uFEFFtimestamp,value') },
      fc.constantFrom('time,value', 'timestamp;value', ''),
    ),
    startMs: fc.integer({ min: Date.UTC(1990, 0, 1), max: Date.UTC(2040, 0, 1) }).map((ms) => ms - (ms % 60_000)),
    stepMs: stepsMs,
    rows: fc.array(row, { minLength: 0, maxLength: 40 }),
    lineBreak: fc.constantFrom('\n', '\r\n', '\r'),
    edits: fc.oneof(
      { weight: 3, arbitrary: fc.constant([]) },
      fc.array(
        fc.tuple(fc.nat(), fc.constantFrom('delete', 'insert', 'replace'), fc.constantFrom(',', '\n', ' ', '-', ':', '9', '.', 'e', 'x', '\r')),
        { minLength: 1, maxLength: 3 },
      ),
    ),
  })
  .map(({ header, startMs, stepMs, rows, lineBreak, edits }) => {
    let text = [
      header,
      ...rows.flatMap((row, index) =>
        row.skip ? [] : [`${row.timestamp(startMs + index * stepMs)},${row.value}${row.extra === null ? '' : `,${row.extra}`}`],
      ),
    ].join(lineBreak);
    for (const [at, edit, character] of edits) {
      const index = text.length === 0 ? 0 : at % text.length;
      text =
        edit === 'delete'
          ? text.slice(0, index) + text.slice(index + 1)
          : edit === 'insert'
            ? text.slice(0, index) + character + text.slice(index)
            : text.slice(0, index) + character + text.slice(index + 1);
    }
    return text;
  });

describe('the trace reader, fuzzed (every outcome is a series or its own clear error; nothing hangs)', () => {
  it('random byte strings', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), fc.boolean(), (bytes, withHeader) => {
        const text = Buffer.from(bytes).toString('utf8');
        readsOrSaysWhy(withHeader ? `timestamp,value\n${text}` : text);
      }),
      { numRuns: 5000 },
    );
  });

  it('random near-valid traces', () => {
    fc.assert(fc.property(nearValidTrace, readsOrSaysWhy), { numRuns: 6000 });
  });
});

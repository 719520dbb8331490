import { tooManyGaps } from '../forecast/gaps.ts';
import type { RegularSeries } from './regular-series.ts';
import { formatTimestamp, parseTimestamp, TimestampError } from './timestamp.ts';

/** A malformed trace, with the 1-based line and the column at fault. The reader throws nothing else. */
export class TraceFormatError extends Error {
  constructor(
    readonly line: number,
    readonly column: 'header' | 'timestamp' | 'value',
    detail: string,
  ) {
    super(`line ${line}, column ${column}: ${detail}`);
    this.name = 'TraceFormatError';
  }
}

/** The part of the trace to keep: rows from `untilMs` on are still checked, but not kept. */
export interface TraceWindow {
  readonly untilMs?: number;
}

/** A trace as read: the series inside the window, and the span of the whole file. */
export interface TraceRead {
  readonly series: RegularSeries;
  readonly firstMs: number;
  readonly lastMs: number;
}

/** Plain decimals, with an optional exponent: not hex, octal, binary, `Infinity` or an empty exponent. */
const DECIMAL = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;
/** A row longer than this is not a `timestamp,value` row, and is not echoed back whole. */
const MAX_ROW_LENGTH = 200;
/** More different spacings between rows than this and the trace has no step (and the tally stays small). */
const MAX_DISTINCT_SPACINGS = 1000;

const gcd = (a: number, b: number): number => {
  while (b !== 0) [a, b] = [b, a % b];
  return a;
};

const shown = (text: string) => JSON.stringify(text.length > 40 ? `${text.slice(0, 40)}...` : text);

/** A column of numbers that grows without boxing each one: 8 bytes a row. */
class Column {
  private data = new Float64Array(1024);
  length = 0;

  push(value: number): void {
    if (this.length === this.data.length) {
      const grown = new Float64Array(this.data.length * 2);
      grown.set(this.data);
      this.data = grown;
    }
    this.data[this.length++] = value;
  }

  at(index: number): number {
    return this.data[index]!;
  }
}

/**
 * Reads a load trace in the `timestamp,value` CSV format of ../shared/traces one line at a time, so a file can be
 * streamed: a header line, then UTC timestamps (or with an explicit offset) that increase, on one step. A missing row
 * is a gap, and so is an empty or `NaN` value; a value is a plain decimal number, never negative. Memory is 16 bytes
 * per row kept (the window's), and a grid with more gaps than the gap rule allows is refused before it is laid out.
 */
export class TraceCsvReader {
  private lineNumber = 0;
  private readonly times = new Column();
  private readonly values = new Column();
  /** The widest jump between kept rows, where a stray timestamp (a year 9999) shows. */
  private widest = { fromMs: 0, fromLine: 0, toMs: 0, toLine: 0 };
  private rows = 0;
  private firstMs = Number.NaN;
  private previousMs = Number.NaN;
  private previousLine = 0;
  private previousKeptMs = 0;
  private previousKeptLine = 0;
  private readonly spacings = new Map<number, number>();
  /** Greatest common divisor of every row's distance from the first, and the lines where it shrank. */
  private alignment = 0;
  private readonly alignmentChanges: Array<{ readonly line: number; readonly divisor: number }> = [];

  constructor(private readonly window: TraceWindow = {}) {}

  /** Takes the next line of the file, without its line break. */
  line(text: string): void {
    const line = ++this.lineNumber;
    if (line === 1) {
      const header = text
        .replace(/^\uFEFF/, '')
        .trim()
        .toLowerCase()
        .replace(/\s*,\s*/g, ',');
      if (header !== 'timestamp,value') throw new TraceFormatError(1, 'header', `expected the header "timestamp,value", got ${shown(text)}`);
      return;
    }
    const raw = text.trim();
    if (raw === '') return;
    if (raw.length > MAX_ROW_LENGTH)
      throw new TraceFormatError(line, 'value', `the row is ${raw.length} characters long: expected "timestamp,value"`);
    const cells = raw.split(',');
    if (cells.length !== 2) throw new TraceFormatError(line, 'value', `expected 2 columns, found ${cells.length}: ${shown(raw)}`);
    const timestampMs = this.timestamp(cells[0]!.trim(), line);
    const value = this.value(cells[1]!.trim(), line);
    this.keep(timestampMs, value, line);
  }

  /** The trace read: call after the last line. */
  finish(): TraceRead {
    if (this.lineNumber === 0) throw new TraceFormatError(1, 'header', 'the file is empty: expected the header "timestamp,value"');
    if (this.rows < 2) throw new TraceFormatError(this.lineNumber, 'value', `a trace needs at least two rows of data, found ${this.rows}`);
    const stepMs = this.dominantSpacing();
    const misaligned = this.alignmentChanges.find((change) => change.divisor % stepMs !== 0);
    if (misaligned)
      throw new TraceFormatError(misaligned.line, 'timestamp', `not on the trace's ${stepMs / 1000} s step, the spacing most of its rows have`);
    const kept = this.times.length;
    if (kept === 0) return { series: { startMs: this.firstMs, stepMs, values: [] }, firstMs: this.firstMs, lastMs: this.previousMs };
    const startMs = this.times.at(0);
    // Up to the window's end, or the file's last row if that comes first: missing rows before `untilMs` are gaps.
    const lastSteps = Math.round((this.previousMs - startMs) / stepMs) + 1;
    const length = this.window.untilMs === undefined ? lastSteps : Math.min(lastSteps, Math.ceil((this.window.untilMs - startMs) / stepMs));
    let known = 0;
    for (let index = 0; index < kept; index++) if (Number.isFinite(this.values.at(index))) known++;
    const problem = tooManyGaps(length - known, length);
    if (problem)
      throw this.gapError(`${problem}: ${kept - known} empty value(s) and ${length - kept} missing row(s) at its ${stepMs / 1000} s step`, stepMs);
    const values = new Array<number>(length).fill(Number.NaN);
    for (let index = 0; index < kept; index++) values[Math.round((this.times.at(index) - startMs) / stepMs)] = this.values.at(index);
    return { series: { startMs, stepMs, values }, firstMs: this.firstMs, lastMs: this.previousMs };
  }

  private timestamp(text: string, line: number): number {
    try {
      return parseTimestamp(text);
    } catch (error) {
      if (error instanceof TimestampError) throw new TraceFormatError(line, 'timestamp', error.message);
      throw error;
    }
  }

  private value(text: string, line: number): number {
    if (text === '' || text.toLowerCase() === 'nan') return Number.NaN;
    if (!DECIMAL.test(text)) throw new TraceFormatError(line, 'value', `expected a number, got ${shown(text)} (plain decimals, such as 12 or 3.5)`);
    const value = Number(text);
    if (!Number.isFinite(value)) throw new TraceFormatError(line, 'value', `${shown(text)} is too large to be a load`);
    if (value < 0)
      throw new TraceFormatError(
        line,
        'value',
        `${text} is negative: a load counts what arrives per step (messages, requests, capacity units), never fewer than zero`,
      );
    return value;
  }

  private keep(timestampMs: number, value: number, line: number): void {
    if (this.rows > 0) {
      if (timestampMs <= this.previousMs) {
        throw new TraceFormatError(
          line,
          'timestamp',
          `timestamps must increase from row to row: ${formatTimestamp(timestampMs)} is not after line ${this.previousLine}'s ${formatTimestamp(this.previousMs)}`,
        );
      }
      const spacing = timestampMs - this.previousMs;
      this.spacings.set(spacing, (this.spacings.get(spacing) ?? 0) + 1);
      if (this.spacings.size > MAX_DISTINCT_SPACINGS)
        throw new TraceFormatError(
          line,
          'timestamp',
          `the rows are ${MAX_DISTINCT_SPACINGS}+ different distances apart by here: a trace's rows are one step apart`,
        );
      const divisor = gcd(this.alignment, timestampMs - this.firstMs);
      if (divisor !== this.alignment) this.alignmentChanges.push({ line, divisor });
      this.alignment = divisor;
    } else {
      this.firstMs = timestampMs;
    }
    this.rows++;
    this.previousMs = timestampMs;
    this.previousLine = line;
    if (this.window.untilMs !== undefined && timestampMs >= this.window.untilMs) return;
    if (this.times.length > 0 && timestampMs - this.previousKeptMs > this.widest.toMs - this.widest.fromMs) {
      this.widest = { fromMs: this.previousKeptMs, fromLine: this.previousKeptLine, toMs: timestampMs, toLine: line };
    }
    this.previousKeptMs = timestampMs;
    this.previousKeptLine = line;
    this.times.push(timestampMs);
    this.values.push(value);
  }

  /** The most common spacing of consecutive rows: robust to the few missing rows real traces have. */
  private dominantSpacing(): number {
    let best = 0;
    let bestCount = 0;
    for (const [spacing, count] of this.spacings)
      if (count > bestCount || (count === bestCount && spacing < best)) [best, bestCount] = [spacing, count];
    return best;
  }

  /** Names the widest jump between kept rows, which is where a stray timestamp (a year 9999) shows. */
  private gapError(problem: string, stepMs: number): TraceFormatError {
    const { fromMs, fromLine, toMs, toLine } = this.widest;
    if (toMs - fromMs <= stepMs) return new TraceFormatError(this.lineNumber, 'value', `the trace cannot be used: ${problem}`);
    return new TraceFormatError(
      toLine,
      'timestamp',
      `the trace cannot be used: ${problem}; the widest jump is from line ${fromLine} (${formatTimestamp(fromMs)}) to line ${toLine} (${formatTimestamp(toMs)}): check that timestamp`,
    );
  }
}

/** Reads a whole trace held in memory (see TraceCsvReader for the format). */
export function readTraceCsv(text: string, window: TraceWindow = {}): TraceRead {
  const reader = new TraceCsvReader(window);
  // Line breaks as node:readline reads them, so a file reads the same streamed or whole.
  for (const line of text.split(/\r\n|\r|\n/)) reader.line(line);
  return reader.finish();
}

/** The series of a trace held in memory (see TraceCsvReader for the format). */
export function parseTraceCsv(text: string): RegularSeries {
  return readTraceCsv(text).series;
}

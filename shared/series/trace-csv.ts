import { fromPoints, type RegularSeries } from './regular-series.ts';

/** A malformed trace, with the 1-based line and the column at fault. */
export class TraceFormatError extends Error {
  constructor(
    readonly line: number,
    readonly column: string,
    detail: string,
  ) {
    super(`line ${line}, column ${column}: ${detail}`);
    this.name = 'TraceFormatError';
  }
}

const TIMESTAMP = /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2})(?::(\d{2}))?(?:Z|\+00:00)?$/;

function parseUtcTimestamp(text: string, line: number): number {
  const match = TIMESTAMP.exec(text.trim());
  if (!match) throw new TraceFormatError(line, 'timestamp', `expected "YYYY-MM-DD HH:MM:SS" (UTC), got "${text}"`);
  const [, year, month, day, hour, minute, second] = match;
  const ms = Date.UTC(Number(year), Number(month) - 1, Number(day), Number(hour), Number(minute), Number(second ?? 0));
  if (Number.isNaN(ms)) throw new TraceFormatError(line, 'timestamp', `not a valid date: "${text}"`);
  return ms;
}

/** The most common difference between consecutive timestamps: robust to the few missing rows real traces have. */
function dominantStep(timestamps: readonly number[]): number {
  const counts = new Map<number, number>();
  for (let i = 1; i < timestamps.length; i++) {
    const step = timestamps[i]! - timestamps[i - 1]!;
    if (step > 0) counts.set(step, (counts.get(step) ?? 0) + 1);
  }
  let best = 0;
  let bestCount = 0;
  for (const [step, count] of counts) if (count > bestCount || (count === bestCount && step < best)) [best, bestCount] = [step, count];
  return best;
}

/**
 * Parses a load trace in the `timestamp,value` CSV format of ../shared/traces (header line, UTC timestamps,
 * one step apart). Missing rows become gaps; an empty value is a gap too.
 */
export function parseTraceCsv(text: string): RegularSeries {
  const lines = text.split(/\r?\n/);
  const header = (lines[0] ?? '').trim().toLowerCase().split(',');
  if (header[0] !== 'timestamp' || header[1] !== 'value' || header.length !== 2) {
    throw new TraceFormatError(1, 'header', `expected the header "timestamp,value", got "${lines[0] ?? ''}"`);
  }
  const points: Array<{ timestampMs: number; value: number }> = [];
  const lineOfPoint: number[] = [];
  for (let index = 1; index < lines.length; index++) {
    const raw = lines[index]!.trim();
    if (raw === '') continue;
    const line = index + 1;
    const cells = raw.split(',');
    if (cells.length !== 2) throw new TraceFormatError(line, 'value', `expected 2 columns, found ${cells.length}`);
    const timestampMs = parseUtcTimestamp(cells[0]!, line);
    const valueText = cells[1]!.trim();
    const value = valueText === '' || valueText.toLowerCase() === 'nan' ? Number.NaN : Number(valueText);
    if (valueText !== '' && !Number.isFinite(value) && valueText.toLowerCase() !== 'nan') {
      throw new TraceFormatError(line, 'value', `expected a number, got "${valueText}"`);
    }
    if (points.length > 0 && timestampMs <= points[points.length - 1]!.timestampMs) {
      throw new TraceFormatError(line, 'timestamp', 'timestamps must increase from row to row');
    }
    points.push({ timestampMs, value });
    lineOfPoint.push(line);
  }
  if (points.length < 2) throw new TraceFormatError(lines.length, 'value', 'a trace needs at least two rows of data');
  const stepMs = dominantStep(points.map((point) => point.timestampMs));
  const misaligned = points.findIndex((point) => (point.timestampMs - points[0]!.timestampMs) % stepMs !== 0);
  if (misaligned >= 0) {
    throw new TraceFormatError(lineOfPoint[misaligned]!, 'timestamp', `not on the trace's ${stepMs / 1000}s step`);
  }
  return fromPoints(points, stepMs);
}

/** A timestamp that is not a real instant: the detail says which part is wrong. */
export class TimestampError extends Error {
  constructor(detail: string) {
    super(detail);
    this.name = 'TimestampError';
  }
}

const ISO_TIME = /^(\d{4})-(\d{2})-(\d{2})(?:[ T](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,3}))?)?)?(Z|z|[+-]\d{2}:?\d{2})?$/;

const isLeap = (year: number) => (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
const daysIn = (year: number, month: number) => [31, isLeap(year) ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1]!;

function inRange(name: string, value: number, low: number, high: number, text: string): void {
  if (value < low || value > high) throw new TimestampError(`"${text}" has ${name} ${value}: it must be ${low}-${high}`);
}

/**
 * Epoch milliseconds of an ISO 8601 time: `YYYY-MM-DD`, then optionally `HH:MM`, `:SS` and `.mmm` (after a space or
 * a `T`), then optionally `Z` or an offset such as `+02:00`; without a zone it is UTC. Strict: nothing rolls over
 * (month 13, February 30, 24:00 and second 60 are errors, not the next month, day or minute).
 */
export function parseTimestamp(text: string): number {
  const match = ISO_TIME.exec(text);
  if (!match) throw new TimestampError(`"${text}" is not a time such as 2015-01-20 00:00:00 or 2015-01-20T00:00:00Z`);
  const [year, month, day, hour = 0, minute = 0, second = 0] = match.slice(1, 7).map((part) => (part === undefined ? undefined : Number(part))) as number[];
  inRange('month', month!, 1, 12, text);
  inRange('day', day!, 1, daysIn(year!, month!), text);
  inRange('hour', hour, 0, 23, text);
  inRange('minute', minute, 0, 59, text);
  inRange('second', second, 0, 59, text);
  const millis = match[7] === undefined ? 0 : Number(match[7].padEnd(3, '0'));
  let offsetMinutes = 0;
  const zone = match[8];
  if (zone !== undefined && zone.toUpperCase() !== 'Z') {
    const digits = zone.replace(':', '');
    const [hours, minutes] = [Number(digits.slice(1, 3)), Number(digits.slice(3, 5))];
    inRange('a zone offset of hours', hours, 0, 14, text);
    inRange('a zone offset of minutes', minutes, 0, 59, text);
    offsetMinutes = (zone.startsWith('-') ? -1 : 1) * (hours * 60 + minutes);
  }
  // setUTCFullYear, because Date.UTC reads the years 0-99 as 1900-1999.
  const date = new Date(0);
  date.setUTCFullYear(year!, month! - 1, day!);
  date.setUTCHours(hour, minute, second, millis);
  return date.getTime() - offsetMinutes * 60_000;
}

/** Formats epoch milliseconds as the traces write them: `YYYY-MM-DD HH:MM:SS` (UTC). */
export function formatTimestamp(ms: number): string {
  return new Date(ms).toISOString().replace('T', ' ').replace(/\.000Z$/, '').replace(/Z$/, '');
}

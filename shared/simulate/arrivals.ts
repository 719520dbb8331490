import type { RegularSeries } from '../series/regular-series.ts';

export const MINUTE_MS = 60_000;

/**
 * Messages arriving in each minute of a trace whose values count arrivals per step (any step from 10 s to 1 h),
 * scaled by `scale`. Each step's count is shared among the minutes it overlaps in proportion to the overlap, so
 * every message of the trace arrives exactly once whatever the step (90 s, 100 s, 150 s...); a gap arrives nothing.
 */
export function arrivalsPerMinute(trace: RegularSeries, scale = 1): number[] {
  const { stepMs } = trace;
  if (!(stepMs >= 10_000 && stepMs <= 3_600_000)) throw new RangeError(`the trace's step must be between 10 s and 1 h, got ${stepMs / 1000} s`);
  const minutes = Math.ceil((trace.values.length * stepMs) / MINUTE_MS);
  const arrivals = new Array<number>(minutes).fill(0);
  trace.values.forEach((value, index) => {
    if (!Number.isFinite(value) || value <= 0) return;
    // Whole milliseconds, so the overlaps add up to the step exactly.
    const startMs = index * stepMs;
    const endMs = startMs + stepMs;
    const count = value * scale;
    for (let minute = Math.floor(startMs / MINUTE_MS); minute * MINUTE_MS < endMs; minute++) {
      const overlapMs = Math.min(endMs, (minute + 1) * MINUTE_MS) - Math.max(startMs, minute * MINUTE_MS);
      arrivals[minute]! += overlapMs === stepMs ? count : (count * overlapMs) / stepMs;
    }
  });
  return arrivals;
}

/**
 * Minutes the trace has no data for (every step covering the minute is a gap). The load metric would be missing
 * then too: its alarms see INSUFFICIENT_DATA, never zero.
 */
export function missingMinutes(trace: RegularSeries): boolean[] {
  const minutes = Math.ceil((trace.values.length * trace.stepMs) / MINUTE_MS);
  const seen = new Array<boolean>(minutes).fill(false);
  trace.values.forEach((value, index) => {
    if (!Number.isFinite(value)) return;
    const start = (index * trace.stepMs) / MINUTE_MS;
    const end = Math.max(Math.floor(start) + 1, Math.ceil(start + trace.stepMs / MINUTE_MS));
    for (let minute = Math.floor(start); minute < end && minute < minutes; minute++) seen[minute] = true;
  });
  return seen.map((present) => !present);
}

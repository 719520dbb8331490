/**
 * Seasonality in a workload's own time zone: a load that peaks at 09:00 local time peaks at a different UTC hour
 * after a daylight-saving change. The history is laid on the zone's wall-clock grid (the hour skipped in spring
 * is a gap, the hour repeated in autumn is averaged), forecast there, and the forecast read back onto UTC.
 * Pure: the zone rules come from the runtime's Intl data.
 */
import { forecastSeries, type ForecastOptions, type QuantileForecast } from '../forecast/index.ts';
import { applyCalendar, forgetDays, type Calendar } from '../forecast/calendar.ts';
import type { RegularSeries } from '../series/regular-series.ts';

const HOUR_MS = 3_600_000;
const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(zone: string): Intl.DateTimeFormat {
  let format = formatters.get(zone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(zone, format);
  }
  return format;
}

/** How far the zone's wall clock is ahead of UTC at an instant, in milliseconds. */
export function zoneOffsetMs(zone: string, utcMs: number): number {
  const parts: Record<string, number> = {};
  for (const part of formatter(zone).formatToParts(new Date(utcMs))) if (part.type !== 'literal') parts[part.type] = Number(part.value);
  const wall = Date.UTC(parts.year!, parts.month! - 1, parts.day!, parts.hour!, parts.minute!, parts.second!);
  return wall - Math.floor(utcMs / 1000) * 1000;
}

const isUtc = (zone: string) => zone === 'UTC' || zone === 'Etc/UTC';

/** Offsets change at most on the hour or half hour: one lookup per half hour. */
function offsets(zone: string): (utcMs: number) => number {
  const cache = new Map<number, number>();
  return (utcMs) => {
    const key = Math.floor(utcMs / (HOUR_MS / 4));
    let offset = cache.get(key);
    if (offset === undefined) cache.set(key, (offset = zoneOffsetMs(zone, key * (HOUR_MS / 4))));
    return offset;
  };
}

/** The series on the zone's wall-clock grid ("local" epoch milliseconds). */
export function toWallClock(series: RegularSeries, zone: string): RegularSeries {
  const offset = offsets(zone);
  const { stepMs } = series;
  const sums = new Map<number, { sum: number; count: number }>();
  series.values.forEach((value, index) => {
    const utc = series.startMs + index * stepMs;
    const slot = Math.round((utc + offset(utc)) / stepMs);
    const entry = sums.get(slot) ?? { sum: 0, count: 0 };
    if (Number.isFinite(value)) {
      entry.sum += value;
      entry.count++;
    }
    sums.set(slot, entry);
  });
  const slots = [...sums.keys()];
  const first = Math.min(...slots);
  const last = Math.max(...slots);
  const values = Array.from({ length: last - first + 1 }, (_, index) => {
    const entry = sums.get(first + index);
    return entry && entry.count > 0 ? entry.sum / entry.count : Number.NaN;
  });
  return { startMs: first * stepMs, stepMs, values };
}

/**
 * forecastSeries with the daily and weekly cycles in `zone`; the forecast's steps are UTC, from the history's end.
 * With a calendar, holidays, days to forget and past events are left out of the fit, and holidays and events ahead
 * shape the forecast (shared/forecast/calendar.ts).
 */
export function forecastInZone(history: RegularSeries, options: ForecastOptions, zone: string, calendar?: Calendar): QuantileForecast {
  if (history.values.length === 0 || (isUtc(zone) && !calendar)) return forecastSeries(history, options);
  const offset = isUtc(zone) ? () => 0 : offsets(zone);
  const toLocal = (utcMs: number) => utcMs + offset(utcMs);
  const wallClock = isUtc(zone) ? history : toWallClock(history, zone);
  const forgotten = calendar ? forgetDays(wallClock, calendar, toLocal) : { series: wallClock, notes: [] };
  const local = forgotten.series;
  // A couple of hours more, so a change of offset within the horizon still finds its wall-clock step.
  const forecast = forecastSeries(local, { ...options, horizonMs: options.horizonMs + 2 * HOUR_MS });
  const startMs = history.startMs + history.values.length * history.stepMs;
  const steps = forecast.p50.length - Math.round((2 * HOUR_MS) / forecast.stepMs);
  const read = (values: readonly number[]) =>
    Array.from({ length: steps }, (_, index) => {
      const utc = startMs + index * forecast.stepMs;
      const at = Math.floor((utc + offset(utc) - forecast.startMs) / forecast.stepMs);
      return values[Math.max(0, Math.min(values.length - 1, at))]!;
    });
  const inUtc = { ...forecast, startMs, p50: read(forecast.p50), p90: read(forecast.p90), p99: read(forecast.p99) };
  const zoneNote = isUtc(zone) ? [] : [`daily and weekly cycles in ${zone}`];
  if (!calendar) return { ...inUtc, notes: [...forecast.notes, ...zoneNote] };
  const { calendarNotes, ...shaped } = applyCalendar(inUtc, local, calendar, toLocal);
  return { ...shaped, notes: [...forecast.notes, ...zoneNote, ...forgotten.notes, ...calendarNotes] };
}

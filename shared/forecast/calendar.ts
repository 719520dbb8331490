/**
 * The calendar a load follows besides its daily and weekly cycles: public holidays, declared events, and days the
 * history should not be learnt from. Pure; works on series laid on the workload's wall clock (local epoch
 * milliseconds, whole days at multiples of a day), as forecastInZone fits them.
 *
 * - A **holiday** behaves like a Sunday, not like the weekday it falls on: in the history it is forgotten (filled as
 *   a gap, so it does not drag that weekday's profile down), and a holiday ahead is forecast as the median of the
 *   last three Sundays at the same time of day.
 * - A **day to forget** (an outage, an incident, a load test) is forgotten: declared, or detected by one stated
 *   rule: a whole day whose mean load is below half the median of the same weekday's other days in the history.
 *   Only low days are detected: forgetting a high day would lower floors, and a real step up in load looks like
 *   one for its first week; a load test is declared.
 * - A **declared event** (a launch, a sale, a match) multiplies the forecast over its window, or lifts it to an
 *   expected load; in the history its window is forgotten, so last month's sale does not shape next week's floors.
 */
import type { RegularSeries } from '../series/regular-series.ts';

const DAY_MS = 86_400_000;

export interface CalendarEvent {
  /** Start of the window, epoch milliseconds (UTC). */
  readonly startMs: number;
  /** End of the window (exclusive), epoch milliseconds (UTC). */
  readonly endMs: number;
  /** The load is this many times the forecast over the window. */
  readonly multiplier?: number;
  /** The load is at least this (load units per second) over the window. */
  readonly expectedLoad?: number;
}

export interface Calendar {
  /** Public holidays, local dates `YYYY-MM-DD`. */
  readonly holidays?: readonly string[];
  /** Days not to learn from, local dates `YYYY-MM-DD`. */
  readonly forgetDays?: readonly string[];
  readonly events?: readonly CalendarEvent[];
  /** Whether low days are detected and forgotten. @default true */
  readonly detectLowDays?: boolean;
}

/** A low day is below this share of the median of its weekday's other days. */
export const LOW_DAY_SHARE = 0.5;
/** At most this many detected days are forgotten (the lowest first): a history mostly forgotten is no history. */
const MAX_DETECTED_DAYS = 3;

export const localDate = (localMs: number) => new Date(Math.floor(localMs / DAY_MS) * DAY_MS).toISOString().slice(0, 10);

/** Whole local days of the series: the index range of each, by date. */
function days(series: RegularSeries): Map<string, { start: number; end: number; weekday: number }> {
  const byDay = new Map<string, { start: number; end: number; weekday: number }>();
  series.values.forEach((_, index) => {
    const ms = series.startMs + index * series.stepMs;
    const date = localDate(ms);
    const day = byDay.get(date);
    if (day) day.end = index + 1;
    else byDay.set(date, { start: index, end: index + 1, weekday: new Date(ms).getUTCDay() });
  });
  return byDay;
}

function mean(values: readonly number[]): number | undefined {
  const finite = values.filter(Number.isFinite);
  return finite.length === 0 ? undefined : finite.reduce((sum, value) => sum + value, 0) / finite.length;
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

/** Days whose mean load is below LOW_DAY_SHARE of the median of the same weekday's other whole days (at least two). */
export function detectLowDays(series: RegularSeries, skip: ReadonlySet<string> = new Set()): string[] {
  const perDay = Math.round(DAY_MS / series.stepMs);
  const whole = [...days(series)]
    .filter(([date, day]) => !skip.has(date) && day.end - day.start === perDay)
    .map(([date, day]) => ({ date, weekday: day.weekday, level: mean(series.values.slice(day.start, day.end)) }))
    .filter((day): day is { date: string; weekday: number; level: number } => day.level !== undefined);
  const low = whole.flatMap((day) => {
    const others = whole.filter((other) => other.weekday === day.weekday && other.date !== day.date).map((other) => other.level);
    if (others.length < 2) return [];
    const usual = median(others);
    return usual > 0 && day.level < LOW_DAY_SHARE * usual ? [{ date: day.date, share: day.level / usual }] : [];
  });
  return low
    .sort((a, b) => a.share - b.share)
    .slice(0, MAX_DETECTED_DAYS)
    .map((day) => day.date)
    .sort();
}

export interface Forgotten {
  /** The series with forgotten days and event windows as gaps. */
  readonly series: RegularSeries;
  readonly notes: readonly string[];
}

/**
 * The history to fit: holidays, declared and detected days to forget and past events' windows made gaps.
 * `toLocal` maps a UTC instant to the wall clock of the series.
 */
export function forgetDays(series: RegularSeries, calendar: Calendar, toLocal: (utcMs: number) => number): Forgotten {
  const values = [...series.values];
  const byDay = days(series);
  const notes: string[] = [];
  const blank = (dates: readonly string[]) => {
    const hit = dates.filter((date) => byDay.has(date));
    for (const date of hit) {
      const day = byDay.get(date)!;
      values.fill(Number.NaN, day.start, day.end);
    }
    return hit;
  };
  const holidays = blank(calendar.holidays ?? []);
  if (holidays.length > 0) notes.push(`holidays forgotten in the history (forecast like a Sunday): ${holidays.join(', ')}`);
  const declared = blank(calendar.forgetDays ?? []);
  if (declared.length > 0) notes.push(`declared days forgotten: ${declared.join(', ')}`);
  let eventSteps = 0;
  for (const event of calendar.events ?? []) {
    const from = Math.ceil((toLocal(event.startMs) - series.startMs) / series.stepMs);
    const to = Math.ceil((toLocal(event.endMs) - series.startMs) / series.stepMs);
    for (let index = Math.max(0, from); index < Math.min(values.length, to); index++, eventSteps++) values[index] = Number.NaN;
  }
  if (eventSteps > 0) notes.push(`${eventSteps} step(s) of past declared events forgotten`);
  if (calendar.detectLowDays !== false) {
    const detected = blank(detectLowDays({ ...series, values }, new Set([...holidays, ...declared])));
    if (detected.length > 0)
      notes.push(`low days detected and forgotten (mean below ${LOW_DAY_SHARE} of the weekday's median): ${detected.join(', ')}`);
  }
  return { series: { ...series, values }, notes };
}

export interface Bands {
  readonly startMs: number;
  readonly stepMs: number;
  readonly p50: readonly number[];
  readonly p90: readonly number[];
  readonly p99: readonly number[];
}

/**
 * A forecast (UTC steps) with holidays ahead forecast like a Sunday (the median of the last three Sundays of
 * `fitted` at the same local time, each quantile moved by the same amount) and declared events applied. `fitted`
 * is the wall-clock history after forgetDays.
 */
export function applyCalendar<T extends Bands>(
  forecast: T,
  fitted: RegularSeries,
  calendar: Calendar,
  toLocal: (utcMs: number) => number,
): T & { readonly calendarNotes: readonly string[] } {
  const holidays = new Set(calendar.holidays ?? []);
  const p50 = [...forecast.p50];
  const p90 = [...forecast.p90];
  const p99 = [...forecast.p99];
  const notes: string[] = [];
  const sundays = [...days(fitted)].filter(([, day]) => day.weekday === 0).map(([, day]) => day.start);
  let holidaySteps = 0;
  for (let index = 0; index < p50.length; index++) {
    const local = toLocal(forecast.startMs + index * forecast.stepMs);
    if (!holidays.has(localDate(local))) continue;
    const timeOfDay = (((local % DAY_MS) + DAY_MS) % DAY_MS) / fitted.stepMs;
    const seen = sundays
      .map((start) => fitted.values[start + Math.floor(timeOfDay)])
      .filter((value): value is number => value !== undefined && Number.isFinite(value))
      .slice(-3);
    if (seen.length === 0) continue;
    const shift = median(seen) - p50[index]!;
    p50[index] = Math.max(0, p50[index]! + shift);
    p90[index] = Math.max(p50[index]!, p90[index]! + shift);
    p99[index] = Math.max(p90[index]!, p99[index]! + shift);
    holidaySteps++;
  }
  if (holidaySteps > 0) notes.push(`${holidaySteps} step(s) on a holiday forecast like a Sunday`);
  let eventSteps = 0;
  for (const event of calendar.events ?? []) {
    for (let index = 0; index < p50.length; index++) {
      const atMs = forecast.startMs + index * forecast.stepMs;
      if (atMs + forecast.stepMs <= event.startMs || atMs >= event.endMs) continue;
      const lift = (value: number) => Math.max(value * (event.multiplier ?? 1), event.expectedLoad ?? 0);
      p50[index] = lift(p50[index]!);
      p90[index] = Math.max(p50[index]!, lift(p90[index]!));
      p99[index] = Math.max(p90[index]!, lift(p99[index]!));
      eventSteps++;
    }
  }
  if (eventSteps > 0) notes.push(`${eventSteps} step(s) in declared events`);
  return { ...forecast, p50, p90, p99, calendarNotes: notes };
}

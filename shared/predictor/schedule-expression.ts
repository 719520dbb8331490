/**
 * When an Application Auto Scaling scheduled action runs: `at(...)` and `cron(...)` expressions evaluated in UTC.
 * Pure. What cannot be evaluated exactly (rate(), cron in another time zone, L/W/# fields) is reported as such,
 * so the caller can treat it conservatively instead of guessing.
 */
const MINUTE_MS = 60_000;
const DAY_MS = 86_400_000;

export interface ScheduleWindow {
  readonly schedule: string;
  /** IANA zone of the action; only UTC (or none) can be evaluated. */
  readonly timezone?: string;
  readonly startTimeMs?: number;
  readonly endTimeMs?: number;
}

/** A schedule whose run times are known, or `undefined` run times when they cannot be evaluated. */
export type RunTimes =
  | { readonly evaluable: true; readonly between: (fromMs: number, toMs: number) => number[] }
  | { readonly evaluable: false; readonly why: string };

const UTC_ZONES = new Set(['UTC', 'Etc/UTC', 'GMT', 'Etc/GMT', 'Etc/UCT', 'UCT', 'Zulu', 'Etc/Zulu', 'Universal', 'Etc/Universal']);
const MONTHS = ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'];
const DAYS = ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'];

class Unsupported extends Error {}

/** One cron field as the set of values it allows; `undefined` for `*` and `?`. */
function field(text: string, min: number, max: number, names: readonly string[] = [], nameBase = 1): Set<number> | undefined {
  if (text === '*' || text === '?') return undefined;
  const value = (token: string) => {
    const named = names.indexOf(token.toUpperCase());
    const number = named >= 0 ? named + nameBase : /^\d+$/.test(token) ? Number(token) : Number.NaN;
    if (!(number >= min && number <= max)) throw new Unsupported(`"${token}" in "${text}"`);
    return number;
  };
  const allowed = new Set<number>();
  for (const part of text.split(',')) {
    const [range, stepText] = part.split('/');
    const step = stepText === undefined ? 1 : Number(stepText);
    if (!Number.isInteger(step) || step < 1 || range === undefined) throw new Unsupported(`"${part}"`);
    const [from, to] =
      range === '*' ? [min, max] : range.includes('-') ? range.split('-').map(value) : [value(range), stepText === undefined ? value(range) : max];
    if (from === undefined || to === undefined || from > to) throw new Unsupported(`"${part}"`);
    for (let v = from; v <= to; v += step) allowed.add(v);
  }
  return allowed;
}

function cronRunTimes(body: string): (fromMs: number, toMs: number) => number[] {
  const parts = body.trim().split(/\s+/);
  if (parts.length !== 6) throw new Unsupported(`cron needs 6 fields, got ${parts.length}`);
  const [minutesText, hoursText, domText, monthText, dowText, yearText] = parts as [string, string, string, string, string, string];
  if (domText !== '?' && dowText !== '?') throw new Unsupported('day-of-month and day-of-week both set');
  const minutes = field(minutesText, 0, 59);
  const hours = field(hoursText, 0, 23);
  const dom = field(domText, 1, 31);
  const months = field(monthText, 1, 12, MONTHS);
  const dow = field(dowText, 1, 7, DAYS);
  const years = field(yearText, 1970, 2199);
  const minuteList = minutes ? [...minutes].sort((a, b) => a - b) : Array.from({ length: 60 }, (_, m) => m);
  const hourList = hours ? [...hours].sort((a, b) => a - b) : Array.from({ length: 24 }, (_, h) => h);
  return (fromMs, toMs) => {
    const times: number[] = [];
    for (let day = Math.floor(fromMs / DAY_MS) * DAY_MS; day < toMs; day += DAY_MS) {
      const date = new Date(day);
      if (years && !years.has(date.getUTCFullYear())) continue;
      if (months && !months.has(date.getUTCMonth() + 1)) continue;
      if (dom && !dom.has(date.getUTCDate())) continue;
      if (dow && !dow.has(date.getUTCDay() + 1)) continue;
      for (const hour of hourList) {
        for (const minute of minuteList) {
          const time = day + hour * 3_600_000 + minute * MINUTE_MS;
          if (time >= fromMs && time < toMs) times.push(time);
        }
      }
    }
    return times;
  };
}

/** How the run times of a scheduled action are known. */
export function runTimes(action: ScheduleWindow): RunTimes {
  if (action.timezone !== undefined && !UTC_ZONES.has(action.timezone)) return { evaluable: false, why: `time zone ${action.timezone}` };
  const within = (times: number[]) =>
    times.filter(
      (time) => (action.startTimeMs === undefined || time >= action.startTimeMs) && (action.endTimeMs === undefined || time <= action.endTimeMs),
    );
  const at = /^at\((\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})\)$/.exec(action.schedule);
  if (at) {
    const time = Date.parse(`${at[1]}Z`);
    if (!Number.isFinite(time)) return { evaluable: false, why: `unreadable ${action.schedule}` };
    return { evaluable: true, between: (fromMs, toMs) => within(time >= fromMs && time < toMs ? [time] : []) };
  }
  const cron = /^cron\((.*)\)$/.exec(action.schedule);
  if (!cron) return { evaluable: false, why: `${action.schedule.split('(')[0]} schedule` };
  try {
    const times = cronRunTimes(cron[1]!);
    return { evaluable: true, between: (fromMs, toMs) => within(times(fromMs, toMs)) };
  } catch (error) {
    if (error instanceof Unsupported) return { evaluable: false, why: `cron field ${error.message}` };
    throw error;
  }
}

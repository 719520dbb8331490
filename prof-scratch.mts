import { readTrace } from './cli/options/read-trace.ts';
import { parseTimestamp } from './shared/series/timestamp.ts';
let t = Date.now();
const r = await readTrace('/tmp/14a/big-10s.csv');
console.log('readTrace', Date.now() - t, 'ms', r.series.values.length, process.memoryUsage().rss >> 20, 'MB');
t = Date.now();
let x = 0; for (let i = 0; i < 1_000_000; i++) x += parseTimestamp('2024-03-05 12:34:50');
console.log('1M parseTimestamp', Date.now() - t, 'ms');
for (const s of ['1970-01-01', '2000-02-29 23:59:59', '0099-03-01T00:00:00Z', '2024-12-31 12:00:00+05:30', '1900-03-01', '2400-02-29', '0000-01-01', '9999-12-31 23:59:59.999']) {
  const iso = s.length === 10 ? `${s}T00:00:00Z` : s.replace(' ', 'T') + (/[Z+]/.test(s) ? '' : 'Z');
  const expected = new Date(iso.startsWith('0') ? iso : iso).getTime();
  if (parseTimestamp(s) !== expected) console.log('MISMATCH', s, parseTimestamp(s), expected);
}
console.log('checked');

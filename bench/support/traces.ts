import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseTraceCsv } from '../../shared/series/trace-csv.ts';
import type { RegularSeries } from '../../shared/series/regular-series.ts';

/** ../shared/traces beside the repository (CI has it there too). */
export const tracesDir = fileURLToPath(new URL('../../../shared/traces/', import.meta.url));

export function readTraceFile(name: string): RegularSeries {
  const path = `${tracesDir}${name}`;
  if (!existsSync(path)) throw new Error(`${path} is missing: the benchmarks read the public traces from ../shared/traces`);
  return parseTraceCsv(readFileSync(path, 'utf8'));
}

/** Sums consecutive steps into one (counts per step stay counts per step). */
export function aggregate(series: RegularSeries, factor: number): RegularSeries {
  const values: number[] = [];
  for (let start = 0; start + factor <= series.values.length; start += factor)
    values.push(series.values.slice(start, start + factor).reduce((sum, value) => sum + value, 0));
  return { startMs: series.startMs, stepMs: series.stepMs * factor, values };
}

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

/** Writes a Markdown table and prints it. */
export function table(header: readonly string[], rows: ReadonlyArray<readonly string[]>): string {
  const lines = [`| ${header.join(' | ')} |`, `| ${header.map(() => '---').join(' | ')} |`, ...rows.map((row) => `| ${row.join(' | ')} |`)];
  return lines.join('\n');
}

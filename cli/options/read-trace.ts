import { readFileSync } from 'node:fs';
import { parseTraceCsv } from '../../shared/series/trace-csv.ts';
import type { RegularSeries } from '../../shared/series/regular-series.ts';

/** Reads a `timestamp,value` CSV trace; errors name the file, line and column. */
export function readTrace(file: string): RegularSeries {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new Error(`cannot read the trace ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
  try {
    return parseTraceCsv(text);
  } catch (error) {
    throw new Error(`${file}: ${(error as Error).message}`);
  }
}

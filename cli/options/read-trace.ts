import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import { TraceCsvReader, TraceFormatError, type TraceRead, type TraceWindow } from '../../shared/series/trace-csv.ts';

/**
 * Streams a `timestamp,value` CSV trace line by line (never the whole file in memory): memory follows the rows in
 * the window, 16 bytes each. Errors name the file, line and column.
 */
export async function readTrace(file: string, window: TraceWindow = {}): Promise<TraceRead> {
  const cannotRead = (reason: string) => new Error(`cannot read the trace ${file}: ${reason}`);
  try {
    if (!(await stat(file)).isFile()) throw cannotRead('it is not a file');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code) throw cannotRead((error as NodeJS.ErrnoException).code!);
    throw error;
  }
  const reader = new TraceCsvReader(window);
  const lines = createInterface({ input: createReadStream(file, { encoding: 'utf8' }), crlfDelay: Infinity });
  try {
    for await (const line of lines) reader.line(line);
    return reader.finish();
  } catch (error) {
    if (error instanceof TraceFormatError) throw new Error(`${file}: ${error.message}`, { cause: error });
    const code = (error as NodeJS.ErrnoException).code;
    throw code ? cannotRead(code) : error;
  } finally {
    lines.close();
  }
}

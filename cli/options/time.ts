import { InvalidArgumentError } from 'commander';
import { parseTimestamp, TimestampError } from '../../shared/series/timestamp.ts';

/** A time flag such as `2015-01-20T00:00:00Z`, `2015-01-20 06:00` or `2015-01-20` (UTC without a zone); strict. */
export function parseTime(text: string): number {
  try {
    return parseTimestamp(text.trim());
  } catch (error) {
    if (error instanceof TimestampError) throw new InvalidArgumentError(`${error.message} (UTC when no zone is given)`);
    throw error;
  }
}

import { InvalidArgumentError } from 'commander';

const UNITS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** Parses a duration flag such as `90s`, `5m`, `24h` or `14d` into milliseconds. */
export function parseDuration(text: string): number {
  const match = /^(\d+(?:\.\d+)?)(ms|s|m|h|d)$/.exec(text.trim());
  if (!match) throw new InvalidArgumentError(`"${text}" is not a duration: use a number and a unit, such as 90s, 5m, 24h or 14d`);
  const ms = Number(match[1]) * UNITS[match[2]!]!;
  if (!(ms > 0)) throw new InvalidArgumentError(`"${text}" must be longer than zero`);
  return ms;
}

/** A duration flag's parser that also holds it between `least` and `most` (milliseconds), saying why. */
export function durationBetween(least: number, most: number, why: string): (text: string) => number {
  return (text) => {
    const ms = parseDuration(text);
    if (ms < least || ms > most)
      throw new InvalidArgumentError(`"${text}" is out of range: use ${formatDuration(least)} to ${formatDuration(most)} (${why})`);
    return ms;
  };
}

/** Formats milliseconds the way the flags take them: the largest unit that divides exactly. */
export function formatDuration(ms: number): string {
  for (const unit of ['d', 'h', 'm', 's'] as const) if (ms % UNITS[unit]! === 0) return `${ms / UNITS[unit]!}${unit}`;
  return `${ms}ms`;
}

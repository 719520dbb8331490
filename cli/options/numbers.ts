import { InvalidArgumentError } from 'commander';

/** Plain decimals with an optional exponent, as the trace reader takes them: no hex (0x10), no `1e`, no empty. */
const DECIMAL = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;

function decimal(text: string): number {
  const trimmed = text.trim();
  const value = DECIMAL.test(trimmed) ? Number(trimmed) : Number.NaN;
  if (!Number.isFinite(value)) throw new InvalidArgumentError(`"${text}" is not a number: use plain decimals, such as 2 or 0.5`);
  return value;
}

export function parsePositiveNumber(text: string): number {
  const value = decimal(text);
  if (!(value > 0)) throw new InvalidArgumentError(`"${text}" is not a positive number: use a number above zero, such as 2 or 0.5`);
  return value;
}

export function parseWholeNumber(text: string): number {
  if (!/^\d+$/.test(text.trim())) throw new InvalidArgumentError(`"${text}" is not a whole number: use digits only, such as 0, 4 or 40`);
  return Number(text.trim());
}

/** A whole-number flag's parser that holds it between `least` and `most`, saying why. */
export function wholeNumberBetween(least: number, most: number, why: string): (text: string) => number {
  return (text) => {
    const value = parseWholeNumber(text);
    if (value < least || value > most) throw new InvalidArgumentError(`"${text}" is out of range: use ${least} to ${most} (${why})`);
    return value;
  };
}

/**
 * A utilization: a fraction in (0, 1] such as 0.7, or a percent such as 70%. A bare number above 1 is refused, not
 * guessed at: 5 could mean 5% or a typo for 0.5.
 */
export function parseUtilization(text: string): number {
  const trimmed = text.trim();
  const percent = trimmed.endsWith('%');
  const value = decimal(percent ? trimmed.slice(0, -1) : trimmed);
  const fraction = percent ? value / 100 : value;
  if (!percent && value > 1 && value <= 100) throw new InvalidArgumentError(`"${text}" is not a fraction: use ${value / 100} or ${value}%`);
  if (!(fraction > 0 && fraction <= 1))
    throw new InvalidArgumentError(`"${text}" is out of range: use a fraction in (0, 1] such as 0.7, or a percent such as 70%`);
  return fraction;
}

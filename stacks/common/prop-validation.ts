import { Duration, Token } from 'aws-cdk-lib';

/** A construct prop that cannot work; the message names the construct, the prop and the fix. */
export class InvalidPropError extends Error {
  constructor(construct: string, prop: string, problem: string, fix: string) {
    super(`${construct}: ${prop} ${problem}. ${fix}`);
    this.name = 'InvalidPropError';
  }
}

export function requireWholeNumber(construct: string, prop: string, value: number, min: number, max = Number.MAX_SAFE_INTEGER): void {
  if (Token.isUnresolved(value)) return;
  if (!Number.isInteger(value) || value < min || value > max) {
    const range = max === Number.MAX_SAFE_INTEGER ? `>= ${min}` : `between ${min} and ${max}`;
    throw new InvalidPropError(construct, prop, `must be a whole number ${range}, got ${value}`, `Set ${prop} to a whole number ${range}.`);
  }
}

export function requirePositiveDuration(construct: string, prop: string, value: Duration): void {
  if (value.isUnresolved()) return;
  if (!(value.toMilliseconds() > 0)) {
    throw new InvalidPropError(construct, prop, `must be longer than zero, got ${value.toHumanString()}`, `Set ${prop} to a positive Duration.`);
  }
}

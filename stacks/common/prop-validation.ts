import { Duration, Token, Tokenization } from 'aws-cdk-lib';

/** A construct prop that cannot work; the message names the construct, the prop and the fix. */
export class InvalidPropError extends Error {
  constructor(construct: string, prop: string, problem: string, fix: string) {
    super(withoutTokenNumbers(`${construct}: ${prop} ${problem}. ${fix}`));
    this.name = 'InvalidPropError';
  }
}

/**
 * A message never shows a token's placeholder number (an encoded number like -1.888e+289 means nothing to the
 * reader): a check that printed one says instead that the value must be a literal.
 */
function withoutTokenNumbers(message: string): string {
  return message.replace(/-?\d+(?:\.\d+)?e\+\d+/g, (number) =>
    Token.isUnresolved(Number(number)) ? 'a token (known only at deploy; give a literal number here)' : number,
  );
}

// How headroom treats tokens (a CfnParameter, an attribute of another resource, a Lazy): a token headroom only
// copies into the template is passed through unchecked, and CloudFormation checks it at deploy; a token headroom
// would have to compute with (derive another value, compare with another prop) is refused with an error that
// says so, since at synth a token is only a placeholder (an encoded number like -1.888e+289).

/** Whether a number, string or Duration is a token whose value is known only at deploy. */
export function isToken(value: number | string | Duration): boolean {
  return value instanceof Duration ? value.isUnresolved() : Token.isUnresolved(value);
}

/** A number as a message or description shows it: its value, or a reference that resolves to it at deploy. */
export function describeNumber(value: number): string {
  return Tokenization.stringifyNumber(value);
}

/** Refuses a token where headroom must compute with the value; `use` says what for. */
export function requireResolved(construct: string, prop: string, value: number | string | Duration, use: string): void {
  if (!isToken(value)) return;
  throw new InvalidPropError(
    construct,
    prop,
    `is a token (a CfnParameter or another value known only at deploy), which headroom cannot check or compute with at synth: ${use}`,
    `Pass a plain value for ${prop}.`,
  );
}

/** A whole number in [min, max]; a token passes through to the template unchecked. */
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

/**
 * The seconds of a Duration that CloudFormation takes in whole seconds, with headroom's message where
 * aws-cdk-lib's would name neither the construct nor the prop. A token given as `Duration.seconds(token)` is
 * returned as the token; any other unit of a token cannot be converted at synth.
 */
export function wholeSeconds(construct: string, prop: string, value: Duration): number {
  if (value.isUnresolved()) {
    try {
      return value.toSeconds();
    } catch {
      throw new InvalidPropError(
        construct,
        prop,
        'is a token in a unit other than seconds, which cannot be converted to seconds at synth',
        `Give it as Duration.seconds(token).`,
      );
    }
  }
  const milliseconds = value.toMilliseconds();
  if (milliseconds % 1000 !== 0) {
    const below = Math.floor(milliseconds / 1000);
    throw new InvalidPropError(
      construct,
      prop,
      `(${milliseconds / 1000} seconds) is not a whole number of seconds, and AWS takes it in seconds`,
      `Round it to Duration.seconds(${below === 0 ? 1 : below}) or Duration.seconds(${below + 1}).`,
    );
  }
  return milliseconds / 1000;
}

/**
 * A whole number of seconds in [min, max] (the limits given as Durations for the message); a token passes
 * through unchecked. Returns the seconds, or the token.
 */
export function requireSecondsBetween(construct: string, prop: string, value: Duration, min: Duration, max: Duration): number {
  const seconds = wholeSeconds(construct, prop, value);
  if (Token.isUnresolved(seconds)) return seconds;
  if (seconds < min.toSeconds() || seconds > max.toSeconds()) {
    throw new InvalidPropError(
      construct,
      prop,
      `(${value.toHumanString()}) must be between ${min.toHumanString()} and ${max.toHumanString()}`,
      `Set ${prop} within that range.`,
    );
  }
  return seconds;
}

/**
 * Two props of which `low` must not exceed `high`: both plain (compared), or both tokens (CloudFormation checks
 * them); one token and one number cannot be compared at synth, and is refused rather than compared with the
 * token's placeholder number.
 */
export function requireOrdered(construct: string, lowProp: string, low: number, highProp: string, high: number): void {
  if (Token.isUnresolved(low) && Token.isUnresolved(high)) return;
  if (Token.isUnresolved(low) || Token.isUnresolved(high)) {
    const [tokenProp, otherProp] = Token.isUnresolved(low) ? [lowProp, highProp] : [highProp, lowProp];
    throw new InvalidPropError(
      construct,
      tokenProp,
      `is a token (a CfnParameter or another value known only at deploy) while ${otherProp} is a number, so headroom cannot check at synth that ${lowProp} <= ${highProp}`,
      `Give ${tokenProp} as a literal number, or make both tokens.`,
    );
  }
  if (low > high) throw new InvalidPropError(construct, lowProp, `(${low}) is above ${highProp} (${high})`, `Lower ${lowProp} or raise ${highProp}.`);
}

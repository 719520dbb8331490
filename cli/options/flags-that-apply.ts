import type { Command } from 'commander';

/** What a flag's value applies to; a flag given where it applies to nothing is an error, never ignored. */
export interface FlagScope {
  /** The settings in force, e.g. `{ consumer: 'lambda', source: 'trace' }`. */
  readonly [setting: string]: string;
}

/** For each flag (by its long name), the settings it applies under, and how to say so. */
export type FlagRules = Readonly<Record<string, { readonly setting: string; readonly values: readonly string[]; readonly as: string }>>;

/**
 * Refuses every flag the user gave (on the command line, not by default) that does nothing in `scope`, naming the
 * flag and where it does apply.
 */
export function refuseFlagsThatDoNotApply(command: Command, scope: FlagScope, rules: FlagRules): void {
  for (const option of command.options) {
    const rule = option.long ? rules[option.long] : undefined;
    if (!rule || command.getOptionValueSource(option.attributeName()) !== 'cli') continue;
    if (!rule.values.includes(scope[rule.setting]!)) {
      throw new Error(
        `${option.long} does nothing ${describe(rule.setting, scope[rule.setting]!)}: it applies only ${rule.as}. Drop it, or change ${rule.setting === 'source' ? 'the load source' : `--${rule.setting}`}.`,
      );
    }
  }
}

function describe(setting: string, value: string): string {
  return setting === 'source' ? `with --${value}` : `with --${setting} ${value}`;
}

import { Command, CommanderError } from 'commander';
import cliPackage from './package.json' with { type: 'json' };

/** Every subcommand lives in cli/commands/ and registers itself on the program. */
const commandModules = [
  () => import('./commands/demo.ts'),
  () => import('./commands/forecast.ts'),
  () => import('./commands/backtest.ts'),
  () => import('./commands/cost.ts'),
] as Array<() => Promise<{ register(program: Command): void }>>;

/** Commander's own exits that are not errors (help, version): nothing more to say. */
const QUIET_EXITS = new Set(['commander.helpDisplayed', 'commander.help', 'commander.version']);

/** One line on stderr: `headroom: <what is wrong>`, with where to read more for a parser error. */
function oneLine(message: string, hint = ''): string {
  const text = message
    .replace(/^error: /, '')
    .replace(/\s*\n\s*/g, ' ')
    .trim();
  return `headroom: ${text}${hint}\n`;
}

/** The subcommand named on the command line, for the "see --help" hint. */
function commandNamed(argv: readonly string[]): string {
  const name = argv.slice(2).find((arg) => !arg.startsWith('-'));
  return name && ['demo', 'forecast', 'backtest'].includes(name) ? ` ${name}` : '';
}

/**
 * Runs the CLI. Every failure ends with exit code 1 (or commander's) and one line on stderr that says what is wrong,
 * never a stack trace nor the whole help: commander's parse errors and the errors raised inside an action alike.
 */
export async function main(argv: readonly string[]): Promise<void> {
  let printed = false;
  const hint = ` (headroom${commandNamed(argv)} --help lists the options)`;
  const program = new Command('headroom')
    .description('Keep AWS workloads ahead of their load: forecast, plan, simulate and backtest scaling policies.')
    .version(cliPackage.version, '-V, --version', 'print the version')
    .configureOutput({
      outputError: (message, write) => {
        printed = true;
        write(oneLine(message, hint));
      },
    })
    .exitOverride();
  for (const load of commandModules) (await load()).register(program);
  try {
    await program.parseAsync([...argv]);
  } catch (error) {
    if (error instanceof CommanderError) {
      if (!printed && !QUIET_EXITS.has(error.code)) process.stderr.write(oneLine(error.message));
      process.exitCode = QUIET_EXITS.has(error.code) ? error.exitCode : error.exitCode || 1;
      return;
    }
    process.stderr.write(oneLine(error instanceof Error ? error.message : String(error)));
    process.exitCode = 1;
  }
}

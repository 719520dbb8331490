import { Command, CommanderError } from 'commander';

/** Every subcommand lives in cli/commands/ and registers itself on the program. */
const commandModules = [
  () => import('./commands/demo.ts'),
  () => import('./commands/forecast.ts'),
  () => import('./commands/backtest.ts'),
  () => import('./commands/cost.ts'),
] as Array<() => Promise<{ register(program: Command): void }>>;

/** Commander's own exits that are not errors (help, version): nothing more to say. */
const QUIET_EXITS = new Set(['commander.helpDisplayed', 'commander.help', 'commander.version']);

/**
 * Runs the CLI. Every failure ends with exit code 1 (or commander's) and one line on stderr that says what is wrong,
 * never a stack trace: commander prints the errors it finds while parsing, and this prints the rest, including
 * commander errors raised later inside an action.
 */
export async function main(argv: readonly string[]): Promise<void> {
  let printed = false;
  const program = new Command('headroom')
    .description('Keep AWS workloads ahead of their load: forecast, plan, simulate and backtest scaling policies.')
    .showHelpAfterError()
    .configureOutput({
      outputError: (message, write) => {
        printed = true;
        write(message);
      },
    })
    .exitOverride();
  for (const load of commandModules) (await load()).register(program);
  try {
    await program.parseAsync([...argv]);
  } catch (error) {
    if (error instanceof CommanderError) {
      if (!printed && !QUIET_EXITS.has(error.code)) process.stderr.write(`headroom: ${error.message.replace(/^error: /, '')}\n`);
      process.exitCode = QUIET_EXITS.has(error.code) ? error.exitCode : error.exitCode || 1;
      return;
    }
    process.stderr.write(`headroom: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  }
}

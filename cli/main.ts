import { Command, CommanderError } from 'commander';

/** Every subcommand lives in cli/commands/ and registers itself on the program. */
const commandModules = [
  () => import('./commands/demo.ts'),
  () => import('./commands/forecast.ts'),
  () => import('./commands/backtest.ts'),
] as Array<() => Promise<{ register(program: Command): void }>>;

export async function main(argv: readonly string[]): Promise<void> {
  const program = new Command('headroom')
    .description('Keep AWS workloads ahead of their load: forecast, plan, simulate and backtest scaling policies.')
    .showHelpAfterError()
    .exitOverride();
  for (const load of commandModules) (await load()).register(program);
  try {
    await program.parseAsync([...argv]);
  } catch (error) {
    if (error instanceof CommanderError) {
      process.exitCode = error.exitCode;
      return;
    }
    process.stderr.write(`headroom: ${(error as Error).message}\n`);
    process.exitCode = 1;
  }
}

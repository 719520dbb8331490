import { resolve } from 'node:path';
import type { Command } from 'commander';
import { requireDemoDependencies } from '../demo/demo-dependencies.ts';
import { runAccountDemo, runLocalDemo } from '../demo/run-demo.ts';

export function register(program: Command): void {
  program
    .command('demo')
    .description('run headroom end to end on a local AWS (moto on loopback): deploy, publish, predict, backtest, report')
    .option('--report <dir>', 'where to write the HTML report', 'headroom-report')
    .option('--profile <name>', 'run against your AWS account with this profile instead (forecastOnly; the reference app must be deployed)')
    .option('--endpoint <url>', 'run against this AWS endpoint instead of starting a local one (forecastOnly)')
    .action(async (options: { report: string; profile?: string; endpoint?: string }) => {
      // Before anything starts: the demo's CDK packages are optional peers of the CLI.
      if (!options.profile && !options.endpoint) requireDemoDependencies();
      const started = Date.now();
      const log = (line: string) => process.stdout.write(`[${((Date.now() - started) / 1000).toFixed(1).padStart(5)}s] ${line}\n`);
      const demo = { reportDir: resolve(options.report), now: new Date(), log };
      if (options.profile || options.endpoint) await runAccountDemo({ ...demo, profile: options.profile, endpoint: options.endpoint });
      else await runLocalDemo(demo);
    });
}

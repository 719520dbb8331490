import { resolve } from 'node:path';
import type { Command } from 'commander';
import { runLocalDemo } from '../demo/run-demo.ts';

export function register(program: Command): void {
  program
    .command('demo')
    .description('run headroom end to end on a local AWS (moto on loopback): deploy, publish, predict, backtest, report')
    .option('--report <dir>', 'where to write the HTML report', 'headroom-report')
    .action(async (options: { report: string }) => {
      const started = Date.now();
      const log = (line: string) => process.stdout.write(`[${((Date.now() - started) / 1000).toFixed(1).padStart(5)}s] ${line}\n`);
      await runLocalDemo({ reportDir: resolve(options.report), now: new Date(), log });
    });
}

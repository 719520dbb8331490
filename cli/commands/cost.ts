import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Command } from 'commander';
import { assemblyTemplates } from '../../shared/cost/cloud-assembly.ts';
import { type CloudFormationTemplate, type CostReport, monthlyCost, PRICES } from '../../shared/cost/index.ts';

interface CostFlags {
  json?: boolean;
  lines?: boolean;
}

export function register(program: Command): void {
  program
    .command('cost')
    .description('what headroom itself costs a month in a synthesized app (its alarms, dashboards, metrics and functions), per workload')
    .argument('[cdk-out]', 'the cloud assembly `cdk synth` wrote', 'cdk.out')
    .option('--lines', 'list each priced item under its workload')
    .option('--json', 'print JSON for scripts')
    .action((cdkOut: string, flags: CostFlags) => {
      const report = monthlyCost(readAssembly(cdkOut));
      if (flags.json) {
        process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
        return;
      }
      process.stdout.write(formatReport(report, flags.lines ?? false));
    });
}

function readAssembly(cdkOut: string): Record<string, CloudFormationTemplate> {
  const manifestFile = join(cdkOut, 'manifest.json');
  if (!existsSync(manifestFile)) throw new Error(`${cdkOut} has no manifest.json: run \`cdk synth\` first, or give the directory it writes to`);
  const templates: Record<string, CloudFormationTemplate> = {};
  for (const [stack, file] of assemblyTemplates(JSON.parse(readFileSync(manifestFile, 'utf8')))) {
    templates[stack] = JSON.parse(readFileSync(join(cdkOut, file), 'utf8')) as CloudFormationTemplate;
  }
  return templates;
}

const usd = (value: number): string => `$${value.toFixed(2)}`;

function formatReport(report: CostReport, lines: boolean): string {
  if (report.workloads.length === 0) return 'No headroom construct in this app: headroom costs nothing here.\n';
  const rows = report.workloads.map((workload) => [workload.stack, workload.workload, usd(workload.monthlyUsd)]);
  const header = ['stack', 'workload', 'a month'];
  const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => row[column]!.length)));
  const format = (row: readonly string[]) =>
    row.map((cell, column) => (column === 2 ? cell.padStart(widths[column]!) : cell.padEnd(widths[column]!))).join('  ');
  const out = [format(header)];
  for (const [index, workload] of report.workloads.entries()) {
    out.push(format(rows[index]!));
    if (lines) for (const line of workload.lines) out.push(`    ${line.item}: ${round(line.quantity)} ${line.unit}, ${usd(line.monthlyUsd)}`);
  }
  out.push(
    '',
    `headroom's own bill: ${usd(report.totalUsd)} a month for ${report.workloadCount} workload(s), ${usd(report.perWorkloadUsd)} each with their share of what they share`,
    `(public ${report.region} prices of ${report.pricesAsOf}, no free tier; ${PRICES.sources[0]}). Traffic-driven costs of your own consumers (their logs) are not included.`,
  );
  return `${out.join('\n')}\n`;
}

const round = (value: number): string => (value >= 100 ? String(Math.round(value)) : String(Math.round(value * 100) / 100));

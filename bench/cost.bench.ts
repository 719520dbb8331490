// What headroom itself costs a month, priced from synthesized templates by the library's own cost model:
//   npm run build && npm run bench -- cost
// The default queue worker (QueueScaledService + addToPredictor, no dashboard), each optional extra, a stack of 20
// such workers (the shared predictor and publisher spread over them) and, as the baseline in the same run, the same
// worker publishing every backlog metric (the default before the publisher published only what is read). Writes
// bench/results/cost.md.
import { writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { type CostReport, monthlyCost, PRICES, SHARED_WORKLOAD } from '../shared/cost/index.ts';
import { type HeadroomLibrary, type QueueWorkersOptions, queueWorkersStack } from '../test/support/queue-workers.ts';

// The built library: its constructs find their pre-bundled handlers beside them, as in a user's app.
const library = createRequire(import.meta.url)('../dist/stacks/index.js') as HeadroomLibrary;
const TARGET_USD = 1.5;

function priced(options: QueueWorkersOptions): CostReport {
  const stack = queueWorkersStack(new App(), 'Workers', options, library);
  return monthlyCost({ Workers: Template.fromStack(stack).toJSON() });
}

const usd = (value: number) => `$${value.toFixed(2)}`;

export async function run(): Promise<void> {
  const rows: Array<[string, CostReport]> = [
    ['default (QueueScaledService + addToPredictor)', priced({ workers: 1 })],
    ['+ addDashboard()', priced({ workers: 1, dashboards: [0] })],
    ['+ message-wait SLO burn-rate alarms', priced({ workers: 1, sloAlarms: [0] })],
    ['baseline: every backlog metric published (diagnosticMetrics)', priced({ workers: 1, diagnosticMetrics: true })],
    ['default, 20 workers in one stack (per worker)', priced({ workers: 20 })],
  ];
  const base = rows[0]![1].perWorkloadUsd;
  const baseline = rows[3]![1].perWorkloadUsd;
  const lines = [
    '# What headroom costs a month',
    '',
    `\`npm run build && npm run bench -- cost\`. Public ${PRICES.region} prices of ${PRICES.asOf} (shared/cost/prices.ts), no free tier;`,
    'priced from the synthesized templates by `monthlyCost` (what `headroom cost cdk.out/` prints). Per workload, with its share of',
    'what workloads share (the predictor’s alarms, the publisher’s and predictor’s runs).',
    '',
    '| configuration | a month per worker | vs default | vs baseline |',
    '| --- | ---: | ---: | ---: |',
    ...rows.map(
      ([name, report]) =>
        `| ${name} | ${usd(report.perWorkloadUsd)} | ${(report.perWorkloadUsd / base).toFixed(2)} x | ${(report.perWorkloadUsd / baseline).toFixed(2)} x |`,
    ),
    '',
    `Target for the default: <= ${usd(TARGET_USD)} a month; measured ${usd(base)}: ${base <= TARGET_USD ? 'met' : 'missed'}.`,
    '',
    '## Where the default worker’s money goes',
    '',
    '| item | quantity | a month |',
    '| --- | ---: | ---: |',
    ...rows[0]![1].workloads
      .filter((workload) => workload.workload !== SHARED_WORKLOAD)
      .flatMap((workload) => workload.lines)
      .map(
        (line) =>
          `| ${line.item} | ${line.quantity >= 100 ? Math.round(line.quantity) : line.quantity.toFixed(2)} ${line.unit} | ${usd(line.monthlyUsd)} |`,
      ),
    '',
  ];
  const text = lines.join('\n');
  writeFileSync(new URL('./results/cost.md', import.meta.url), text);
  console.log(text);
}

import { InvalidArgumentError, Option, type Command } from 'commander';
import { forecastSeries } from '../../shared/forecast/index.ts';
import { sliceUntil } from '../../shared/series/regular-series.ts';
import { formatDuration, parseDuration } from '../options/duration.ts';
import { readTrace } from '../options/read-trace.ts';

interface ForecastFlags {
  trace: string;
  until?: string;
  horizon: number;
  step?: number;
  model: string;
  json?: boolean;
}

function parseUntil(text: string): number {
  const ms = Date.parse(/[zZ]|[+-]\d{2}:?\d{2}$/.test(text) ? text : `${text}Z`);
  if (Number.isNaN(ms)) throw new InvalidArgumentError(`"${text}" is not an ISO time such as 2015-01-20T00:00:00Z`);
  return ms;
}

const round = (value: number) => Math.round(value * 1000) / 1000;

export function register(program: Command): void {
  program
    .command('forecast')
    .description('forecast a load trace (CSV timestamp,value) with p50/p90/p99 quantiles')
    .requiredOption('--trace <file>', 'CSV with a timestamp,value header, UTC timestamps one step apart')
    .option('--until <iso-time>', 'fit on the data before this time (UTC when no zone is given)', undefined)
    .addOption(new Option('--horizon <duration>', 'how far ahead, e.g. 24h').argParser(parseDuration).default(86_400_000, '24h'))
    .option('--step <duration>', 'aggregate the forecast to this step (max of sub-steps), e.g. 1h', parseDuration)
    .option('--model <name>', 'auto, or a model name', 'auto')
    .option('--json', 'print JSON for scripts')
    .action((flags: ForecastFlags) => {
      const trace = readTrace(flags.trace);
      const history = flags.until ? sliceUntil(trace, parseUntil(flags.until)) : trace;
      const forecast = forecastSeries(history, { horizonMs: flags.horizon, stepMs: flags.step, model: flags.model });
      const rows = forecast.p50.map((p50, index) => ({
        timestamp: new Date(forecast.startMs + index * forecast.stepMs).toISOString(),
        p50: round(p50),
        p90: round(forecast.p90[index]!),
        p99: round(forecast.p99[index]!),
      }));
      if (flags.json) {
        process.stdout.write(`${JSON.stringify({ model: forecast.model, step: formatDuration(forecast.stepMs), notes: forecast.notes, forecast: rows })}\n`);
        return;
      }
      process.stdout.write(`model ${forecast.model}, step ${formatDuration(forecast.stepMs)}\n`);
      for (const note of forecast.notes) process.stdout.write(`  ${note}\n`);
      process.stdout.write(`${'timestamp'.padEnd(26)}${'p50'.padStart(12)}${'p90'.padStart(12)}${'p99'.padStart(12)}\n`);
      for (const row of rows) process.stdout.write(`${row.timestamp.padEnd(26)}${String(row.p50).padStart(12)}${String(row.p90).padStart(12)}${String(row.p99).padStart(12)}\n`);
    });
}

import { Option, type Command } from 'commander';
import { forecastSeries, MODEL_NAMES, type QuantileForecast } from '../../shared/forecast/index.ts';
import { formatTimestamp } from '../../shared/series/timestamp.ts';
import { durationBetween, formatDuration } from '../options/duration.ts';
import { readTrace } from '../options/read-trace.ts';
import { parseTime } from '../options/time.ts';

interface ForecastFlags {
  trace: string;
  until?: number;
  horizon: number;
  step?: number;
  model: string;
  json?: boolean;
}

/** Forecast steps computed at once, at most: the forecast's memory and output grow with them. */
const MAX_HORIZON_STEPS = 100_000;
const MAX_HORIZON_MS = 366 * 86_400_000;

const round = (value: number) => Math.round(value * 1000) / 1000;

export function register(program: Command): void {
  program
    .command('forecast')
    .description('forecast a load trace (CSV timestamp,value) with p50/p90/p99 quantiles')
    .requiredOption('--trace <file>', 'CSV with a timestamp,value header, UTC timestamps one step apart')
    .addOption(new Option('--until <iso-time>', 'fit on the data before this time (UTC when no zone is given)').argParser(parseTime))
    .addOption(
      new Option('--horizon <duration>', 'how far ahead, e.g. 24h')
        .argParser(durationBetween(1, MAX_HORIZON_MS, 'a forecast further ahead only repeats its seasons'))
        .default(86_400_000, '24h'),
    )
    .addOption(
      new Option('--step <duration>', 'aggregate the forecast to this step (max of sub-steps), e.g. 1h').argParser(
        durationBetween(1, MAX_HORIZON_MS, 'at most the horizon'),
      ),
    )
    .addOption(new Option('--model <name>', 'auto, or a model name').choices(['auto', ...MODEL_NAMES]).default('auto'))
    .option('--json', 'print JSON for scripts')
    .action(async (flags: ForecastFlags) => {
      // Rows from --until on are checked but not kept: memory follows the history the forecast fits on.
      const trace = await readTrace(flags.trace, flags.until === undefined ? {} : { untilMs: flags.until });
      const history = trace.series;
      if (flags.until !== undefined && history.values.length < 2) {
        throw new Error(
          `--until ${new Date(flags.until).toISOString()} leaves ${history.values.length} step(s) of history: the trace runs from ${formatTimestamp(trace.firstMs)} to ${formatTimestamp(trace.lastMs)} (UTC)`,
        );
      }
      // A forecast fitted on the whole trace starts where the data ends: an --until later than that would be a
      // forecast from a time the data does not reach, presented as if it did.
      if (flags.until !== undefined && flags.until > trace.lastMs + history.stepMs) {
        throw new Error(
          `--until ${new Date(flags.until).toISOString()} is after the trace ends (its last row is ${formatTimestamp(trace.lastMs)} UTC): give a time up to ${formatTimestamp(trace.lastMs + history.stepMs)}, or leave --until out to fit on the whole trace`,
        );
      }
      const steps = Math.ceil(flags.horizon / history.stepMs);
      if (steps > MAX_HORIZON_STEPS) {
        throw new Error(
          `--horizon ${formatDuration(flags.horizon)} is ${steps} steps of the trace's ${formatDuration(history.stepMs)} step; at most ${MAX_HORIZON_STEPS} are forecast at once: use --horizon ${formatDuration(Math.max(history.stepMs, Math.floor((MAX_HORIZON_STEPS * history.stepMs) / 86_400_000) * 86_400_000))} or less`,
        );
      }
      if (flags.step !== undefined && (flags.step % history.stepMs !== 0 || flags.step > flags.horizon)) {
        throw new Error(
          `--step ${formatDuration(flags.step)} must be a multiple of the trace's ${formatDuration(history.stepMs)} step and at most --horizon ${formatDuration(flags.horizon)}`,
        );
      }
      let forecast: QuantileForecast;
      try {
        forecast = forecastSeries(history, { horizonMs: flags.horizon, stepMs: flags.step, model: flags.model });
      } catch (error) {
        throw new Error(
          `cannot forecast --trace ${flags.trace}${flags.model === 'auto' ? '' : ` with --model ${flags.model}`}: ${(error as Error).message}`,
          { cause: error },
        );
      }
      const rows = forecast.p50.map((p50, index) => ({
        timestamp: new Date(forecast.startMs + index * forecast.stepMs).toISOString(),
        p50: round(p50),
        p90: round(forecast.p90[index]!),
        p99: round(forecast.p99[index]!),
      }));
      if (flags.json) {
        process.stdout.write(
          `${JSON.stringify({ model: forecast.model, step: formatDuration(forecast.stepMs), notes: forecast.notes, forecast: rows })}\n`,
        );
        return;
      }
      process.stdout.write(`model ${forecast.model}, step ${formatDuration(forecast.stepMs)}\n`);
      for (const note of forecast.notes) process.stdout.write(`  ${note}\n`);
      process.stdout.write(`${'timestamp'.padEnd(26)}${'p50'.padStart(12)}${'p90'.padStart(12)}${'p99'.padStart(12)}\n`);
      for (const row of rows)
        process.stdout.write(
          `${row.timestamp.padEnd(26)}${String(row.p50).padStart(12)}${String(row.p90).padStart(12)}${String(row.p99).padStart(12)}\n`,
        );
    });
}

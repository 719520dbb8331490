// R's forecast package (stlf = MSTL + ETS, ets, auto.arima, tbats) as benchmark peers, through one Rscript run
// over every window: R's start-up is paid once, and the fits are spread over the machine's cores.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export type RModel = 'stlf' | 'ets' | 'arima' | 'tbats';

export interface RWindow {
  readonly model: RModel;
  readonly values: readonly number[];
  /** Seasonal periods in steps; the first is the main one (ets and auto.arima see only it). */
  readonly periods: readonly number[];
  readonly horizon: number;
}

export interface RForecast {
  readonly point: number[];
  readonly p90: number[];
  readonly ms: number;
}

/** Identifies a window by its content, so the bench's models can look their R forecast up. */
export function windowKey(model: RModel, values: readonly number[], horizon: number): string {
  let sum = 0;
  for (const value of values) if (Number.isFinite(value)) sum += value;
  return `${model}|${values.length}|${horizon}|${sum}|${values[values.length - 1]}`;
}

/** Why R's forecast package cannot run here, or undefined when it can. */
export function rUnavailable(): string | undefined {
  const probe = spawnSync('Rscript', ['-e', 'suppressPackageStartupMessages(library(forecast))'], { encoding: 'utf8' });
  if (probe.error) return 'Rscript is not installed (apt-get install r-cran-forecast)';
  if (probe.status !== 0) return 'R is installed without the forecast package (apt-get install r-cran-forecast)';
  return undefined;
}

/** Fits every window in R; a window R could not fit is absent from the result. */
export function runRPeers(windows: readonly RWindow[]): Map<string, RForecast> {
  const directory = mkdtempSync(join(tmpdir(), 'headroom-r-'));
  const input = join(directory, 'windows.csv');
  const output = join(directory, 'forecasts.csv');
  const lines = ['key,model,horizon,periods,values'];
  for (const window of windows) {
    const values = window.values.map((value) => (Number.isFinite(value) ? String(value) : 'NA')).join(';');
    lines.push(`"${windowKey(window.model, window.values, window.horizon)}",${window.model},${window.horizon},${window.periods.join(';')},${values}`);
  }
  writeFileSync(input, lines.join('\n'));
  const script = fileURLToPath(new URL('r-peers.R', import.meta.url));
  const run = spawnSync('Rscript', [script, input, output, String(availableParallelism())], { encoding: 'utf8', maxBuffer: 1 << 26 });
  if (run.status !== 0) throw new Error(`Rscript failed: ${run.stderr}`);
  const forecasts = new Map<string, RForecast>();
  for (const line of readFileSync(output, 'utf8').trim().split('\n').slice(1)) {
    const [key, , ms, point, p90] = line.split(',').map((cell) => cell.replace(/^"|"$/g, ''));
    if (!point) continue;
    forecasts.set(key!, { point: point.split(';').map(Number), p90: p90!.split(';').map(Number), ms: Number(ms) });
  }
  return forecasts;
}

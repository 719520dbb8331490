import type { QuantileForecast } from './index.ts';

/** Coarsens a forecast: each new step is the max (capacity-safe) or mean of the sub-steps it covers. */
export function aggregateForecast(forecast: QuantileForecast, stepMs: number, how: 'max' | 'mean'): QuantileForecast {
  const factor = stepMs / forecast.stepMs;
  const coarsen = (values: readonly number[]) => {
    const out: number[] = [];
    for (let start = 0; start < values.length; start += factor) {
      const chunk = values.slice(start, start + factor);
      out.push(how === 'max' ? Math.max(...chunk) : chunk.reduce((sum, value) => sum + value, 0) / chunk.length);
    }
    return out;
  };
  return {
    ...forecast,
    stepMs,
    p50: coarsen(forecast.p50),
    p90: coarsen(forecast.p90),
    p99: coarsen(forecast.p99),
    notes: [...forecast.notes, `aggregated to ${stepMs / 60_000} min steps (${how} of each step's sub-steps)`],
  };
}

import { describe, expect, it } from 'vitest';
import { parsePredictorConfig } from '../../../shared/predictor/config.ts';
import { decideTarget, UnusableHistoryError } from '../../../shared/predictor/decide-target.ts';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const NOW = Date.UTC(2026, 10, 24);
const config = parsePredictorConfig(
  JSON.stringify({ mode: 'forecastAndScale', targets: [{ workload: 'orders', resourceId: 'service/main/orders', load: [{ namespace: 'X', metricName: 'Y' }], unitThroughput: 1, minCapacity: 1, maxCapacity: 50 }] }),
);
const target = config.targets[0]!;
const state = { registeredMin: 1, registeredMax: 50, scheduledScalingSuspended: false, existing: [] };
const dailyLoad = (hour: number) => 10 + 8 * Math.sin((2 * Math.PI * hour) / 24);

/** The predictor's history window (config.historyDays, hourly) where the metric reported only for the last `days`. */
function windowWithMetricAge(days: number) {
  const steps = config.historyDays * 24;
  return { startMs: NOW - config.historyDays * DAY, stepMs: HOUR, values: Array.from({ length: steps }, (_, hour) => (hour < steps - days * 24 ? Number.NaN : dailyLoad(hour))) };
}

describe('decideTarget', () => {
  it('plans a metric younger than the history window from its first datapoint, not as missing data', () => {
    const decision = decideTarget(config, target, windowWithMetricAge(5), state, NOW);
    expect(decision.forecast.startMs).toBe(NOW);
    expect(decision.plan.steps.length).toBeGreaterThan(0);
  });

  it('refuses a metric that has reported for less than 48 hours, saying how long it has', () => {
    expect(() => decideTarget(config, target, windowWithMetricAge(1), state, NOW)).toThrow(UnusableHistoryError);
    expect(() => decideTarget(config, target, windowWithMetricAge(1), state, NOW)).toThrow(/24 h of history, at least 48 h needed/);
  });

  it('still refuses a history with too many gaps after the metric first reported', () => {
    const window = windowWithMetricAge(10);
    const holed = { ...window, values: window.values.map((value, index) => (index % 3 === 0 ? Number.NaN : value)) };
    expect(() => decideTarget(config, target, holed, state, NOW)).toThrow(/of the history is missing/);
  });
});

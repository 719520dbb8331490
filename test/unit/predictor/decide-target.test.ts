import { describe, expect, it } from 'vitest';
import { parsePredictorConfig } from '../../../shared/predictor/config.ts';
import { decideTarget, UnusableHistoryError } from '../../../shared/predictor/decide-target.ts';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const NOW = Date.UTC(2026, 10, 24);
const ordersTarget = {
  workload: 'orders',
  resourceId: 'service/main/orders',
  load: [{ namespace: 'X', metricName: 'Y' }],
  unitThroughput: 1,
  minCapacity: 1,
  maxCapacity: 50,
};
const config = parsePredictorConfig(JSON.stringify({ mode: 'forecastAndScale', targets: [ordersTarget] }));
const target = config.targets[0]!;
const state = { registeredMin: 1, registeredMax: 50, scheduledScalingSuspended: false, existing: [] };
const dailyLoad = (hour: number) => 10 + 8 * Math.sin((2 * Math.PI * hour) / 24);

/** The predictor's history window (config.historyDays, hourly) where the metric reported only for the last `days`. */
function windowWithMetricAge(days: number) {
  const steps = config.historyDays * 24;
  return {
    startMs: NOW - config.historyDays * DAY,
    stepMs: HOUR,
    values: Array.from({ length: steps }, (_, hour) => (hour < steps - days * 24 ? Number.NaN : dailyLoad(hour))),
  };
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

  describe('decision table', () => {
    const window = windowWithMetricAge(10);
    const foreign = (count: number) =>
      Array.from({ length: count }, (_, index) => ({ name: `user-2099-${index}`, schedule: 'at(2099-01-01T00:00:00)', minCapacity: 1 }));
    const withSettings = (settings: Record<string, unknown>) =>
      parsePredictorConfig(
        JSON.stringify({
          mode: 'forecastAndScale',
          targets: [
            {
              workload: 'orders',
              resourceId: 'service/main/orders',
              load: [{ namespace: 'X', metricName: 'Y' }],
              unitThroughput: 1,
              targetUtilization: 1,
            },
          ],
          ...settings,
        }),
      );
    const rows = [
      { row: 'forecastAndScale', settings: {}, state: {}, writes: true, why: undefined },
      { row: 'the kill switch', settings: { enabled: false }, state: {}, writes: false, why: 'the predictor is disabled (kill switch)' },
      { row: 'forecastOnly', settings: { mode: 'forecastOnly' }, state: {}, writes: false, why: 'forecastOnly mode' },
      {
        row: 'suspended scheduled scaling',
        settings: {},
        state: { scheduledScalingSuspended: true },
        writes: false,
        why: 'scheduled scaling is suspended on the target',
      },
      {
        row: 'the kill switch with scheduled scaling suspended',
        settings: { enabled: false },
        state: { scheduledScalingSuspended: true },
        writes: false,
        why: 'the predictor is disabled (kill switch)',
      },
    ];
    it.each(rows)('$row: writes $writes', ({ settings, state: override, writes, why }) => {
      const decision = decideTarget(withSettings(settings), withSettings(settings).targets[0]!, window, { ...state, ...override }, NOW);
      expect(decision).toMatchObject({ writes, whyNoWrites: why });
      // The plan, and the metrics it feeds, are computed whatever is written.
      expect(decision.plan.steps.length).toBeGreaterThan(0);
      expect(decision.reconciliation.put.length).toBeGreaterThan(0);
    });

    it('clamps every raise to the registered MaxCapacity when it is below the configured one', () => {
      const clamped = withSettings({});
      const decision = decideTarget(clamped, { ...clamped.targets[0]!, maxCapacity: 50 }, window, { ...state, registeredMax: 7 }, NOW);
      const raises = decision.reconciliation.put.filter((action) => action.kind === 'raise');
      expect(raises.length).toBeGreaterThan(0);
      expect(Math.max(...raises.map((action) => action.minCapacity))).toBe(7);
    });

    it.each([
      [190, 9],
      [196, 3],
    ])('lets %i of the user’s actions eat the budget: at most %i of its own', (count, most) => {
      const decision = decideTarget(withSettings({}), withSettings({}).targets[0]!, window, { ...state, existing: foreign(count) }, NOW);
      expect(decision.reconciliation.put.length).toBeGreaterThan(0);
      expect(decision.reconciliation.put.length).toBeLessThanOrEqual(most);
    });

    it('schedules nothing, and says why, when the user’s actions leave no room for a raise and its restore', () => {
      const decision = decideTarget(withSettings({}), withSettings({}).targets[0]!, window, { ...state, existing: foreign(198) }, NOW);
      expect(decision.reconciliation.put).toEqual([]);
      expect(decision.plan.notes.join()).toMatch(/an action budget of 1 cannot hold a raise and its restore/);
    });
  });
});

describe('decideTarget: floor settings', () => {
  const floorTuning = { acceptableLatencySeconds: 300, startupSeconds: 90, scaleOutCooldownSeconds: 60, reactiveTarget: 1, drainShare: 0.5 };
  const tuned = parsePredictorConfig(JSON.stringify({ mode: 'forecastAndScale', targets: [{ ...ordersTarget, floorTuning }] }));
  /** The hourly daily-cycle load a run at `nowMs` reads: the `days` days before the current hour. */
  const history = (days: number, nowMs = NOW) => {
    const startMs = Math.floor(nowMs / HOUR) * HOUR - days * DAY;
    return { startMs, stepMs: HOUR, values: Array.from({ length: days * 24 }, (_, index) => dailyLoad((startMs / HOUR + index) % 24)) };
  };

  it('chooses them by replaying the week before today where the target carries a queue model and the history reaches back', () => {
    const decision = decideTarget(tuned, tuned.targets[0]!, history(tuned.historyDays + 8), state, NOW + 5 * HOUR);
    expect(decision.floorSettings.chosenBy).toBe('backtest');
    expect(decision.floorSettings.candidates).toHaveLength(4);
    expect(decision.floorSettings.reason).toMatch(/the cheapest of 4 candidates/);
  });

  it('reads the same history at every run of a day, so its choice holds all day', () => {
    const [early, late] = [NOW + HOUR, NOW + DAY - 1];
    const morning = decideTarget(tuned, tuned.targets[0]!, history(tuned.historyDays + 8, early), state, early);
    const evening = decideTarget(tuned, tuned.targets[0]!, history(tuned.historyDays + 8, late), state, late);
    expect(evening.floorSettings.candidates).toEqual(morning.floorSettings.candidates);
  });

  it('plans from the configured ones, saying so, where the history is too short to replay a week', () => {
    const decision = decideTarget(tuned, tuned.targets[0]!, history(5), state, NOW);
    expect(decision.floorSettings).toMatchObject({ quantile: 'p50', targetUtilization: 1, chosenBy: 'configuration' });
    expect(decision.floorSettings.reason).toMatch(/too little history/);
  });

  it('plans from the configured ones where the target carries no queue model', () => {
    expect(decideTarget(config, target, history(30), state, NOW).floorSettings.chosenBy).toBe('configuration');
  });

  it('forecasts from historyDays of a tuned target’s longer window, as from an untuned one’s', () => {
    const long = decideTarget(tuned, tuned.targets[0]!, history(tuned.historyDays + 8), state, NOW);
    const plain = decideTarget(config, target, history(config.historyDays), state, NOW);
    expect(long.forecast.p50).toEqual(plain.forecast.p50);
  });

  it('replays a tuned target once a day, reusing the choice at later runs of the day and forgetting it the next day', () => {
    const window = history(tuned.historyDays + 9);
    const memo = new Map();
    const first = decideTarget(tuned, tuned.targets[0]!, window, state, NOW - 2 * HOUR, memo);
    const later = decideTarget(tuned, tuned.targets[0]!, window, state, NOW - HOUR, memo);
    expect(later.floorSettings).toBe(first.floorSettings);
    const tomorrow = decideTarget(tuned, tuned.targets[0]!, window, state, NOW + HOUR, memo);
    expect(tomorrow.floorSettings).not.toBe(first.floorSettings);
    expect(memo.size).toBe(1);
  });
});

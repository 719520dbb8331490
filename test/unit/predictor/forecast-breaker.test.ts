import { describe, expect, it } from 'vitest';
import { parsePredictorConfig } from '../../../shared/predictor/config.ts';
import { decideTarget } from '../../../shared/predictor/decide-target.ts';
import { ActionOwnership, atExpression } from '../../../shared/predictor/scheduled-actions.ts';
import {
  BREAKER_DEFAULTS,
  breakerStateAfter,
  dayRelativeError,
  forecastBreaker,
  nextBreakerState,
  type BreakerState,
} from '../../../shared/predictor/forecast-breaker.ts';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const NOW = Date.UTC(2026, 10, 24);
const DAYS = 21;
/** A weekly-repeating hourly load (weekdays busier) with a little deterministic noise. */
const weekly = (hour: number) =>
  20 + 15 * Math.sin((2 * Math.PI * (hour % 24)) / 24) + (Math.floor(hour / 24) % 7 < 5 ? 10 : 0) + 2 * Math.sin(hour * 12.9898);
/** Another shape: the daily cycle upside down, as in an incident, a migration or a load test. */
const upsideDown = (hour: number) => 60 - weekly(hour);

/** The regular load, except the days from `from` to `to` counted back from the end (1 = the last day). */
function withEpisode(from = 0, to = 0) {
  return {
    startMs: NOW - DAYS * DAY,
    stepMs: HOUR,
    values: Array.from({ length: DAYS * 24 }, (_, hour) => {
      const back = DAYS - Math.floor(hour / 24);
      return back <= from && back >= to ? upsideDown(hour) : weekly(hour);
    }),
  };
}

describe('nextBreakerState: the decision table (opens above 1.5, closes at or below 1.1)', () => {
  const rows: ReadonlyArray<{ from: BreakerState; error: number | undefined; to: BreakerState; why: string }> = [
    { from: 'closed', error: 0.6, to: 'closed', why: 'a forecast better than the naive' },
    { from: 'closed', error: 1.3, to: 'closed', why: 'worse than the naive, within the margin for noise' },
    { from: 'closed', error: 1.5, to: 'closed', why: 'at the opening threshold' },
    { from: 'closed', error: 1.51, to: 'open', why: 'above the opening threshold' },
    { from: 'closed', error: Infinity, to: 'open', why: 'an error on a load the naive had exactly' },
    { from: 'closed', error: undefined, to: 'closed', why: 'not measurable: nothing changes' },
    { from: 'open', error: 1.4, to: 'open', why: 'recovering but not yet near the naive (hysteresis)' },
    { from: 'open', error: 1.11, to: 'open', why: 'just above the closing threshold' },
    { from: 'open', error: 1.1, to: 'closed', why: 'at the closing threshold' },
    { from: 'open', error: 0.5, to: 'closed', why: 'recovered' },
    { from: 'open', error: undefined, to: 'open', why: 'not measurable: nothing changes' },
    { from: 'open', error: Number.NaN, to: 'open', why: 'NaN counts as not measurable' },
  ];
  it.each(rows)('$from with relative error $error -> $to ($why)', ({ from, error, to }) => {
    expect(nextBreakerState(from, error)).toBe(to);
  });

  const sequences: ReadonlyArray<{ errors: (number | undefined)[]; state: BreakerState; why: string }> = [
    { errors: [0.9, 1.3, 1.4], state: 'closed', why: 'never above the opening threshold' },
    { errors: [0.9, 2, 1.3], state: 'open', why: 'opened, then a day between the thresholds keeps it open' },
    { errors: [2, 1.3, 1.05], state: 'closed', why: 'opened, then a day near the naive closes it' },
    { errors: [2, undefined, undefined], state: 'open', why: 'opened, then nothing measurable' },
    { errors: [2, 0.8, 1.6], state: 'open', why: 'closed and opened again' },
  ];
  it.each(sequences)('after $errors: $state ($why)', ({ errors, state }) => {
    expect(breakerStateAfter(errors)).toBe(state);
  });
});

describe('forecastBreaker: the state replayed from the history', () => {
  it('stays closed on a load the forecast knows', () => {
    const decision = forecastBreaker(withEpisode(), 'UTC');
    expect(decision.state).toBe('closed');
    expect(decision.days).toHaveLength(BREAKER_DEFAULTS.days);
    expect(decision.reason).toMatch(/breaker closed/);
  });

  it('opens when the forecast learnt an episode and the load went back to what it was a week ago', () => {
    // Days 4 to 2 back are another shape; on the last day the load is what it was a week before, while the forecast
    // still carries the episode.
    const decision = forecastBreaker(withEpisode(4, 2), 'UTC');
    expect(decision.days.at(-1)!.relativeError).toBeGreaterThan(BREAKER_DEFAULTS.openAbove);
    expect(decision.state).toBe('open');
    expect(decision.reason).toMatch(/breaker open.*no floor raised/);
  });

  it('stays open through a day that is better but still well worse than the naive (hysteresis)', () => {
    const decision = forecastBreaker(withEpisode(9, 1), 'UTC');
    const [, opened, after] = decision.days.map((day) => day.relativeError!);
    expect(opened).toBeGreaterThan(BREAKER_DEFAULTS.openAbove);
    expect(after).toBeGreaterThan(BREAKER_DEFAULTS.closeAtOrBelow);
    expect(after).toBeLessThanOrEqual(BREAKER_DEFAULTS.openAbove);
    expect(decision.state).toBe('open');
  });

  it('closes once a day is forecast about as well as the naive again', () => {
    const decision = forecastBreaker(withEpisode(13, 2), 'UTC');
    const [, opened, after] = decision.days.map((day) => day.relativeError!);
    expect(opened).toBeGreaterThan(BREAKER_DEFAULTS.openAbove);
    expect(after).toBeLessThanOrEqual(BREAKER_DEFAULTS.closeAtOrBelow);
    expect(decision.state).toBe('closed');
  });

  it('decides once a day: every run of the day scores the same whole days, and a warm predictor reuses the decision', () => {
    const cache = new Map();
    const memo = { cache, workload: 'orders' };
    const full = withEpisode(4, 2);
    const later = { ...full, values: [...full.values, ...Array.from({ length: 5 }, (_, hour) => weekly(DAYS * 24 + hour))] };
    const first = forecastBreaker(full, 'UTC', BREAKER_DEFAULTS, undefined, memo);
    expect(forecastBreaker(later, 'UTC')).toEqual(first);
    expect(forecastBreaker(later, 'UTC', BREAKER_DEFAULTS, undefined, memo)).toBe(first);
    const nextDay = { ...later, values: [...later.values, ...Array.from({ length: 19 }, (_, hour) => weekly(DAYS * 24 + 5 + hour))] };
    expect(forecastBreaker(nextDay, 'UTC', BREAKER_DEFAULTS, undefined, memo)).not.toBe(first);
    expect(cache.size).toBe(1);
  });

  it('does not open on a load that repeats exactly, where the naive errs by nothing', () => {
    const flat = { startMs: NOW - DAYS * DAY, stepMs: HOUR, values: new Array<number>(DAYS * 24).fill(10) };
    expect(dayRelativeError(flat, flat.values.length - 24, 'UTC')).toBeLessThanOrEqual(1);
    expect(forecastBreaker(flat, 'UTC').state).toBe('closed');
  });
});

describe('decideTarget with an open breaker', () => {
  const config = parsePredictorConfig(
    JSON.stringify({
      mode: 'forecastAndScale',
      targets: [
        { workload: 'orders', resourceId: 'service/main/orders', load: [{ namespace: 'X', metricName: 'Y' }], unitThroughput: 1, maxCapacity: 80 },
      ],
    }),
  );
  const target = config.targets[0]!;
  const empty = { registeredMin: 1, registeredMax: 80, scheduledScalingSuspended: false, existing: [] };

  it('plans floors while the breaker is closed', () => {
    const decision = decideTarget(config, target, withEpisode(), empty, NOW);
    expect(decision.breaker.state).toBe('closed');
    expect(decision.plan.steps.length).toBeGreaterThan(0);
    expect(decision.reconciliation.put.length).toBeGreaterThan(0);
  });

  it('raises nothing while it is open, deletes the raises it had scheduled and restores a raise in force', () => {
    const closed = decideTarget(config, target, withEpisode(), empty, NOW);
    const ahead = closed.reconciliation.put.map((action) => ({ name: action.name, schedule: action.schedule, minCapacity: action.minCapacity }));
    // A raise of its own that ran an hour ago and holds the target at 5, and the plan's actions still ahead.
    const ranAtMs = NOW - HOUR;
    const inForce = {
      name: new ActionOwnership(config.actionPrefix, 'orders').name('raise', ranAtMs),
      schedule: atExpression(ranAtMs),
      minCapacity: 5,
    };
    const held = { ...empty, registeredMin: 5, existing: [inForce, ...ahead] };
    const decision = decideTarget(config, target, withEpisode(4, 2), held, NOW);
    expect(decision.breaker.state).toBe('open');
    expect(decision.plan.steps).toEqual([]);
    expect(decision.plan.notes.at(-1)).toMatch(/breaker open/);
    expect(decision.reconciliation.put.filter((action) => action.kind === 'raise')).toEqual([]);
    expect(decision.reconciliation.delete.length + decision.reconciliation.deleteReplacedRestores.length).toBeGreaterThan(0);
    const restores = decision.reconciliation.put.filter((action) => action.kind === 'restore');
    expect(restores).toHaveLength(1);
    expect(restores[0]!.minCapacity).toBeLessThan(5);
  });
});

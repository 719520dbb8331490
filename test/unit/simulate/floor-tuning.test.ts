import { describe, expect, it } from 'vitest';
import { FLOOR_TUNING_DAYS } from '../../../shared/predictor/config.ts';
import { backtestArrivals } from '../../../shared/simulate/backtest.ts';
import { chooseFloorSettings, FLOOR_CANDIDATES } from '../../../shared/simulate/floor-tuning.ts';
import type { BacklogParameters } from '../../../shared/simulate/parameters.ts';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const START = Date.UTC(2026, 0, 5);
const worker: BacklogParameters = { throughputPerWorker: 0.5, startupMs: 90_000, sloMs: 300_000, minCapacity: 1, maxCapacity: 40 };

/** Hourly load per second: `perSecond(hour)` for `days` days. */
function hourly(days: number, perSecond: (hour: number) => number) {
  return { startMs: START, stepMs: HOUR, values: Array.from({ length: days * 24 }, (_, hour) => perSecond(hour)) };
}

/**
 * Every morning at 09:00 the load jumps from 0.5 to 12 msg/s within the hour, on alternate days to 18: a median
 * floor leaves the higher days to a reactive policy that cannot start tasks within a 2-minute SLO.
 */
const morningJumps = (hour: number) => {
  const day = Math.floor(hour / 24);
  const local = hour % 24;
  return local >= 9 && local < 17 ? (day % 2 === 0 ? 12 : 18) : 0.5;
};
const slowStarts: BacklogParameters = { ...worker, startupMs: 10 * 60_000, sloMs: 120_000, maxCapacity: 60 };

describe('chooseFloorSettings', () => {
  it('needs the replayed week plus the two days the predictor plans from', () => {
    expect(
      chooseFloorSettings(
        hourly(FLOOR_TUNING_DAYS + 1, () => 5),
        { parameters: worker },
      ),
    ).toBeUndefined();
    expect(
      chooseFloorSettings(
        hourly(FLOOR_TUNING_DAYS + 2, () => 5),
        { parameters: worker },
      ),
    ).toBeDefined();
  });

  it('scores every candidate and picks the cheapest where all meet the SLO: the median at full utilization on a flat load', () => {
    const tuning = chooseFloorSettings(
      hourly(14, () => 5),
      { parameters: worker },
    )!;
    expect(tuning.candidates.map((candidate) => candidate.settings)).toEqual(FLOOR_CANDIDATES);
    expect(tuning.candidates.every((candidate) => candidate.sloViolationMinutes === 0)).toBe(true);
    expect(tuning.chosen).toEqual({ quantile: 'p50', targetUtilization: 1 });
    const cheapest = Math.min(...tuning.candidates.map((candidate) => candidate.capacityHours));
    expect(tuning.candidates.find((candidate) => candidate.settings === tuning.chosen)!.capacityHours).toBe(cheapest);
  });

  it('pays for a higher floor where the cheaper one violates the SLO, and says why in its reason', () => {
    const tuning = chooseFloorSettings(hourly(16, morningJumps), { parameters: slowStarts })!;
    const median = tuning.candidates.find((candidate) => candidate.settings.quantile === 'p50' && candidate.settings.targetUtilization === 1)!;
    const chosen = tuning.candidates.find((candidate) => candidate.settings === tuning.chosen)!;
    expect(median.sloViolationMinutes).toBeGreaterThan(0);
    expect(chosen.sloViolationMinutes).toBeLessThan(median.sloViolationMinutes);
    expect(chosen.capacityHours).toBeGreaterThan(median.capacityHours);
    expect(tuning.reason).toMatch(/the cheapest of 4 candidates .* SLO-violation minutes .* last 7 days/);
  });

  it('does not pay for a higher floor all week to save a few of the minutes no floor can avoid (load above the maximum)', () => {
    // Daily two-hour crowds at 24 msg/s in the replayed week, above the 20 msg/s that 40 workers serve.
    const crowds = (hour: number) => (hour % 24 >= 13 && hour % 24 < 15 && Math.floor(hour / 24) >= 12 ? 24 : 8);
    const tuning = chooseFloorSettings(hourly(16, crowds), { parameters: worker })!;
    const fewest = Math.min(...tuning.candidates.map((candidate) => candidate.sloViolationMinutes));
    const chosen = tuning.candidates.find((candidate) => candidate.settings === tuning.chosen)!;
    expect(fewest).toBeGreaterThan(0);
    expect(chosen.sloViolationMinutes).toBeGreaterThan(fewest);
    expect(chosen.sloViolationMinutes).toBeLessThanOrEqual(fewest * 1.1);
    expect(chosen.capacityHours).toBe(Math.min(...tuning.candidates.map((candidate) => candidate.capacityHours)));
  });
});

describe('headroom-predictive in a backtest', () => {
  it('plans each day from the ninth with the settings chooseFloorSettings picks from the history before it', () => {
    const series = hourly(16, morningJumps);
    const arrivals = series.values.flatMap((perSecond) => new Array<number>(60).fill(perSecond * 60));
    const result = backtestArrivals(arrivals, START, slowStarts, ['headroom-predictive']);
    const days = result.floorSettings!;
    expect(days.map((day) => (day.fromMs - START) / DAY)).toEqual([9, 10, 11, 12, 13, 14, 15]);
    const tenth = chooseFloorSettings({ ...series, startMs: START, values: series.values.slice(0, 10 * 24) }, { parameters: slowStarts })!;
    expect(days[1]!.settings).toEqual(tenth.chosen);
  });

  it('plans with pinned settings throughout when the quantile or the utilization is given', () => {
    const arrivals = new Array<number>(12 * 1440).fill(300);
    const result = backtestArrivals(arrivals, START, worker, ['headroom-predictive'], { predictive: { quantile: 'p90' } });
    expect(result.floorSettings).toEqual([]);
  });
});

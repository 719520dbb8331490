import { quantile } from './quantile.ts';

/**
 * Point-forecast models. Each takes a gap-free history and returns `horizon` values. They are small on purpose:
 * they must fit and forecast 14 days of 5-minute data in a few milliseconds inside a Lambda.
 */
export interface Seasons {
  /** Steps in a day, or 0 when the step does not divide a day. */
  readonly daily: number;
  /** Steps in a week, or 0. */
  readonly weekly: number;
}

export type PointModel = (history: readonly number[], horizon: number, seasons: Seasons) => number[];

/** Repeats the last season: the baseline every forecaster must beat. */
export function seasonalNaive(season: number): PointModel {
  return (history, horizon) => {
    const out = new Array<number>(horizon);
    for (let h = 0; h < horizon; h++) {
      // Steps beyond one season repeat the same season again.
      const back = season - (h % season);
      out[h] = history[history.length - back]!;
    }
    return out;
  };
}

/**
 * Seasonal profile with level: the shape of the season is a weighted average of the last `seasonsUsed` seasons
 * (recent ones weigh more, a spike in one season is damped by the others), rescaled to the current level,
 * which is the ratio of the last day's load to the same phases of the profile. Captures daily and weekly
 * shape together when `season` is a week, and level shifts through the rescaling.
 */
export function seasonalProfile(season: number, seasonsUsed: number, decay = 0.7): PointModel {
  return (history, horizon, seasons) => {
    const available = Math.min(seasonsUsed, Math.floor(history.length / season));
    const end = history.length;
    const profile = new Array<number>(season).fill(0);
    let weightSum = 0;
    for (let k = 0; k < available; k++) {
      const weight = decay ** k;
      weightSum += weight;
      const start = end - (k + 1) * season;
      for (let phase = 0; phase < season; phase++) profile[phase]! += weight * history[start + phase]!;
    }
    for (let phase = 0; phase < season; phase++) profile[phase]! /= weightSum;

    // Level: how the most recent stretch compares with the profile at the same phases.
    const window = Math.min(seasons.daily > 0 ? seasons.daily : season, season, end);
    let recent = 0;
    let expected = 0;
    for (let i = end - window; i < end; i++) {
      recent += history[i]!;
      expected += profile[i - (end - season)]!;
    }
    const ratio = expected > 1e-9 ? Math.min(3, Math.max(1 / 3, recent / expected)) : 1;
    const levelShift = expected > 1e-9 ? 0 : (recent - expected) / window;

    const out = new Array<number>(horizon);
    for (let h = 0; h < horizon; h++) {
      const base = profile[h % season]!;
      // The level adjustment fades over a season: far ahead, the seasons' own average is the better guess.
      const fade = Math.max(0, 1 - h / season);
      out[h] = base * (1 + (ratio - 1) * (0.5 + 0.5 * fade)) + levelShift;
    }
    return out;
  };
}

/** The median of the last day, held flat: for series without usable seasonality (or too little history). */
export const recentMedian: PointModel = (history, horizon, seasons) => {
  const window = Math.max(1, Math.min(history.length, seasons.daily > 0 ? seasons.daily : 24));
  const level = quantile(
    history.slice(history.length - window).sort((a, b) => a - b),
    0.5,
  );
  return new Array<number>(horizon).fill(level);
};

/** The mean of several models' forecasts: steadier than any one of them when none dominates. */
export function ensemble(models: readonly PointModel[]): PointModel {
  return (history, horizon, seasons) => {
    const forecasts = models.map((model) => model(history, horizon, seasons));
    return Array.from({ length: horizon }, (_, h) => forecasts.reduce((sum, forecast) => sum + forecast[h]!, 0) / forecasts.length);
  };
}

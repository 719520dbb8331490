import type { Residuals } from './calibration.ts';
import { ensemble, type PointModel, type Seasons } from './models.ts';

export interface Candidate {
  readonly name: string;
  readonly model: PointModel;
  /** History steps the model needs before it can forecast. */
  readonly needs: number;
  /** The model's forecasts from each origin of the history, when it has a faster way than one fit per origin. */
  readonly forecastsAt?: (history: readonly number[], origins: readonly number[], horizon: number, seasons: Seasons) => number[][];
}

/** A candidate's forecasts from rolling origins at the end of the history, and the errors they made. */
export interface Backtest {
  readonly candidate: Candidate;
  /** Forecast origins, newest first; a candidate needing more history gets a prefix of another's list. */
  readonly origins: readonly number[];
  readonly forecasts: readonly (readonly number[])[];
  readonly residuals: Residuals;
}

/** Rolling origins per backtest, a day apart (or a horizon apart when that is shorter). */
const ORIGINS = 14;

function residualsOf(history: readonly number[], origins: readonly number[], forecasts: readonly (readonly number[])[], horizon: number): Residuals {
  const byHorizon: number[][] = Array.from({ length: horizon }, () => []);
  const forecastByHorizon: number[][] = Array.from({ length: horizon }, () => []);
  let absoluteError = 0;
  origins.forEach((origin, index) => {
    for (let h = 0; h < horizon; h++) {
      const error = history[origin + h]! - forecasts[index]![h]!;
      byHorizon[h]!.push(error);
      forecastByHorizon[h]!.push(forecasts[index]![h]!);
      absoluteError += Math.abs(error);
    }
  });
  return { byHorizon, forecastByHorizon, meanAbsoluteError: absoluteError / (origins.length * horizon) };
}

function backtest(candidate: Candidate, history: readonly number[], horizon: number, seasons: Seasons): Backtest | undefined {
  const spacing = Math.max(1, Math.min(horizon, seasons.daily || horizon));
  const origins: number[] = [];
  for (let k = 0; k < ORIGINS; k++) {
    const origin = history.length - horizon - k * spacing;
    if (origin < candidate.needs) break;
    origins.push(origin);
  }
  if (origins.length === 0) return undefined;
  const forecasts =
    candidate.forecastsAt?.(history, origins, horizon, seasons) ??
    origins.map((origin) => candidate.model(history.slice(0, origin), horizon, seasons));
  return { candidate, origins, forecasts, residuals: residualsOf(history, origins, forecasts, horizon) };
}

/** The average of backtested candidates, scored on the origins they share, without forecasting again. */
function combine(parts: readonly Backtest[], history: readonly number[], horizon: number): Backtest {
  const shared = Math.min(...parts.map((part) => part.origins.length));
  const origins = parts[0]!.origins.slice(0, shared);
  const forecasts = origins.map((_, index) =>
    Array.from({ length: horizon }, (_, h) => parts.reduce((sum, part) => sum + part.forecasts[index]![h]!, 0) / parts.length),
  );
  const candidate: Candidate = {
    name: parts.map((part) => part.candidate.name).join('+'),
    model: ensemble(parts.map((part) => part.candidate.model)),
    needs: Math.max(...parts.map((part) => part.candidate.needs)),
  };
  return { candidate, origins, forecasts, residuals: residualsOf(history, origins, forecasts, horizon) };
}

/**
 * Backtests every usable candidate on the end of the history and returns the best. With `combine`, the
 * averages of the best two and best three are tried too: candidates that backtest alike usually err
 * differently, so their average often beats both. Undefined when no candidate has enough history to backtest.
 */
export function selectByBacktest(
  usable: readonly Candidate[],
  history: readonly number[],
  horizon: number,
  seasons: Seasons,
  combineBest: boolean,
): { chosen: Backtest; scored: number } | undefined {
  const ranked = usable
    .map((candidate) => backtest(candidate, history, horizon, seasons))
    .filter((entry): entry is Backtest => entry !== undefined)
    .sort((a, b) => a.residuals.meanAbsoluteError - b.residuals.meanAbsoluteError);
  if (ranked.length === 0) return undefined;
  let chosen = ranked[0]!;
  if (combineBest) {
    for (const size of [2, 3]) {
      if (ranked.length < size) break;
      const average = combine(ranked.slice(0, size), history, horizon);
      if (average.residuals.meanAbsoluteError < chosen.residuals.meanAbsoluteError) chosen = average;
    }
  }
  return { chosen, scored: ranked.length };
}

/**
 * Chooses RequestScaledService's targetUtilization for a workload by replaying its own request history through
 * headroom-reactive once per candidate, by the same rule as the predictor's floor settings (shared/simulate/
 * slo-choice.ts): the cheapest target with the fewest SLO-violation minutes any candidate had. A load that rises
 * slowly earns a tighter target than one that jumps within a start-up. Pure.
 */
import { cheapestMeetingSlo } from '../slo-choice.ts';
import { backtestRequests, type HttpBacktestOptions } from './backtest.ts';
import type { HttpParameters } from './parameters.ts';

/** The targets tried, from a third spare to a tenth. */
export const TARGET_CANDIDATES: readonly number[] = [0.6, 0.65, 0.7, 0.75, 0.8, 0.85, 0.9];

export interface TargetScore {
  readonly targetUtilization: number;
  readonly sloViolationMinutes: number;
  readonly taskHours: number;
}

export interface TargetTuning {
  readonly chosen: number;
  readonly candidates: readonly TargetScore[];
  /** Why the chosen one won. */
  readonly reason: string;
}

export function chooseTargetUtilization(
  requests: readonly number[],
  startMs: number,
  parameters: HttpParameters,
  options: Omit<HttpBacktestOptions, 'targetUtilization' | 'predictive'> = {},
  candidates: readonly number[] = TARGET_CANDIDATES,
): TargetTuning {
  const scores = candidates.map((targetUtilization) => {
    const score = backtestRequests(requests, startMs, parameters, ['headroom-reactive'], { ...options, targetUtilization }).policies[0]!;
    return { targetUtilization, sloViolationMinutes: score.sloViolationMinutes, taskHours: score.taskHours };
  });
  const { chosen, allowed, fewest } = cheapestMeetingSlo(scores, (score) => score.taskHours);
  return {
    chosen: chosen.targetUtilization,
    candidates: scores,
    reason: `${chosen.targetUtilization}: the cheapest of ${scores.length} targets (${chosen.taskHours.toFixed(0)} task-hours) with at most ${allowed} SLO-violation minutes (the fewest: ${fewest})`,
  };
}

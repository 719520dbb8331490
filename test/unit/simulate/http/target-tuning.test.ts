// Choosing RequiredTasksPerTask's target from a workload's own request history.
import { describe, expect, it } from 'vitest';
import { backtestRequests } from '../../../../shared/simulate/http/backtest.ts';
import type { HttpParameters } from '../../../../shared/simulate/http/parameters.ts';
import { chooseTargetUtilization, TARGET_CANDIDATES } from '../../../../shared/simulate/http/target-tuning.ts';

const parameters: HttpParameters = { requestsPerSecondPerTask: 50, startupMs: 90_000, sloMs: 500, minCapacity: 1, maxCapacity: 60 };
/** Two days of a smooth daily cycle between 100 and 1,100 requests/s, per minute. */
const smoothDays = Array.from({ length: 2 * 1440 }, (_, minute) => 60 * (600 - 500 * Math.cos((2 * Math.PI * minute) / 1440)));
/** The same with a jump to 1.8 x for half an hour every six hours: faster than tasks start. */
const jumpyDays = smoothDays.map((requests, minute) => (minute % 360 >= 300 && minute % 360 < 330 ? requests * 1.8 : requests));

describe('chooseTargetUtilization', () => {
  it('replays headroom-reactive once per candidate target', () => {
    const tuning = chooseTargetUtilization(smoothDays, 0, parameters);
    expect(tuning.candidates.map((score) => score.targetUtilization)).toEqual(TARGET_CANDIDATES);
    const replayed = backtestRequests(smoothDays, 0, parameters, ['headroom-reactive'], { targetUtilization: 0.8 }).policies[0]!;
    expect(tuning.candidates.find((score) => score.targetUtilization === 0.8)).toEqual({
      targetUtilization: 0.8,
      sloViolationMinutes: replayed.sloViolationMinutes,
      taskHours: replayed.taskHours,
    });
  });

  it('chooses a tighter target than the default on a load that rises slower than tasks start', () => {
    const tuning = chooseTargetUtilization(smoothDays, 0, parameters);
    expect(tuning.chosen).toBeGreaterThan(0.7);
    expect(tuning.candidates.find((score) => score.targetUtilization === tuning.chosen)!.sloViolationMinutes).toBe(0);
  });

  it('keeps more spare where the load jumps within a start-up', () => {
    expect(chooseTargetUtilization(jumpyDays, 0, parameters).chosen).toBeLessThan(chooseTargetUtilization(smoothDays, 0, parameters).chosen);
  });

  it('says why it chose what it chose', () => {
    expect(chooseTargetUtilization(smoothDays, 0, parameters).reason).toMatch(
      /^0\.\d+: the cheapest of 7 targets \(\d+ task-hours\) with at most 0 SLO-violation minutes \(the fewest: 0\)$/,
    );
  });
});

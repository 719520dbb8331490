import { describe, expect, it } from 'vitest';
import { replayScaleInLoss } from '../../../shared/simulate/scale-in-loss.ts';

/** Four tasks, each taking one 30-minute job at minute 0, scaled in to one task at minute 10, then kept at one. */
const arrivals = [4, ...new Array<number>(59).fill(0)];
const running = [4, ...new Array<number>(9).fill(4), ...new Array<number>(50).fill(1)];

describe('work lost to scale-in', () => {
  it('without protection, a scale-in stops busy tasks and cuts their jobs short', () => {
    const loss = replayScaleInLoss(arrivals, running, { jobMinutes: 30, protection: false, visibilityTimeoutMinutes: 5 });
    expect(loss.jobsCutShort).toBe(3);
    // Three jobs 10 minutes in, thrown away.
    expect(loss.workMinutesLost).toBe(30);
    expect(loss.protectedOverrunTaskMinutes).toBe(0);
  });

  it('with protection, no busy task is chosen: the scale-in waits until the jobs end, and what it costs is counted', () => {
    const loss = replayScaleInLoss(arrivals, running, { jobMinutes: 30, protection: true, idleReleaseMinutes: 1 });
    expect(loss.jobsCutShort).toBe(0);
    expect(loss.workMinutesLost).toBe(0);
    expect(loss.jobsCompleted).toBe(4);
    // Three tasks kept from minute 10 until they were idle for a minute after their jobs ended at 30.
    expect(loss.protectedOverrunTaskMinutes).toBe(3 * 21);
  });

  it('re-queues a cut-short job, so every message is completed in the end', () => {
    const longer = [...running, ...new Array<number>(120).fill(1)];
    const loss = replayScaleInLoss([...arrivals, ...new Array<number>(120).fill(0)], longer, { jobMinutes: 30, protection: false });
    expect(loss.jobsCompleted).toBe(4);
    expect(loss.jobsCutShort).toBe(3);
  });

  it('stops idle tasks first when protected, so a scale-in with idle tasks to spare costs nothing', () => {
    const loss = replayScaleInLoss([1, 0, 0, 0, 0, 0], [3, 3, 3, 1, 1, 1], { jobMinutes: 10, protection: true, idleReleaseMinutes: 1 });
    expect(loss).toMatchObject({ jobsCutShort: 0, protectedOverrunTaskMinutes: 0 });
  });
});

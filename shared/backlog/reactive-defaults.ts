/**
 * QueueScaledService's default reactive policy, in one place so the construct deploys and the simulator's
 * `headroom-reactive` replays the same numbers (chosen by the scoreboard, bench/results/simulate.md).
 */
export const REACTIVE_DEFAULTS = {
  /** The RequiredCapacityPerTask target tracking holds. */
  target: 0.9,
  /**
   * The target under predictive floors (a predictor writing them): the floors carry the forecast rises the 0.9
   * margin is for, so tracking holds exactly the capacity needed and the floor is the only margin.
   */
  targetWithFloors: 1,
  /** The share of (acceptable latency - start-up) a backlog is drained within. */
  drainShare: 0.5,
  /** A task's start-up time when none is given (Fargate pulls and starts a small image in about this). */
  startupMs: 90_000,
  scaleOutCooldownMs: 60_000,
  scaleInCooldownMs: 300_000,
  /**
   * The burst guard: step scaling on the queue's ApproximateAgeOfOldestMessage (Maximum, 1 minute, 1 datapoint),
   * each step from this share of the acceptable latency, adding this percent of capacity (at least one task).
   */
  ageGuardSteps: [
    { shareOfLatency: 0.5, percent: 25 },
    { shareOfLatency: 0.75, percent: 50 },
  ],
} as const;

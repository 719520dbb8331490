/**
 * RequestScaledService's default scaling, in one place so the construct deploys and the simulator's
 * `headroom-reactive` / `headroom` replay the same numbers (chosen on the scoreboard, bench/results/http.md).
 */
export const REQUEST_SCALING_DEFAULTS = {
  /**
   * RequiredTasksPerTask's target: the share of the fleet's capacity within the SLO in use (the rest absorbs a
   * rise while new tasks start).
   */
  targetUtilization: 0.7,
  scaleOutCooldownMs: 180_000,
  scaleInCooldownMs: 300_000,
  /**
   * The latency guard: step scaling on the target group's p99 TargetResponseTime (Maximum, 1 minute), after this
   * many consecutive datapoints over the SLO...
   */
  latencyGuardMinutes: 1,
  /**
   * ...adding this percent of capacity (at least one task) from each multiple of the SLO. Smaller steps than
   * doubling: the tasks a burst calls for arrive after it, and target tracking keeps them 15 minutes or more.
   */
  latencyGuardSteps: [
    { multipleOfSlo: 1, percent: 25 },
    { multipleOfSlo: 2, percent: 50 },
  ],
  /** addPredictiveScaling: floors carry the expected (p50) demand once; target tracking and the guard take the rest. */
  floorQuantile: 'p50',
  floorUtilization: 1,
} as const;

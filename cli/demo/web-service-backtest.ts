import type { RegularSeries } from '../../shared/series/regular-series.ts';
import { missingMinutes } from '../../shared/simulate/arrivals.ts';
import { chooseTargetUtilization, describeRequiredTasks, runHttpBacktest } from '../../shared/simulate/http/index.ts';

/** The demo's web service: the synthetic load x this many requests per message, 50 requests/s per task, p99 500 ms. */
const REQUESTS_PER_MESSAGE = 40;
const parameters = { requestsPerSecondPerTask: 50, startupMs: 90_000, sloMs: 500, minCapacity: 1, maxCapacity: 40 };

/** `headroom backtest --workload http` on the demo's two weeks (given per second), beside the queue worker's. */
export function backtestDemoWebService(loadPerSecond: RegularSeries, log: (line: string) => void): void {
  const requests = {
    ...loadPerSecond,
    values: loadPerSecond.values.map((perSecond) => perSecond * REQUESTS_PER_MESSAGE * (loadPerSecond.stepMs / 1000)),
  };
  log(
    `backtesting a web service on the same two weeks as requests (x${REQUESTS_PER_MESSAGE}: 50 requests/s per task, p99 SLO 500 ms, 90 s start-up, 1-40 tasks)`,
  );
  const result = runHttpBacktest(requests, parameters);
  log(
    `  headroom tracks RequiredTasksPerTask at ${result.headroomTarget} (required tasks = ${describeRequiredTasks(result.requiredTasks!)}; one task serves ${result.sloRatePerTask.toFixed(1)} requests/s within the SLO)`,
  );
  for (const policy of result.policies) {
    log(
      `  ${policy.name.padEnd(24)} SLO-violation minutes ${String(policy.sloViolationMinutes).padStart(5)}   task-hours ${policy.taskHours.toFixed(0).padStart(6)}   vs oracle ${policy.taskHoursVsOracle.toFixed(2)}`,
    );
  }
  const tuning = chooseTargetUtilization(result.requests, result.startMs, parameters, { missing: missingMinutes(requests) });
  log(`  the RequiredTasksPerTask target this load supports, replayed from 0.6 to 0.9: ${tuning.reason}`);
}

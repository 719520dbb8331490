import { allocateDecreases } from '../../shared/plan/dynamodb-decreases.ts';
import { PredictiveFloors } from '../../shared/simulate/predictive-floors.ts';
import { simulateLambdaConsumer, simulateProvisionedTable, type ScaleInModel } from '../../shared/simulate/index.ts';
import type { TableReport } from '../report/table-report.ts';

/** QueueConsumerFunction's default maxConcurrency, and the most an SQS event source mapping takes. */
export const LAMBDA_DEFAULT_MAX_CONCURRENCY = 10;
const LAMBDA_MOST_CONCURRENCY = 1000;

const round = (value: number, digits: number) => Math.round(value * 10 ** digits) / 10 ** digits;

/** The smallest maximum concurrency (2-1000) whose SLO-violation minutes are as few as 1000's: violations only fall as it rises. */
function leastConcurrencyMeetingBest(arrivals: readonly number[], options: { throughput: number; slo: number }): number {
  const violations = (maxConcurrency: number) =>
    simulateLambdaConsumer(arrivals, { throughputPerInstance: options.throughput, maxConcurrency, sloMs: options.slo }).sloViolationMinutes;
  const best = violations(LAMBDA_MOST_CONCURRENCY);
  let low = 2;
  let high = LAMBDA_MOST_CONCURRENCY;
  while (low < high) {
    const middle = Math.floor((low + high) / 2);
    if (violations(middle) <= best) high = middle;
    else low = middle + 1;
  }
  return low;
}

export interface LambdaBacktest {
  readonly consumer: 'lambda';
  readonly policies: ReadonlyArray<{
    readonly name: string;
    readonly maxConcurrency: number;
    readonly sloViolationMinutes: number;
    readonly p99WaitSeconds: number;
    readonly concurrencyHours: number;
    readonly peakConcurrency: number;
  }>;
  readonly verdict: string;
}

/**
 * `--consumer lambda`: the trace's messages drained by Lambda's SQS poller. The poller is the controller, so what
 * there is to compare is its one setting, maximum concurrency: the one given, QueueConsumerFunction's default, the
 * least that does as well as AWS's ceiling, and the ceiling. Lambda bills the work done, which is the same whatever
 * the setting; the trade is SLO minutes against peak concurrency (what the account's and downstream's limits see).
 */
export function lambdaBacktest(arrivals: readonly number[], options: { throughput: number; maxConcurrency: number; slo: number }): LambdaBacktest {
  const least = leastConcurrencyMeetingBest(arrivals, options);
  const settings = [
    { name: 'as given (--max-concurrency)', maxConcurrency: options.maxConcurrency },
    { name: 'QueueConsumerFunction default', maxConcurrency: LAMBDA_DEFAULT_MAX_CONCURRENCY },
    { name: 'least meeting the SLO as well as 1000', maxConcurrency: least },
    { name: "AWS's ceiling", maxConcurrency: LAMBDA_MOST_CONCURRENCY },
  ].filter((setting, index, all) => all.findIndex((other) => other.maxConcurrency === setting.maxConcurrency) === index);
  const policies = settings.map((setting) => {
    const score = simulateLambdaConsumer(arrivals, {
      throughputPerInstance: options.throughput,
      maxConcurrency: setting.maxConcurrency,
      sloMs: options.slo,
    });
    return { ...setting, ...score, concurrencyHours: round(score.concurrencyHours, 1), p99WaitSeconds: round(score.p99WaitSeconds, 1) };
  });
  const given = policies[0]!;
  const best = policies.find((policy) => policy.maxConcurrency === least)!;
  const verdict =
    given.sloViolationMinutes <= best.sloViolationMinutes
      ? `maxConcurrency ${given.maxConcurrency} meets the SLO as well as any setting can (${given.sloViolationMinutes} violation minutes); ${least} is the least that does. Lambda bills the work, which is the same at every setting.`
      : `maxConcurrency ${given.maxConcurrency} leaves ${given.sloViolationMinutes} violation minutes; ${least} (peak ${best.peakConcurrency} concurrent executions) brings them to ${best.sloViolationMinutes}. Lambda bills the work, which is the same at every setting: the cost of a higher setting is the concurrency it may take from the account and push to what the function calls.`;
  return { consumer: 'lambda', policies, verdict };
}

export interface DynamodbBacktest {
  readonly consumer: 'dynamodb';
  readonly policies: ReadonlyArray<{
    readonly name: string;
    readonly throttledUnitMinutes: number;
    readonly minutesWithThrottles: number;
    readonly provisionedUnitHours: number;
    readonly decreases: number;
  }>;
  readonly verdict: string;
}

/**
 * `--consumer dynamodb`: the trace counts capacity units consumed per step; the table is provisioned with target
 * tracking alone, and with headroom's predictive floors under it.
 */
export function dynamodbBacktest(
  arrivals: readonly number[],
  startMs: number,
  options: { min: number; max: number; targetUtilization: number; scaleInModel?: ScaleInModel },
): DynamodbBacktest {
  const demandPerSecond = arrivals.map((perMinute) => perMinute / 60);
  const table = {
    minCapacity: Math.max(1, options.min),
    maxCapacity: options.max,
    targetUtilizationPercent: options.targetUtilization,
    ...(options.scaleInModel ? { scaleInModel: options.scaleInModel } : {}),
  };
  const floors = new PredictiveFloors(
    arrivals,
    [],
    startMs,
    { throughputPerWorker: 1, startupMs: 0, sloMs: 60_000, minCapacity: table.minCapacity, maxCapacity: options.max },
    // The predictor's share of a table's decreases when it manages this one target on the table.
    {
      targetUtilization: options.targetUtilization / 100,
      decreases: allocateDecreases([{ workload: 'table', resourceId: 'table/t' }]).shares.get('table')!,
    },
  );
  const rounded = (score: ReturnType<typeof simulateProvisionedTable>) => ({
    ...score,
    throttledUnitMinutes: round(score.throttledUnitMinutes, 1),
    provisionedUnitHours: round(score.provisionedUnitHours, 1),
  });
  const tracking = { name: 'table-target-tracking', ...rounded(simulateProvisionedTable(demandPerSecond, table)) };
  const predictive = {
    name: 'headroom-predictive',
    ...rounded(simulateProvisionedTable(demandPerSecond, { ...table, floorAt: (minute) => floors.floorAt(minute) })),
  };
  return { consumer: 'dynamodb', policies: [tracking, predictive], verdict: describeTableTrade(tracking, predictive) };
}

/** Puts the floors' trade into words: what they cost in provisioned unit-hours, and what they bought in throttles. */
function describeTableTrade(tracking: DynamodbBacktest['policies'][number], predictive: DynamodbBacktest['policies'][number]): string {
  const extra = predictive.provisionedUnitHours - tracking.provisionedUnitHours;
  const percent = tracking.provisionedUnitHours > 0 ? Math.round((100 * extra) / tracking.provisionedUnitHours) : 0;
  const throttlesSaved = tracking.throttledUnitMinutes - predictive.throttledUnitMinutes;
  const cost =
    extra > 0
      ? `headroom-predictive provisions more than target tracking alone: ${round(extra, 1)} unit-hours (${percent}%) more`
      : `headroom-predictive provisions ${round(-extra, 1)} unit-hours (${-percent}%) less than target tracking alone`;
  const bought =
    throttlesSaved > 0
      ? `for ${round(throttlesSaved, 1)} fewer throttled unit-minutes (${tracking.minutesWithThrottles} minutes with throttles down to ${predictive.minutesWithThrottles})`
      : throttlesSaved < 0
        ? `and throttles ${round(-throttlesSaved, 1)} unit-minutes more`
        : 'with the same throttles';
  const advice =
    extra > 0 && throttlesSaved <= 0
      ? ': the floors cost without helping on this load, so keep the table on target tracking alone (or forecastOnly)'
      : extra > 0
        ? ': the floors are worth it if a throttled unit-minute costs you more than the unit-hours spent'
        : '';
  return `${cost}, ${bought}${advice}.`;
}

/** The lambda backtest as a table for the terminal and the report. */
export function lambdaTable(answer: LambdaBacktest, intro: string): TableReport {
  return {
    title: 'headroom backtest: Lambda SQS consumer',
    intro,
    verdict: answer.verdict,
    header: ['setting', 'maxConcurrency', 'SLO-violation min', 'p99 wait s', 'concurrency-hours', 'peak concurrency'],
    rows: answer.policies.map((policy) => [
      policy.name,
      String(policy.maxConcurrency),
      String(policy.sloViolationMinutes),
      policy.p99WaitSeconds.toFixed(1),
      policy.concurrencyHours.toFixed(1),
      String(policy.peakConcurrency),
    ]),
  };
}

/** The table backtest as a table for the terminal and the report. */
export function dynamodbTable(answer: DynamodbBacktest, intro: string): TableReport {
  return {
    title: 'headroom backtest: provisioned DynamoDB table',
    intro,
    verdict: answer.verdict,
    header: ['policy', 'throttled unit-min', 'minutes throttled', 'provisioned unit-hours', 'decreases'],
    rows: answer.policies.map((policy) => [
      policy.name,
      policy.throttledUnitMinutes.toFixed(1),
      String(policy.minutesWithThrottles),
      policy.provisionedUnitHours.toFixed(1),
      String(policy.decreases),
    ]),
  };
}

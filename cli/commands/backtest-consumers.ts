import { allocateDecreases } from '../../shared/plan/dynamodb-decreases.ts';
import { PredictiveFloors } from '../../shared/simulate/predictive-floors.ts';
import { simulateLambdaConsumer, simulateProvisionedTable, type ScaleInModel } from '../../shared/simulate/index.ts';

/** `--consumer lambda`: the trace's messages drained by Lambda's SQS poller. */
export function lambdaBacktest(arrivals: readonly number[], options: { throughput: number; maxConcurrency: number; slo: number }) {
  return {
    consumer: 'lambda',
    result: simulateLambdaConsumer(arrivals, {
      throughputPerInstance: options.throughput,
      maxConcurrency: options.maxConcurrency,
      sloMs: options.slo,
    }),
  };
}

/**
 * `--consumer dynamodb`: the trace counts capacity units consumed per step; the table is provisioned with target
 * tracking alone, and with headroom's predictive floors under it.
 */
export function dynamodbBacktest(
  arrivals: readonly number[],
  startMs: number,
  options: { min: number; max: number; targetUtilization: number; scaleInModel?: ScaleInModel },
) {
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
  return {
    consumer: 'dynamodb',
    policies: [
      { name: 'table-target-tracking', ...simulateProvisionedTable(demandPerSecond, table) },
      { name: 'headroom-predictive', ...simulateProvisionedTable(demandPerSecond, { ...table, floorAt: (minute) => floors.floorAt(minute) }) },
    ],
  };
}

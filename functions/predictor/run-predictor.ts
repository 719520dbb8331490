import type { ApplicationAutoScalingClient } from '@aws-sdk/client-application-auto-scaling';
import { PutMetricDataCommand, type CloudWatchClient, type MetricDatum } from '@aws-sdk/client-cloudwatch';
import { MetricName, WORKLOAD_DIMENSION } from '../../shared/metrics/names.ts';
import type { PredictorConfig, PredictorTarget } from '../../shared/predictor/config.ts';
import { decideTarget, type TargetDecision } from '../../shared/predictor/decide-target.ts';
import type { FloorChoiceMemo } from '../../shared/predictor/floor-choice.ts';
import type { BreakerMemo } from '../../shared/predictor/forecast-breaker.ts';
import { readLoadHistory } from './read-history.ts';
import { applyReconciliation, PartialWriteError, readTargetState } from './scaling-targets.ts';

export interface PredictorClients {
  readonly cloudwatch: CloudWatchClient;
  readonly scaling: ApplicationAutoScalingClient;
}

export interface TargetOutcome {
  readonly workload: string;
  readonly ok: boolean;
  /** Why nothing was planned or written for this target. */
  readonly reason?: string;
  readonly decision?: TargetDecision;
  readonly put: number;
  readonly deleted: number;
}

export interface PredictorRun {
  readonly outcomes: readonly TargetOutcome[];
  readonly getMetricDataCalls: number;
  /** Why the per-target metrics could not be published (the writes stand; the outcomes are still logged). */
  readonly metricsFailure?: string;
}

export interface RunOptions {
  /** The predictor's clock while the run goes on (targets are read one after another). @default now + elapsed time */
  readonly clock?: () => number;
}

/** Kept while the container is warm: each tuned target is replayed once a day (floor-choice.ts). */
const floorChoices: FloorChoiceMemo = new Map();
/** Kept while the container is warm: the forecast-error breaker decides once a day per target (forecast-breaker.ts). */
const breakerDecisions: BreakerMemo = new Map();

function describe(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}

async function runTarget(
  clients: PredictorClients,
  config: PredictorConfig,
  target: PredictorTarget,
  history: Awaited<ReturnType<typeof readLoadHistory>>,
  nowMs: number,
  clock: () => number,
): Promise<TargetOutcome> {
  const base = { workload: target.workload, put: 0, deleted: 0 };
  const historyFailure = history.failures.get(target.workload);
  if (historyFailure) return { ...base, ok: false, reason: `history unreadable, no floor raised: ${historyFailure}` };
  try {
    const state = await readTargetState(clients.scaling, target, clock);
    const decision = decideTarget(config, target, history.series.get(target.workload)!, state, nowMs, floorChoices, breakerDecisions);
    if (!decision.writes) return { ...base, ok: true, decision, reason: `no action written: ${decision.whyNoWrites}` };
    const written = await applyReconciliation(clients.scaling, target, decision.reconciliation);
    // Written all the same: what stands after the write is no worse than before it (invariants.ts); said, and counted as a failure.
    if (decision.invariantBreaks.length > 0)
      return { ...base, ok: false, decision, reason: `written, but the actions would break: ${decision.invariantBreaks.join('; ')}`, ...written };
    return { ...base, ok: true, decision, ...written };
  } catch (error) {
    if (error instanceof PartialWriteError)
      return { ...base, ok: false, reason: `write stopped part-way: ${error.message}`, put: error.put, deleted: error.deleted };
    return { ...base, ok: false, reason: describe(error) };
  }
}

function datums(outcome: TargetOutcome, now: Date): MetricDatum[] {
  const dimension = [{ Name: WORKLOAD_DIMENSION, Value: outcome.workload }];
  const datum = (MetricName: string, Value: number, Unit: MetricDatum['Unit'] = 'None'): MetricDatum => ({
    MetricName,
    Dimensions: dimension,
    Timestamp: now,
    Value,
    Unit,
  });
  const list = [datum(MetricName.predictorSuccess, outcome.ok ? 1 : 0, 'Count'), datum(MetricName.predictorFailure, outcome.ok ? 0 : 1, 'Count')];
  const decision = outcome.decision;
  if (decision) {
    list.push(
      datum(MetricName.forecastP50, decision.forecast.p50[0]!),
      datum(MetricName.forecastP90, decision.forecast.p90[0]!),
      datum(MetricName.scheduledFloor, decision.scheduledFloorNow),
      datum(MetricName.forecastBreakerOpen, decision.breaker.state === 'open' ? 1 : 0),
    );
    if (decision.previousError) {
      list.push(datum(MetricName.forecastErrorMape, decision.previousError.mape, 'Percent'));
      if (Number.isFinite(decision.previousError.mase)) list.push(datum(MetricName.forecastErrorMase, decision.previousError.mase));
    }
  }
  return list;
}

/**
 * One predictor run: reads every target's history in batched calls, then forecasts, plans and reconciles each
 * target on its own (one target's failure, or a target whose configuration was rejected, does not stop the
 * others), and publishes per-target metrics.
 */
export async function runPredictor(clients: PredictorClients, config: PredictorConfig, now: Date, options: RunOptions = {}): Promise<PredictorRun> {
  const startedAt = Date.now();
  const clock = options.clock ?? (() => now.getTime() + (Date.now() - startedAt));
  const history = await readLoadHistory(clients.cloudwatch, config, now.getTime());
  const outcomes: TargetOutcome[] = config.rejectedTargets.map((rejected) => ({
    workload: rejected.workload,
    ok: false,
    reason: `configuration rejected: ${rejected.reason}`,
    put: 0,
    deleted: 0,
  }));
  for (const target of config.targets) outcomes.push(await runTarget(clients, config, target, history, now.getTime(), clock));
  const metricData = outcomes.flatMap((outcome) => datums(outcome, now));
  // The writes above stand whatever happens here: a failed publish is reported, never thrown over them.
  const failures: string[] = [];
  for (let start = 0; start < metricData.length; start += 1000) {
    try {
      await clients.cloudwatch.send(new PutMetricDataCommand({ Namespace: config.namespace, MetricData: metricData.slice(start, start + 1000) }));
    } catch (error) {
      failures.push(`PutMetricData failed for metrics ${start}-${Math.min(start + 1000, metricData.length) - 1}: ${describe(error)}`);
    }
  }
  return { outcomes, getMetricDataCalls: history.calls, ...(failures.length > 0 ? { metricsFailure: failures.join('; ') } : {}) };
}

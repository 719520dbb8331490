import {
  ConcurrentUpdateException,
  DeleteScheduledActionCommand,
  DescribeScalableTargetsCommand,
  DescribeScheduledActionsCommand,
  PutScheduledActionCommand,
  type ApplicationAutoScalingClient,
  type ScalableDimension,
  type ServiceNamespace,
} from '@aws-sdk/client-application-auto-scaling';
import type { PredictorTarget } from '../../shared/predictor/config.ts';
import type { TargetState } from '../../shared/predictor/decide-target.ts';
import type { ExistingAction, Reconciliation } from '../../shared/predictor/scheduled-actions.ts';

const key = (target: PredictorTarget) => ({
  ServiceNamespace: target.serviceNamespace as ServiceNamespace,
  ResourceId: target.resourceId,
  ScalableDimension: target.scalableDimension as ScalableDimension,
});

/**
 * The registered walls, suspended state and scheduled actions of one target, and when it was read on the
 * predictor's clock (an own action may fire between the run's start and this read). Throws if it is not registered.
 */
export async function readTargetState(
  client: ApplicationAutoScalingClient,
  target: PredictorTarget,
  clock: () => number = Date.now,
): Promise<TargetState> {
  const { ServiceNamespace, ResourceId, ScalableDimension } = key(target);
  const readAtMs = clock();
  const described = await client.send(new DescribeScalableTargetsCommand({ ServiceNamespace, ResourceIds: [ResourceId], ScalableDimension }));
  const registered = described.ScalableTargets?.[0];
  if (!registered) throw new Error(`${ResourceId} (${ScalableDimension}) is not a registered scalable target`);
  const existing: ExistingAction[] = [];
  let nextToken: string | undefined;
  do {
    const page = await client.send(new DescribeScheduledActionsCommand({ ServiceNamespace, ResourceId, ScalableDimension, NextToken: nextToken }));
    for (const action of page.ScheduledActions ?? []) {
      existing.push({
        name: action.ScheduledActionName!,
        schedule: action.Schedule!,
        minCapacity: action.ScalableTargetAction?.MinCapacity,
        maxCapacity: action.ScalableTargetAction?.MaxCapacity,
        timezone: action.Timezone,
        startTimeMs: action.StartTime?.getTime(),
        endTimeMs: action.EndTime?.getTime(),
      });
    }
    nextToken = page.NextToken;
  } while (nextToken);
  return {
    registeredMin: registered.MinCapacity!,
    registeredMax: registered.MaxCapacity!,
    scheduledScalingSuspended: registered.SuspendedState?.ScheduledScalingSuspended === true,
    existing,
    readAtMs,
  };
}

const CONCURRENT_UPDATE_ATTEMPTS = 4;

/** The SDK retries throttling and 5xx itself; a concurrent update of the same target is worth retrying too. */
async function withConcurrentUpdateRetry<T>(call: () => Promise<T>, sleep: (ms: number) => Promise<void>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await call();
    } catch (error) {
      if (!(error instanceof ConcurrentUpdateException) || attempt >= CONCURRENT_UPDATE_ATTEMPTS) throw error;
      await sleep(100 * 2 ** attempt * (0.5 + Math.random()));
    }
  }
}

/** A write that failed part-way: what had been written before it is counted. */
export class PartialWriteError extends Error {
  constructor(
    override readonly cause: unknown,
    readonly put: number,
    readonly deleted: number,
  ) {
    super(`${(cause as Error)?.name ?? 'Error'}: ${(cause as Error)?.message ?? String(cause)} (after ${put} put(s) and ${deleted} delete(s))`);
    this.name = 'PartialWriteError';
  }
}

/**
 * Writes a reconciliation in an order that is safe wherever it stops (invariants.ts, promise 6): stale raises and
 * records of actions that have run are deleted first (deleting them lowers nothing, and frees room under the
 * 200-action quota for the puts), then restores before raises (a raise is never written before its restore),
 * then the replaced restores, only after every put. Each put sets MinCapacity only: never MaxCapacity.
 */
export async function applyReconciliation(
  client: ApplicationAutoScalingClient,
  target: PredictorTarget,
  reconciliation: Reconciliation,
  sleep: (ms: number) => Promise<void> = (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
): Promise<{ put: number; deleted: number }> {
  let put = 0;
  let deleted = 0;
  const putAll = async () => {
    for (const action of reconciliation.put) {
      await withConcurrentUpdateRetry(
        () =>
          client.send(
            new PutScheduledActionCommand({
              ...key(target),
              ScheduledActionName: action.name,
              Schedule: action.schedule,
              Timezone: 'Etc/UTC',
              ScalableTargetAction: { MinCapacity: action.minCapacity },
            }),
          ),
        sleep,
      );
      put++;
    }
  };
  const deleteAll = async (names: readonly string[]) => {
    for (const name of names) {
      await withConcurrentUpdateRetry(() => client.send(new DeleteScheduledActionCommand({ ...key(target), ScheduledActionName: name })), sleep);
      deleted++;
    }
  };
  try {
    await deleteAll(reconciliation.delete);
    await putAll();
    await deleteAll(reconciliation.deleteReplacedRestores);
  } catch (error) {
    throw new PartialWriteError(error, put, deleted);
  }
  return { put, deleted };
}

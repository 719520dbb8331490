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

/** The registered walls, suspended state and scheduled actions of one target. Throws if it is not registered. */
export async function readTargetState(client: ApplicationAutoScalingClient, target: PredictorTarget): Promise<TargetState> {
  const { ServiceNamespace, ResourceId, ScalableDimension } = key(target);
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
      });
    }
    nextToken = page.NextToken;
  } while (nextToken);
  return {
    registeredMin: registered.MinCapacity!,
    registeredMax: registered.MaxCapacity!,
    scheduledScalingSuspended: registered.SuspendedState?.ScheduledScalingSuspended === true,
    existing,
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

/**
 * Writes a reconciliation: puts first, then deletes, so a failure part-way leaves extra raises (capacity kept)
 * rather than missing ones. Each put sets MinCapacity only: the predictor never changes MaxCapacity.
 */
export async function applyReconciliation(
  client: ApplicationAutoScalingClient,
  target: PredictorTarget,
  reconciliation: Reconciliation,
  sleep: (ms: number) => Promise<void> = (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
): Promise<{ put: number; deleted: number }> {
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
  }
  for (const name of reconciliation.delete) {
    await withConcurrentUpdateRetry(() => client.send(new DeleteScheduledActionCommand({ ...key(target), ScheduledActionName: name })), sleep);
  }
  return { put: reconciliation.put.length, deleted: reconciliation.delete.length };
}

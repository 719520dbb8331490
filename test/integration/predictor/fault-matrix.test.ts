import { describe, expect, it } from 'vitest';
import { runPredictor } from '../../../functions/predictor/run-predictor.ts';
import { injectFault, type FaultKind } from '../../support/fault-injection.ts';
import {
  FLOOR,
  NOW,
  predictorConfig,
  predictorMetric,
  putForeignAction,
  retryingClients,
  scheduledActions,
  seededWorkload,
} from './predictor-fixture.ts';

interface Cell {
  readonly kind: FaultKind;
  readonly command: string;
  readonly times: number;
  /** How the faulted target ends: planned anyway (the fault was retried away) or failed. */
  readonly outcome: 'recovers' | 'fails';
  /** Faults thrown before the outcome: all of a transient fault's, or as many attempts as were made on a lasting one. */
  readonly injected: number;
}

// Faults are injected after the SDK's retry middleware, on one of two targets; the SDK's standard retry (4
// attempts; LimitExceededException excepted) and the predictor's own ConcurrentUpdateException retry run for real.
// A lasting fault is thrown at every attempt: 4 for what is retried, 1 for what is not.
const cells: Cell[] = [
  { kind: 'throttling', command: 'DescribeScalableTargetsCommand', times: 99, outcome: 'fails', injected: 4 },
  { kind: 'throttling', command: 'PutScheduledActionCommand', times: 2, outcome: 'recovers', injected: 2 },
  { kind: 'server-error', command: 'DescribeScheduledActionsCommand', times: 99, outcome: 'fails', injected: 4 },
  { kind: 'timeout', command: 'DescribeScalableTargetsCommand', times: 1, outcome: 'recovers', injected: 1 },
  { kind: 'limit-exceeded', command: 'PutScheduledActionCommand', times: 99, outcome: 'fails', injected: 1 },
  { kind: 'concurrent-update', command: 'PutScheduledActionCommand', times: 2, outcome: 'recovers', injected: 2 },
  { kind: 'target-not-found', command: 'DescribeScalableTargetsCommand', times: 99, outcome: 'fails', injected: 1 },
];

describe('the predictor under injected AWS faults', () => {
  it.each(cells)('$kind on $command: target $outcome after $injected fault(s), lowers nothing, touches nothing foreign', async (cell) => {
    const [faulted, healthy] = await Promise.all([seededWorkload(), seededWorkload()]);
    await putForeignAction(faulted.resourceId);
    const clients = retryingClients();
    const fault = injectFault(clients.scaling, { command: cell.command, kind: cell.kind, times: cell.times, resourceId: faulted.resourceId });

    const run = await runPredictor(clients, predictorConfig([faulted, healthy]), NOW);

    expect(fault.injected()).toBe(cell.injected);
    expect(run.outcomes[0]!.ok).toBe(cell.outcome === 'recovers');
    expect(run.outcomes[1]).toMatchObject({ ok: true });
    expect(await predictorMetric('PredictorFailure', faulted.workload)).toBe(cell.outcome === 'fails' ? 1 : 0);
    const actions = await scheduledActions(faulted.resourceId);
    expect(actions.filter((action) => action.ScheduledActionName === 'team-black-friday')).toMatchObject([
      { Schedule: 'cron(0 8 * * ? *)', ScalableTargetAction: { MinCapacity: 10, MaxCapacity: 60 } },
    ]);
    for (const action of actions.filter((candidate) => candidate.ScheduledActionName!.startsWith('headroom-'))) {
      expect(action.ScalableTargetAction?.MinCapacity).toBeGreaterThanOrEqual(FLOOR);
      expect(action.ScalableTargetAction?.MaxCapacity).toBeUndefined();
    }
    expect((await scheduledActions(healthy.resourceId)).length).toBeGreaterThan(0);
  });
});

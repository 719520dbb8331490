import {
  ApplicationAutoScalingClient,
  DeleteScheduledActionCommand,
  PutScheduledActionCommand,
  RegisterScalableTargetCommand,
  type ScheduledAction,
} from '@aws-sdk/client-application-auto-scaling';
import { describe, expect, it } from 'vitest';
import { runPredictor } from '../../../functions/predictor/run-predictor.ts';
import { atTime } from '../../../shared/predictor/scheduled-actions.ts';
import { injectFault } from '../../support/fault-injection.ts';
import { FLOOR, HOUR, MAX, NOW, predictorConfig, retryingClients, scheduledActions, seededWorkload, type Workload } from './predictor-fixture.ts';

const MINUTE = 60_000;
const DAY = 24 * HOUR;
const BUSINESS_MIN = 10;
const aas = new ApplicationAutoScalingClient({});
const keyOf = (resourceId: string) => ({
  ServiceNamespace: 'ecs' as const,
  ResourceId: resourceId,
  ScalableDimension: 'ecs:service:DesiredCount' as const,
});
const own = (action: ScheduledAction) => action.ScheduledActionName!.startsWith('headroom-');

/** The user's business hours on the target: MinCapacity 10 from 08:00 to 18:00 UTC, 2 otherwise. */
async function putBusinessHours(resourceId: string, farFuture: number): Promise<void> {
  const put = (name: string, schedule: string, minCapacity: number) =>
    aas.send(
      new PutScheduledActionCommand({
        ...keyOf(resourceId),
        ScheduledActionName: name,
        Schedule: schedule,
        ScalableTargetAction: { MinCapacity: minCapacity },
      }),
    );
  await put('business-hours-start', 'cron(0 8 * * ? *)', BUSINESS_MIN);
  await put('business-hours-end', 'cron(0 18 * * ? *)', FLOOR);
  // Far-future one-time actions of the user's fill the quota (they change nothing within the horizon).
  for (let index = 0; index < farFuture; index++)
    await put(`user-2099-${index}`, `at(2099-01-01T${String(index % 24).padStart(2, '0')}:${String(index % 60).padStart(2, '0')}:00)`, FLOOR);
}

/** MinCapacity without headroom at a minute: the business-hours wall. */
const wallAt = (ms: number) => (new Date(ms).getUTCHours() >= 8 && new Date(ms).getUTCHours() < 18 ? BUSINESS_MIN : FLOOR);

/**
 * Replays the target's actions from `fromMs` as Application Auto Scaling would run them (our action last in a
 * minute, the worst order for a restore, and first, the worst for a raise) and lists every minute at which
 * MinCapacity is below the wall without headroom, every own action above MaxCapacity, and a raise left at the end.
 */
function violations(actions: readonly ScheduledAction[], registeredMin: number, fromMs: number): string[] {
  const found: string[] = [];
  const ours = actions
    .filter(own)
    .map((action) => ({ atMs: atTime(action.Schedule!)!, value: action.ScalableTargetAction!.MinCapacity!, name: action.ScheduledActionName! }));
  for (const action of ours) if (action.value > MAX || action.value < FLOOR) found.push(`${action.name} sets ${action.value}`);
  // The user's actions reset MinCapacity twice a day, which would hide a raise left alone: our own last word must be a restore.
  const lastOwn = ours
    .filter((action) => action.atMs > fromMs)
    .sort((a, b) => a.atMs - b.atMs)
    .at(-1);
  if (lastOwn && !lastOwn.name.includes('-restore-')) found.push(`${lastOwn.name} is a raise with no restore after it`);
  const untilMs = fromMs + 2 * DAY;
  for (const oursLast of [true, false]) {
    let held = registeredMin;
    const events: { atMs: number; value: number; ours: boolean }[] = ours
      .filter((action) => action.atMs > fromMs && action.atMs <= untilMs)
      .map((action) => ({ ...action, ours: true }));
    for (let day = Math.floor(fromMs / DAY) * DAY; day < untilMs; day += DAY) {
      for (const [hour, value] of [
        [8, BUSINESS_MIN],
        [18, FLOOR],
      ] as const)
        if (day + hour * HOUR > fromMs) events.push({ atMs: day + hour * HOUR, value, ours: false });
    }
    events.sort((a, b) => Math.floor(a.atMs / MINUTE) - Math.floor(b.atMs / MINUTE) || (a.ours === b.ours ? 0 : a.ours === oursLast ? 1 : -1));
    for (const event of events) {
      held = event.value;
      if (held < wallAt(event.atMs)) found.push(`MinCapacity ${held} below the wall ${wallAt(event.atMs)} at ${new Date(event.atMs).toISOString()}`);
    }
    if (held !== wallAt(untilMs)) found.push(`MinCapacity left at ${held} (wall ${wallAt(untilMs)}): a raise without its restore`);
  }
  return found;
}

/** Puts the target back to a recorded state: its own actions, and the MinCapacity it held. */
async function restoreState(workload: Workload, ownActions: readonly ScheduledAction[], registeredMin: number): Promise<void> {
  for (const action of (await scheduledActions(workload.resourceId)).filter(own)) {
    await aas.send(new DeleteScheduledActionCommand({ ...keyOf(workload.resourceId), ScheduledActionName: action.ScheduledActionName }));
  }
  for (const action of ownActions) {
    await aas.send(
      new PutScheduledActionCommand({
        ...keyOf(workload.resourceId),
        ScheduledActionName: action.ScheduledActionName,
        Schedule: action.Schedule,
        ScalableTargetAction: action.ScalableTargetAction,
      }),
    );
  }
  await aas.send(new RegisterScalableTargetCommand({ ...keyOf(workload.resourceId), MinCapacity: registeredMin, MaxCapacity: MAX }));
}

/** What Application Auto Scaling would have run between two runs: the target holds the last action's MinCapacity. */
function heldAfter(actions: readonly ScheduledAction[], fromMs: number, toMs: number, registeredMin: number): number {
  const due = actions.filter(
    (action) => atTime(action.Schedule!) !== undefined && atTime(action.Schedule!)! > fromMs && atTime(action.Schedule!)! <= toMs,
  );
  return due.sort((a, b) => atTime(a.Schedule!)! - atTime(b.Schedule!)!).at(-1)?.ScalableTargetAction?.MinCapacity ?? registeredMin;
}

// A run fails at its k-th Application Auto Scaling call (LimitExceededException, which is not retried), for every
// k up to the calls a fault-free run makes; after each, the target's actions are replayed against the business-
// hours wall, then a fault-free run five minutes later must leave it sound again.
describe.each([
  { scenario: 'a first run, room to spare', farFuture: 0, afterRun: false },
  { scenario: 'a re-plan an hour on, room to spare', farFuture: 0, afterRun: true },
  { scenario: 'a first run, the 200-action quota tight', farFuture: 185, afterRun: false },
  { scenario: 'a re-plan an hour on, the 200-action quota tight', farFuture: 185, afterRun: true },
])('the predictor failing at every k-th call of $scenario', ({ farFuture, afterRun }) => {
  it('never leaves MinCapacity below the wall without headroom, nor a raise without its restore, and the next run repairs it', {
    timeout: 300_000,
  }, async () => {
    const workload = await seededWorkload();
    await putBusinessHours(workload.resourceId, farFuture);
    const config = predictorConfig([workload]);
    if (afterRun) expect((await runPredictor(retryingClients(), config, NOW)).outcomes[0]).toMatchObject({ ok: true });
    const recorded = (await scheduledActions(workload.resourceId)).filter(own);
    const atRun = new Date(NOW.getTime() + HOUR);
    const registeredAtRun = heldAfter(recorded, NOW.getTime(), atRun.getTime(), FLOOR);

    await restoreState(workload, recorded, registeredAtRun);
    const counting = retryingClients();
    const counter = injectFault(counting.scaling, { command: '*', kind: 'limit-exceeded', times: 0, resourceId: workload.resourceId });
    await runPredictor(counting, config, atRun);
    const calls = counter.attempts();
    expect(calls).toBeGreaterThan(4);

    const found: string[] = [];
    for (let k = 1; k <= calls; k++) {
      await restoreState(workload, recorded, registeredAtRun);
      const clients = retryingClients();
      injectFault(clients.scaling, { command: '*', kind: 'limit-exceeded', times: 1, skip: k - 1, resourceId: workload.resourceId });
      const failed = await runPredictor(clients, config, atRun);
      expect(failed.outcomes[0]!.ok).toBe(false);
      const afterFailure = await scheduledActions(workload.resourceId);
      found.push(...violations(afterFailure, registeredAtRun, atRun.getTime()).map((violation) => `k=${k} after the failure: ${violation}`));

      const repairAt = new Date(atRun.getTime() + 5 * MINUTE);
      const registeredAtRepair = heldAfter(afterFailure, atRun.getTime(), repairAt.getTime(), registeredAtRun);
      await aas.send(new RegisterScalableTargetCommand({ ...keyOf(workload.resourceId), MinCapacity: registeredAtRepair, MaxCapacity: MAX }));
      const repaired = await runPredictor(retryingClients(), config, repairAt);
      expect(repaired.outcomes[0]).toMatchObject({ ok: true });
      found.push(
        ...violations(await scheduledActions(workload.resourceId), registeredAtRepair, repairAt.getTime()).map(
          (violation) => `k=${k} after the repair: ${violation}`,
        ),
      );
    }
    console.info(
      `fault sweep (${afterRun ? 're-plan' : 'first run'}, ${farFuture} far-future user actions): ${calls} failure points x 2 runs, ${found.length} invariant violations`,
    );
    expect(found).toEqual([]);
  });
});

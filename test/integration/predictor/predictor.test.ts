import { describe, expect, it } from 'vitest';
import { runPredictor } from '../../../functions/predictor/run-predictor.ts';
import { RegisterScalableTargetCommand, ApplicationAutoScalingClient } from '@aws-sdk/client-application-auto-scaling';
import { parsePredictorConfig } from '../../../shared/predictor/config.ts';
import { atTime } from '../../../shared/predictor/scheduled-actions.ts';
import { injectFault } from '../../support/fault-injection.ts';
import {
  FLOOR,
  MAX,
  NOW,
  predictorConfig,
  predictorMetric,
  putForeignAction,
  putOwnAction,
  retryingClients,
  scheduledActions,
  seededWorkload,
} from './predictor-fixture.ts';

const own = (name: string | undefined) => name?.startsWith('headroom-') === true;

describe('the predictor against the local AWS', () => {
  it('raises floors ahead of the forecast load, each raise paired with a later restore to the floor', async () => {
    const workload = await seededWorkload();
    const run = await runPredictor(retryingClients(), predictorConfig([workload]), NOW);
    expect(run.outcomes[0]).toMatchObject({ ok: true });
    const actions = (await scheduledActions(workload.resourceId)).filter((action) => own(action.ScheduledActionName));
    const raises = actions.filter((action) => action.ScheduledActionName!.includes('-raise-'));
    const restores = actions.filter((action) => action.ScheduledActionName!.includes('-restore-'));
    expect(raises.length).toBeGreaterThan(0);
    expect(restores.length).toBeGreaterThan(0);
    for (const action of actions) {
      expect(action.Schedule).toMatch(/^at\(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\)$/);
      expect(action.ScalableTargetAction?.MaxCapacity).toBeUndefined();
      expect(action.ScalableTargetAction?.MinCapacity).toBeGreaterThanOrEqual(FLOOR);
      expect(action.ScalableTargetAction?.MinCapacity).toBeLessThanOrEqual(MAX);
    }
    for (const restore of restores) expect(restore.ScalableTargetAction?.MinCapacity).toBe(FLOOR);
    const lastRaise = Math.max(...raises.map((action) => atTime(action.Schedule!)!));
    const lastRestore = Math.max(...restores.map((action) => atTime(action.Schedule!)!));
    expect(lastRestore).toBeGreaterThan(lastRaise);
    expect(await predictorMetric('PredictorSuccess', workload.workload)).toBe(1);
    expect(await predictorMetric('ForecastP90', workload.workload)).toBeGreaterThan(0);
    expect(await predictorMetric('ForecastBreakerOpen', workload.workload)).toBe(0);
  });

  it('converges: a second run leaves exactly the same actions', async () => {
    const workload = await seededWorkload();
    const config = predictorConfig([workload]);
    await runPredictor(retryingClients(), config, NOW);
    const first = await scheduledActions(workload.resourceId);
    const second = await runPredictor(retryingClients(), config, NOW);
    expect(second.outcomes[0]).toMatchObject({ put: 0, deleted: 0 });
    expect(await scheduledActions(workload.resourceId)).toEqual(first);
  });

  it('leaves a scheduled action it does not own untouched', async () => {
    const workload = await seededWorkload();
    await putForeignAction(workload.resourceId);
    await runPredictor(retryingClients(), predictorConfig([workload]), NOW);
    const foreign = (await scheduledActions(workload.resourceId)).filter((action) => !own(action.ScheduledActionName));
    expect(foreign).toMatchObject([
      { ScheduledActionName: 'team-black-friday', Schedule: 'cron(0 8 * * ? *)', ScalableTargetAction: { MinCapacity: 10, MaxCapacity: 60 } },
    ]);
  });

  it('deletes its own actions the new plan no longer wants', async () => {
    const workload = await seededWorkload();
    await putOwnAction(workload.resourceId, 'headroom-raise-20991231T0000', 'at(2099-12-31T00:00:00)');
    const run = await runPredictor(retryingClients(), predictorConfig([workload]), NOW);
    expect(run.outcomes[0]!.deleted).toBeGreaterThanOrEqual(1);
    const names = (await scheduledActions(workload.resourceId)).map((action) => action.ScheduledActionName);
    expect(names).not.toContain('headroom-raise-20991231T0000');
  });

  it('writes no action in forecastOnly mode, but still publishes the forecast', async () => {
    const workload = await seededWorkload();
    const run = await runPredictor(retryingClients(), predictorConfig([workload], { mode: 'forecastOnly' }), NOW);
    expect(run.outcomes[0]).toMatchObject({ ok: true, put: 0, reason: 'no action written: forecastOnly mode' });
    expect(await scheduledActions(workload.resourceId)).toEqual([]);
    expect(await predictorMetric('ForecastP50', workload.workload)).toBeGreaterThan(0);
  });

  it('writes no action when the kill switch is off', async () => {
    const workload = await seededWorkload();
    await runPredictor(retryingClients(), predictorConfig([workload], { enabled: false }), NOW);
    expect(await scheduledActions(workload.resourceId)).toEqual([]);
  });

  it('raises nothing, lowers nothing and reports a failure when the history is too short', async () => {
    const workload = await seededWorkload({ historyDays: 1 });
    const run = await runPredictor(retryingClients(), predictorConfig([workload]), NOW);
    expect(run.outcomes[0]).toMatchObject({ ok: false, reason: expect.stringMatching(/history unusable, no floor raised/) });
    expect(await scheduledActions(workload.resourceId)).toEqual([]);
    expect(await predictorMetric('PredictorFailure', workload.workload)).toBe(1);
  });

  it('reads every target’s history in one GetMetricData call', async () => {
    const workloads = await Promise.all([seededWorkload(), seededWorkload(), seededWorkload()]);
    const run = await runPredictor(retryingClients(), predictorConfig(workloads, { mode: 'forecastOnly' }), NOW);
    expect(run.getMetricDataCalls).toBe(1);
    expect(run.outcomes.every((outcome) => outcome.ok)).toBe(true);
  });

  it('finds its own raise that ran with no restore after it, and restores the target to the wall past the clock window', async () => {
    const workload = await seededWorkload();
    await putOwnAction(workload.resourceId, `headroom-raise-20261116T0500-${workload.workload}`, 'at(2026-11-16T05:00:00)');
    // It ran: the target holds its MinCapacity of 30 (moto does not run scheduled actions, so this is done by hand).
    await new ApplicationAutoScalingClient({}).send(
      new RegisterScalableTargetCommand({
        ServiceNamespace: 'ecs',
        ResourceId: workload.resourceId,
        ScalableDimension: 'ecs:service:DesiredCount',
        MinCapacity: 30,
        MaxCapacity: MAX,
      }),
    );
    // Each capacity unit serves far more than the load: the new plan raises nothing.
    const raw = JSON.parse(JSON.stringify({ ...predictorConfig([workload]), rejectedTargets: undefined }));
    raw.targets[0].unitThroughput = 1000;
    const run = await runPredictor(retryingClients(), parsePredictorConfig(JSON.stringify(raw)), NOW, { clock: () => NOW.getTime() });
    expect(run.outcomes[0]).toMatchObject({ ok: true, put: 1 });
    const ahead = (await scheduledActions(workload.resourceId)).filter(
      (action) => own(action.ScheduledActionName) && atTime(action.Schedule!)! > NOW.getTime(),
    );
    expect(ahead).toMatchObject([
      {
        ScheduledActionName: `headroom-restore-20261116T0631-${workload.workload}`,
        Schedule: 'at(2026-11-16T06:31:00)',
        ScalableTargetAction: { MinCapacity: FLOOR },
      },
    ]);
  });

  it('counts the actions written before a failure part-way', async () => {
    const workload = await seededWorkload();
    const clients = retryingClients();
    injectFault(clients.scaling, {
      command: 'PutScheduledActionCommand',
      kind: 'limit-exceeded',
      times: 1,
      skip: 2,
      resourceId: workload.resourceId,
    });
    const run = await runPredictor(clients, predictorConfig([workload]), NOW);
    expect(run.outcomes[0]).toMatchObject({
      ok: false,
      put: 2,
      deleted: 0,
      reason: expect.stringMatching(/write stopped part-way: LimitExceededException: .* \(after 2 put\(s\) and 0 delete\(s\)\)/),
    });
    expect((await scheduledActions(workload.resourceId)).filter((action) => own(action.ScheduledActionName))).toHaveLength(2);
  });

  it('refuses a target whose actions show another workload manages it, writing nothing', async () => {
    const workload = await seededWorkload();
    await putOwnAction(workload.resourceId, 'headroom-raise-20261116T0900-payments', 'at(2026-11-16T09:00:00)');
    const run = await runPredictor(retryingClients(), predictorConfig([workload]), NOW);
    expect(run.outcomes[0]).toMatchObject({
      ok: false,
      reason: expect.stringMatching(/another headroom owner \(headroom-raise-20261116T0900-payments\): refused, nothing written/),
    });
    expect((await scheduledActions(workload.resourceId)).map((action) => action.ScheduledActionName)).toEqual([
      'headroom-raise-20261116T0900-payments',
    ]);
    expect(await predictorMetric('PredictorFailure', workload.workload)).toBe(1);
  });

  it('fails a target whose configuration it cannot parse alone, with PredictorFailure, and runs the others', async () => {
    const workload = await seededWorkload();
    const good = predictorConfig([workload]);
    const raw = JSON.parse(JSON.stringify({ ...good, rejectedTargets: undefined }));
    raw.targets.push({ ...raw.targets[0], workload: 'broken-target', unitThroughput: 0 });
    const run = await runPredictor(retryingClients(), parsePredictorConfig(JSON.stringify(raw)), NOW);
    expect(run.outcomes.find((outcome) => outcome.workload === 'broken-target')).toMatchObject({
      ok: false,
      reason: expect.stringMatching(/configuration rejected: .*unitThroughput must be a positive/),
    });
    expect(run.outcomes.find((outcome) => outcome.workload === workload.workload)).toMatchObject({ ok: true });
    expect(await predictorMetric('PredictorFailure', 'broken-target')).toBe(1);
  });
});

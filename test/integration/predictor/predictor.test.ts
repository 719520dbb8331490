import { describe, expect, it } from 'vitest';
import { runPredictor } from '../../../functions/predictor/run-predictor.ts';
import { atTime } from '../../../shared/predictor/scheduled-actions.ts';
import { FLOOR, MAX, NOW, predictorConfig, predictorMetric, putForeignAction, putOwnAction, retryingClients, scheduledActions, seededWorkload } from './predictor-fixture.ts';

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
    expect(foreign).toMatchObject([{ ScheduledActionName: 'team-black-friday', Schedule: 'cron(0 8 * * ? *)', ScalableTargetAction: { MinCapacity: 10, MaxCapacity: 60 } }]);
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
});

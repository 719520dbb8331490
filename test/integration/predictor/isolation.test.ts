import { CloudWatchServiceException, PutMetricDataCommand } from '@aws-sdk/client-cloudwatch';
import { describe, expect, it } from 'vitest';
import { runPredictor } from '../../../functions/predictor/run-predictor.ts';
import { NOW, predictorConfig, retryingClients, scheduledActions, seededWorkload } from './predictor-fixture.ts';

// moto accepts any statistic and never answers PutMetricData with throttling: both refusals are AWS's, injected
// as SDK middleware on the predictor's own clients (after the SDK's retries, so retries run as they would).
// biome-ignore lint/suspicious/noExplicitAny: every command's arguments and output pass through
type Next = (args: any) => Promise<any>;
function refuse(
  client: ReturnType<typeof retryingClients>['cloudwatch'],
  when: (command: string, input: Record<string, unknown>) => Error | undefined,
) {
  client.middlewareStack.addRelativeTo(
    // biome-ignore lint/suspicious/noExplicitAny: every command passes through
    (next: Next, context: { commandName?: string }) => async (args: any) => {
      const error = when(context.commandName ?? '', args.input as Record<string, unknown>);
      if (error) throw error;
      return next(args);
    },
    { relation: 'after', toMiddleware: 'retryMiddleware', name: `refuse-${Math.random()}` },
  );
}
const awsError = (name: string, message: string) =>
  new CloudWatchServiceException({ name, $fault: 'client', $metadata: { httpStatusCode: 400 }, message });

describe('one target’s bad history or a failed publish', () => {
  it('fails only the target whose query GetMetricData rejects, and plans the others (break 5)', async () => {
    const [good, bad] = [await seededWorkload(), await seededWorkload()];
    const clients = retryingClients();
    refuse(clients.cloudwatch, (command, input) => {
      const queries = (input.MetricDataQueries ?? []) as { MetricStat: { Metric: { Dimensions: { Value: string }[] } } }[];
      const rejected = queries.some((query) => query.MetricStat.Metric.Dimensions[0]!.Value === bad.workload);
      return command === 'GetMetricDataCommand' && rejected
        ? awsError('InvalidParameterValueException', 'The value p99.9x for parameter Stat is not valid.')
        : undefined;
    });
    const run = await runPredictor(clients, predictorConfig([good, bad]), NOW);
    expect(run.outcomes.find((outcome) => outcome.workload === good.workload)).toMatchObject({ ok: true });
    expect(run.outcomes.find((outcome) => outcome.workload === bad.workload)).toMatchObject({
      ok: false,
      reason: expect.stringMatching(/history unreadable, no floor raised: GetMetricData failed: InvalidParameterValueException/),
    });
    expect((await scheduledActions(bad.resourceId)).length).toBe(0);
  });

  it('returns every target’s outcome, writes standing, when PutMetricData fails after the writes (break 6)', async () => {
    const workload = await seededWorkload();
    const clients = retryingClients();
    refuse(clients.cloudwatch, (command) => (command === 'PutMetricDataCommand' ? awsError('Throttling', 'Rate exceeded') : undefined));
    const run = await runPredictor(clients, predictorConfig([workload]), NOW);
    expect(run.outcomes[0]).toMatchObject({ ok: true });
    expect(run.metricsFailure).toMatch(/PutMetricData failed .*Throttling: Rate exceeded/);
    expect((await scheduledActions(workload.resourceId)).length).toBeGreaterThan(0);
  });

  it('says what in the history is wrong when the load metric holds negative values (break 7)', async () => {
    const workload = await seededWorkload();
    const clients = retryingClients();
    await clients.cloudwatch.send(
      new PutMetricDataCommand({
        Namespace: 'HeadroomPredictorTest',
        MetricData: [
          {
            MetricName: 'Arrivals',
            Dimensions: [{ Name: 'Queue', Value: workload.workload }],
            Timestamp: new Date(NOW.getTime() - 5 * 3_600_000),
            Value: -1e7,
          },
        ],
      }),
    );
    const run = await runPredictor(clients, predictorConfig([workload]), NOW);
    expect(run.outcomes[0]).toMatchObject({
      ok: false,
      reason: expect.stringMatching(
        /history unusable, no floor raised: 1 datapoint\(s\) of the load are not a load >= 0 \(the first, -\d+(\.\d+)?, at 2026-11-16T01:00:00.000Z\)/,
      ),
    });
    expect((await scheduledActions(workload.resourceId)).length).toBe(0);
  });
});

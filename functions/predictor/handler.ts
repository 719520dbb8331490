import { ApplicationAutoScalingClient } from '@aws-sdk/client-application-auto-scaling';
import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { SSMClient } from '@aws-sdk/client-ssm';
import { Logger } from '@aws-lambda-powertools/logger';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import { loadPredictorConfig } from './load-config.ts';
import { PREDICTOR_MAX_ATTEMPTS, QuotaAwareRetryStrategy } from './retry-strategy.ts';
import { runPredictor } from './run-predictor.ts';

const logger = new Logger({ serviceName: process.env.POWERTOOLS_SERVICE_NAME || 'headroom-predictor' });
const clients = {
  cloudwatch: new CloudWatchClient({ maxAttempts: PREDICTOR_MAX_ATTEMPTS }),
  scaling: new ApplicationAutoScalingClient({ retryStrategy: new QuotaAwareRetryStrategy(PREDICTOR_MAX_ATTEMPTS) }),
};
const ssm = new SSMClient({});

/** Scheduled: forecasts each managed target's load and raises its capacity floor ahead of it. */
export const handler = middy(async () => {
  const config = await loadPredictorConfig(process.env, ssm);
  const run = await runPredictor(clients, config, new Date());
  for (const outcome of run.outcomes) {
    const decision = outcome.decision;
    const summary = {
      workload: outcome.workload,
      model: decision?.forecast.model,
      steps: decision?.plan.steps.length,
      put: outcome.put,
      deleted: outcome.deleted,
      reason: outcome.reason,
      // What the forecast fell back on and what the plan dropped (budgets, walls) today.
      forecastNotes: decision?.forecast.notes,
      floorSettings: decision && {
        quantile: decision.floorSettings.quantile,
        targetUtilization: decision.floorSettings.targetUtilization,
        chosenBy: decision.floorSettings.chosenBy,
        reason: decision.floorSettings.reason,
      },
      planNotes: decision?.plan.notes,
      forecastBreaker: decision?.breaker.reason,
    };
    if (!outcome.ok) logger.error('target not planned: no floor raised, nothing lowered', summary);
    else if (decision?.breaker.state === 'open')
      logger.warn('forecast error breaker open: no floor raised, reactive scaling carries the target', summary);
    else logger.info('target planned', summary);
  }
  if (run.metricsFailure) logger.error('predictor metrics not published (the targets above were written as logged)', { reason: run.metricsFailure });
  return {
    targets: run.outcomes.length,
    failed: run.outcomes.filter((outcome) => !outcome.ok).length,
    getMetricDataCalls: run.getMetricDataCalls,
    metricsPublished: run.metricsFailure === undefined,
  };
}).use(injectLambdaContext(logger));

import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { ECSClient } from '@aws-sdk/client-ecs';
import { LambdaClient } from '@aws-sdk/client-lambda';
import { SQSClient } from '@aws-sdk/client-sqs';
import { SSMClient } from '@aws-sdk/client-ssm';
import { Logger } from '@aws-lambda-powertools/logger';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import middy from '@middy/core';
import { NAMESPACE_VARIABLE } from '../../shared/backlog/index.ts';
import { DEFAULT_NAMESPACE, MetricName } from '../../shared/metrics/names.ts';
import { loadBacklogPublisherConfig } from './load-config.ts';
import { MeasuredTimeCache } from './measured-time-cache.ts';
import { publishBacklog, type PublishOutcome } from './publish-backlog.ts';

const serviceName = process.env.POWERTOOLS_SERVICE_NAME || 'headroom-backlog-publisher';
const logger = new Logger({ serviceName });
// The failure count goes out as EMF with Powertools' `service` dimension, in the publisher's own namespace.
const metrics = new Metrics({ serviceName, namespace: process.env[NAMESPACE_VARIABLE] || DEFAULT_NAMESPACE });
const clients = { sqs: new SQSClient({}), ecs: new ECSClient({}), lambda: new LambdaClient({}), cloudwatch: new CloudWatchClient({}) };
const ssm = new SSMClient({});
// Kept across the runs a warm instance serves, so consumers' measured times are read every few minutes, not every run.
const measuredTimes = new MeasuredTimeCache();

/** Scheduled every minute: publishes BacklogPerTask, QueueBacklog and RunningCapacity for every configured source. */
export const handler = middy(async (): Promise<PublishOutcome> => {
  // Read per run (one GetParameters call per 10 shards) so a bad value fails every run loudly, naming where it is.
  const config = await loadBacklogPublisherConfig(process.env, ssm);
  const outcome = await publishBacklog(config, clients, new Date(), measuredTimes);
  metrics.addMetric(MetricName.backlogPublishFailures, MetricUnit.Count, outcome.failures.length);
  for (const failure of outcome.failures) logger.error('backlog not published for a source', { ...failure });
  logger.info('backlog published', {
    sources: config.sources.length,
    published: outcome.published.length,
    failed: outcome.failures.length,
    putMetricDataCalls: outcome.putMetricDataCalls,
  });
  return outcome;
})
  .use(injectLambdaContext(logger))
  .use(logMetrics(metrics));

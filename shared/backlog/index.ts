export { backlogPerTask, queueBacklog, type QueueDepth } from './backlog-per-task.ts';
export {
  BacklogConfigError,
  NAMESPACE_VARIABLE,
  parseBacklogPublisherConfig,
  SOURCES_VARIABLE,
  type BacklogConsumerConfig,
  type BacklogPublisherConfig,
  type BacklogSourceConfig,
} from './config.ts';
export { backlogDatums, batchDatums, datumRequestBytes, PUT_METRIC_DATA_LIMITS, type BacklogDatum, type BacklogReading } from './metric-data.ts';
export { DESCRIBE_SERVICES_LIMIT, ecsDescribeBatches, type EcsServiceRef } from './ecs-batches.ts';

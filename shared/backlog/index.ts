export { backlogPerTask, queueBacklog, type QueueDepth } from './backlog-per-task.ts';
export {
  BacklogConfigError,
  NAMESPACE_VARIABLE,
  parseBacklogPublisherConfig,
  SOURCES_VARIABLE,
  type BacklogConsumerConfig,
  type BacklogPublisherConfig,
  type BacklogSourceConfig,
  type MetricRef,
  type RequiredCapacityConfig,
} from './config.ts';
export {
  arrivalsPerSecond,
  ARRIVAL_WINDOW_MINUTES,
  backlogWithoutCapacity,
  blendedTimePerMessageMs,
  drainBudgetMs,
  requiredCapacity,
  requiredCapacityPerTask,
  type MeasuredTimePerMessage,
  type QueueDemand,
} from './required-capacity.ts';
export { REACTIVE_DEFAULTS } from './reactive-defaults.ts';
export {
  BACKLOG_METRICS,
  PUBLISHER_METRICS,
  backlogDatums,
  batchDatums,
  datumRequestBytes,
  PUT_METRIC_DATA_LIMITS,
  type BacklogDatum,
  type BacklogReading,
} from './metric-data.ts';
export { DESCRIBE_SERVICES_LIMIT, ecsDescribeBatches, type EcsServiceRef } from './ecs-batches.ts';

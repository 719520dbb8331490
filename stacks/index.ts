export {
  BacklogPublisher,
  type BacklogConsumer,
  type BacklogPublisherProps,
  type BacklogSource,
  type RequiredCapacitySource,
} from './backlog-publisher/backlog-publisher.ts';
export { InvalidPropError } from './common/prop-validation.ts';
export { QueueAlarms, type QueueAlarmsProps } from './queue-alarms/queue-alarms.ts';
export { QueueConsumerFunction, type QueueConsumerFunctionProps } from './queue-consumer-function/queue-consumer-function.ts';
export { BacklogMetricSource, QueueScaledService, ScalingSignal, type QueueScaledServiceProps } from './queue-scaled-service/queue-scaled-service.ts';
export { AlarmTopic, type AlarmTopicProps } from './workload-dashboard/alarm-topic.ts';
export type { WorkloadCapacity } from './workload-dashboard/workload-capacity.ts';
export {
  WorkloadDashboard,
  type WorkloadDashboardOptions,
  type WorkloadDashboardProps,
  type WorkloadPredictorOptions,
  type WorkloadQueue,
} from './workload-dashboard/workload-dashboard.ts';
export * from './predictive-scaling/index.ts';
export { TableScaling, type CapacityRange, type TableScalingProps } from './table-scaling/table-scaling.ts';
export { OverviewDashboard, type OverviewDashboardProps } from './workload-dashboard/overview-dashboard.ts';
export {
  RequestScaledService,
  type RequestNativePredictiveOptions,
  type RequestPredictiveOptions,
  type RequestScaledServiceProps,
  type RequestSloOptions,
} from './request-scaled-service/request-scaled-service.ts';
export * from './slo/index.ts';
// Types that appear in the props and methods above, exported so users can write them down (deep imports are closed
// by package.json `exports`).
export type { HeadroomFunction } from './common/headroom-function.ts';
export { MetricName } from '../shared/metrics/names.ts';
export type { FloorTuningInput, Quantile } from '../shared/predictor/config.ts';
export type { RequiredTasksCurve } from '../shared/request-scaling/required-tasks.ts';
export type { BurnRateAlert } from '../shared/slo/burn-rate.ts';

/**
 * The CloudWatch names headroom publishes and reads. One concept, one name: the functions publish these,
 * the constructs alarm and scale on them, the dashboards plot them and the README documents them.
 */
export const DEFAULT_NAMESPACE = 'Headroom';

/** Where a consumer (Lambda function or worker task) finds the workload its metrics carry. */
export const WORKLOAD_VARIABLE = 'HEADROOM_WORKLOAD';

/** Dimension naming the scaled workload (an ECS service or a Lambda consumer, or a predictor target). */
export const WORKLOAD_DIMENSION = 'Workload';

export const MetricName = {
  /** Messages waiting (visible + in flight, + delayed where configured) per running task. */
  backlogPerTask: 'BacklogPerTask',
  /** Messages waiting on the queue (visible + in flight, + delayed where configured). */
  queueBacklog: 'QueueBacklog',
  /** Running capacity the publisher observed (ECS running tasks, or Lambda concurrency). */
  runningCapacity: 'RunningCapacity',
  /**
   * The default scaling signal: tasks the queue needs (arrival rate x time per message + backlog drained within the
   * drain budget) per running task; 1 is exactly enough, target tracking holds it below 1.
   */
  requiredCapacityPerTask: 'RequiredCapacityPerTask',
  /** Tasks the queue needs (the numerator of RequiredCapacityPerTask). */
  requiredCapacity: 'RequiredCapacity',
  /** Messages arriving per second (the queue's NumberOfMessagesSent over the last minutes). */
  arrivalRate: 'ArrivalRate',
  /** Milliseconds per message the publisher used: the declared value blended with the measured one. */
  timePerMessage: 'TimePerMessage',
  /** 1 when messages wait and no task is desired: scales a service out of zero. */
  backlogWithoutCapacity: 'BacklogWithoutCapacity',
  /** Sources the backlog publisher could not read; nothing was published for them. */
  backlogPublishFailures: 'BacklogPublishFailures',
  /** Consumer kit: milliseconds spent on one message (the basis for throughput estimates). */
  messageProcessingTime: 'MessageProcessingTime',
  /** Consumer kit: milliseconds a message waited on the queue (SentTimestamp to the start of its handling). */
  messageWaitTime: 'MessageWaitTime',
  /** Consumer kit: messages handled successfully / reported failed for redelivery. */
  messagesProcessed: 'MessagesProcessed',
  messagesFailed: 'MessagesFailed',
  /** Predictor: forecast load quantiles and the floor it planned for the coming period. */
  forecastP50: 'ForecastP50',
  forecastP90: 'ForecastP90',
  scheduledFloor: 'ScheduledFloor',
  /** Predictor: the error of the previous run's forecast over what has since happened. */
  forecastErrorMape: 'ForecastErrorMAPE',
  forecastErrorMase: 'ForecastErrorMASE',
  /** Predictor: 1 while the forecast-error breaker holds a target's floors down (shared/predictor/forecast-breaker.ts), else 0. */
  forecastBreakerOpen: 'ForecastBreakerOpen',
  /** Predictor: per-target outcome of one run. */
  predictorSuccess: 'PredictorSuccess',
  predictorFailure: 'PredictorFailure',
} as const;

export type MetricName = (typeof MetricName)[keyof typeof MetricName];

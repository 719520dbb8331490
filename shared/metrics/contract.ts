import { DEFAULT_NAMESPACE, MetricName, WORKLOAD_DIMENSION } from './names.ts';

/**
 * What headroom's own functions publish, one entry per metric: the metric contract. CloudWatch identifies a metric by
 * namespace, name and its exact set of dimensions, so an alarm on {Workload} never sees a datum published with
 * {service, Workload} (https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/cloudwatch_concepts.html#Dimension).
 * Producers publish exactly these sets and readers (constructs, dashboards, scaling policies) read exactly these sets;
 * the suite checks both sides against this file (test/construct/metric-contract.test.ts, test/unit/metrics).
 */

/** The statistics CloudWatch offers on any metric. */
export type BasicStatistic = 'Average' | 'Sum' | 'Minimum' | 'Maximum' | 'SampleCount';

export type MetricUnitName = 'Count' | 'Count/Second' | 'Milliseconds' | 'Percent' | 'None';

/** Which of headroom's functions publishes a metric. */
export type HeadroomProducer =
  /** The Lambda consumer kit (functions/queue-consumer) and the worker kit for ECS tasks: the same metrics, the same set. */
  'consumer-kits' | 'backlog-publisher' | 'predictor';

export interface HeadroomMetricContract {
  readonly metricName: MetricName;
  readonly producer: HeadroomProducer;
  /** The exact dimension set, by name, sorted. */
  readonly dimensions: readonly string[];
  readonly unit: MetricUnitName;
  /** The statistics that mean something for this metric. */
  readonly statistics: readonly BasicStatistic[];
  /**
   * Percentile, trimmed-mean and percentile-rank statistics (p99, TM(..), PR(..)) are meaningful: every datum is one
   * event and raw values reach CloudWatch (EMF value arrays or single-value PutMetricData, never statistic sets).
   * https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/cloudwatch_concepts.html#Percentiles
   */
  readonly percentiles: boolean;
  /** 1 = high-resolution storage (PutMetricData StorageResolution 1), 60 = standard. */
  readonly storageResolution: 1 | 60;
}

const EVENT: readonly BasicStatistic[] = ['Average', 'Sum', 'Minimum', 'Maximum', 'SampleCount'];
/** A gauge published once a run: summing it over a period counts runs, not anything real. */
const GAUGE: readonly BasicStatistic[] = ['Average', 'Minimum', 'Maximum', 'SampleCount'];
const COUNT: readonly BasicStatistic[] = ['Sum', 'Average', 'Minimum', 'Maximum', 'SampleCount'];

/** The namespace headroom's functions publish in unless configured otherwise (each construct's `namespace` prop). */
export const HEADROOM_NAMESPACE = DEFAULT_NAMESPACE;

/**
 * The dimension set of the consumer kits' metrics (decided for issue 20): {Workload} only. The Lambda kit removes
 * Powertools' default `service` dimension; the worker kit publishes the same set. One dimension per workload also
 * keeps the custom-metric count, and its cost, at one metric per name and workload.
 */
export const CONSUMER_KIT_DIMENSIONS: readonly string[] = [WORKLOAD_DIMENSION];

/** headroom's per-workload metrics carry the workload alone. */
const WORKLOAD_ONLY: readonly string[] = [WORKLOAD_DIMENSION];

/** The backlog publisher's own health metric is per publisher function: Powertools' `service` (its service name). */
export const BACKLOG_PUBLISHER_HEALTH_DIMENSIONS: readonly string[] = ['service'];

export const HEADROOM_METRICS: readonly HeadroomMetricContract[] = [
  // Consumer kits: EMF through Powertools Metrics (Lambda), or the worker kit's PutMetricData with value/count arrays
  // (ECS, functions/queue-worker/metrics-publisher.ts); one sample per message either way.
  {
    metricName: MetricName.messageWaitTime,
    producer: 'consumer-kits',
    dimensions: CONSUMER_KIT_DIMENSIONS,
    unit: 'Milliseconds',
    statistics: EVENT,
    percentiles: true,
    storageResolution: 60,
  },
  {
    metricName: MetricName.messageProcessingTime,
    producer: 'consumer-kits',
    dimensions: CONSUMER_KIT_DIMENSIONS,
    unit: 'Milliseconds',
    statistics: EVENT,
    percentiles: true,
    storageResolution: 60,
  },
  // One datum per batch (Lambda) or per flush (worker): a count to Sum, not a distribution of events.
  {
    metricName: MetricName.messagesProcessed,
    producer: 'consumer-kits',
    dimensions: CONSUMER_KIT_DIMENSIONS,
    unit: 'Count',
    statistics: COUNT,
    percentiles: false,
    storageResolution: 60,
  },
  {
    metricName: MetricName.messagesFailed,
    producer: 'consumer-kits',
    dimensions: CONSUMER_KIT_DIMENSIONS,
    unit: 'Count',
    statistics: COUNT,
    percentiles: false,
    storageResolution: 60,
  },
  // Backlog publisher: PutMetricData once a minute per source (shared/backlog/metric-data.ts).
  ...(
    [
      [MetricName.backlogPerTask, 'Count'],
      [MetricName.queueBacklog, 'Count'],
      [MetricName.runningCapacity, 'Count'],
      [MetricName.requiredCapacityPerTask, 'None'],
      [MetricName.requiredCapacity, 'None'],
      [MetricName.arrivalRate, 'Count/Second'],
      [MetricName.timePerMessage, 'Milliseconds'],
      [MetricName.backlogWithoutCapacity, 'None'],
    ] as const
  ).map(
    ([metricName, unit]): HeadroomMetricContract => ({
      metricName,
      producer: 'backlog-publisher',
      dimensions: WORKLOAD_ONLY,
      unit,
      statistics: GAUGE,
      percentiles: false,
      storageResolution: 60,
    }),
  ),
  {
    metricName: MetricName.backlogPublishFailures,
    producer: 'backlog-publisher',
    dimensions: BACKLOG_PUBLISHER_HEALTH_DIMENSIONS,
    unit: 'Count',
    statistics: COUNT,
    percentiles: false,
    storageResolution: 60,
  },
  // Predictor: PutMetricData once a run per target (functions/predictor/run-predictor.ts).
  ...(
    [
      [MetricName.forecastP50, 'None', GAUGE],
      [MetricName.forecastP90, 'None', GAUGE],
      [MetricName.scheduledFloor, 'None', GAUGE],
      [MetricName.forecastErrorMape, 'Percent', GAUGE],
      [MetricName.forecastErrorMase, 'None', GAUGE],
      [MetricName.forecastBreakerOpen, 'None', GAUGE],
      [MetricName.predictorSuccess, 'Count', COUNT],
      [MetricName.predictorFailure, 'Count', COUNT],
    ] as const
  ).map(
    ([metricName, unit, statistics]): HeadroomMetricContract => ({
      metricName,
      producer: 'predictor',
      dimensions: WORKLOAD_ONLY,
      unit,
      statistics,
      percentiles: false,
      storageResolution: 60,
    }),
  ),
];

/** The contract entry of one of headroom's metrics. */
export function headroomMetricContract(metricName: string): HeadroomMetricContract | undefined {
  return HEADROOM_METRICS.find((entry) => entry.metricName === metricName);
}

/** The consumer kits' metrics: what the Lambda kit and the worker kit both publish. */
export const CONSUMER_KIT_METRICS: readonly HeadroomMetricContract[] = HEADROOM_METRICS.filter((entry) => entry.producer === 'consumer-kits');

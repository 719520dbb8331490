import type { BasicStatistic } from './contract.ts';

/**
 * The AWS metrics headroom reads, as AWS documents them: namespace, name, every dimension set the service publishes
 * the metric with, the statistics its page calls meaningful, whether percentiles exist, and when a datum is reported
 * at all. A read with another dimension set or statistic sees nothing in a real account. Each entry cites its page.
 */
export interface AwsMetricEntry {
  readonly namespace: string;
  readonly metricName: string;
  /** Each documented dimension set, by name, sorted. */
  readonly dimensionSets: readonly (readonly string[])[];
  readonly statistics: readonly BasicStatistic[];
  readonly percentiles: boolean;
  /**
   * When AWS reports a datum: `always` (every period while the resource exists), `nonzero` (only periods with a
   * nonzero value: a missing datum means 0), `active` (only while the resource is active; see `note`).
   */
  readonly reported: 'always' | 'nonzero' | 'active';
  readonly doc: string;
  readonly note?: string;
}

const SQS_DOC = 'https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-available-cloudwatch-metrics.html';
const CONTAINER_INSIGHTS_DOC = 'https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/Container-Insights-metrics-ECS.html';
const ECS_DOC = 'https://docs.aws.amazon.com/AmazonECS/latest/developerguide/available-metrics.html';
const ALB_DOC = 'https://docs.aws.amazon.com/elasticloadbalancing/latest/application/load-balancer-cloudwatch-metrics.html';
const DYNAMODB_DOC = 'https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/metrics-dimensions.html';
const LAMBDA_DOC = 'https://docs.aws.amazon.com/lambda/latest/dg/monitoring-metrics-types.html';

const ALL: readonly BasicStatistic[] = ['Average', 'Sum', 'Minimum', 'Maximum', 'SampleCount'];
const SUM: readonly BasicStatistic[] = ['Sum'];
const LEVEL: readonly BasicStatistic[] = ['Average', 'Minimum', 'Maximum'];

const SQS_INACTIVE =
  'Reported for active queues only: a queue is active for up to six hours after it holds a message or an API action touches it; after that SQS stops sending its metrics, and they can take up to 15 minutes to resume once the queue is used again.';

const sqs = (metricName: string): AwsMetricEntry => ({
  namespace: 'AWS/SQS',
  metricName,
  dimensionSets: [['QueueName']],
  statistics: ALL,
  percentiles: false,
  reported: 'active',
  doc: SQS_DOC,
  note: SQS_INACTIVE,
});

const containerInsights = (metricName: string): AwsMetricEntry => ({
  namespace: 'ECS/ContainerInsights',
  metricName,
  dimensionSets: [['ClusterName', 'ServiceName']],
  statistics: ALL,
  percentiles: false,
  reported: 'active',
  doc: CONTAINER_INSIGHTS_DOC,
  note: 'Published only for clusters with Container Insights turned on (cluster setting containerInsights: enabled or enhanced, or the account default).',
});

const ALB_TARGET_GROUP_SETS: readonly (readonly string[])[] = [
  ['LoadBalancer'],
  ['AvailabilityZone', 'LoadBalancer'],
  ['LoadBalancer', 'TargetGroup'],
  ['AvailabilityZone', 'LoadBalancer', 'TargetGroup'],
];

const dynamodb = (metricName: string): AwsMetricEntry => ({
  namespace: 'AWS/DynamoDB',
  metricName,
  dimensionSets: [['TableName'], ['GlobalSecondaryIndexName', 'TableName']],
  statistics: ALL,
  percentiles: false,
  reported: 'always',
  doc: DYNAMODB_DOC,
});

export const AWS_METRICS: readonly AwsMetricEntry[] = [
  sqs('ApproximateAgeOfOldestMessage'),
  sqs('ApproximateNumberOfMessagesDelayed'),
  sqs('ApproximateNumberOfMessagesNotVisible'),
  sqs('ApproximateNumberOfMessagesVisible'),
  sqs('NumberOfEmptyReceives'),
  sqs('NumberOfMessagesDeleted'),
  sqs('NumberOfMessagesReceived'),
  sqs('NumberOfMessagesSent'),
  sqs('SentMessageSize'),
  containerInsights('RunningTaskCount'),
  containerInsights('DesiredTaskCount'),
  containerInsights('PendingTaskCount'),
  ...['CPUUtilization', 'MemoryUtilization'].map(
    (metricName): AwsMetricEntry => ({
      namespace: 'AWS/ECS',
      metricName,
      dimensionSets: [['ClusterName'], ['ClusterName', 'ServiceName']],
      statistics: ALL,
      // ECS is not among the services whose metrics support percentiles (CloudWatch concepts, Percentiles).
      percentiles: false,
      reported: 'always',
      doc: ECS_DOC,
    }),
  ),
  {
    namespace: 'AWS/ApplicationELB',
    metricName: 'RequestCount',
    dimensionSets: ALB_TARGET_GROUP_SETS,
    statistics: SUM,
    percentiles: false,
    reported: 'nonzero',
    doc: ALB_DOC,
    note: 'Not reported for a minute without requests: metric math must FILL it with 0.',
  },
  {
    namespace: 'AWS/ApplicationELB',
    metricName: 'RequestCountPerTarget',
    dimensionSets: [['TargetGroup'], ['LoadBalancer', 'TargetGroup']],
    statistics: SUM,
    percentiles: false,
    reported: 'nonzero',
    doc: ALB_DOC,
  },
  {
    namespace: 'AWS/ApplicationELB',
    metricName: 'TargetResponseTime',
    dimensionSets: ALB_TARGET_GROUP_SETS,
    statistics: ['Average', 'Minimum', 'Maximum', 'SampleCount'],
    percentiles: true,
    reported: 'nonzero',
    doc: ALB_DOC,
    note: 'One datum per request that got a response from a target: a request that times out or is answered by the load balancer leaves none.',
  },
  {
    namespace: 'AWS/ApplicationELB',
    metricName: 'HealthyHostCount',
    dimensionSets: [
      ['LoadBalancer', 'TargetGroup'],
      ['AvailabilityZone', 'LoadBalancer', 'TargetGroup'],
    ],
    statistics: LEVEL,
    percentiles: false,
    reported: 'always',
    doc: ALB_DOC,
  },
  ...['HTTPCode_Target_2XX_Count', 'HTTPCode_Target_4XX_Count', 'HTTPCode_Target_5XX_Count'].map(
    (metricName): AwsMetricEntry => ({
      namespace: 'AWS/ApplicationELB',
      metricName,
      dimensionSets: ALB_TARGET_GROUP_SETS,
      statistics: SUM,
      percentiles: false,
      reported: 'nonzero',
      doc: ALB_DOC,
      note: 'Counts responses the targets generated; the load balancer’s own 502/503/504 are in HTTPCode_ELB_5XX_Count.',
    }),
  ),
  ...['HTTPCode_ELB_4XX_Count', 'HTTPCode_ELB_5XX_Count', 'HTTPCode_ELB_502_Count', 'HTTPCode_ELB_503_Count', 'HTTPCode_ELB_504_Count'].map(
    (metricName): AwsMetricEntry => ({
      namespace: 'AWS/ApplicationELB',
      metricName,
      dimensionSets: [['LoadBalancer'], ['AvailabilityZone', 'LoadBalancer']],
      statistics: SUM,
      percentiles: false,
      reported: 'nonzero',
      doc: ALB_DOC,
      note: 'Generated by the load balancer itself: no TargetGroup dimension.',
    }),
  ),
  dynamodb('ConsumedReadCapacityUnits'),
  dynamodb('ConsumedWriteCapacityUnits'),
  dynamodb('ProvisionedReadCapacityUnits'),
  dynamodb('ProvisionedWriteCapacityUnits'),
  dynamodb('ReadThrottleEvents'),
  dynamodb('WriteThrottleEvents'),
  {
    namespace: 'AWS/Lambda',
    metricName: 'ConcurrentExecutions',
    dimensionSets: [[], ['FunctionName'], ['FunctionName', 'Resource']],
    statistics: ['Maximum', 'Average', 'Minimum', 'SampleCount'],
    percentiles: false,
    reported: 'active',
    doc: LAMBDA_DOC,
  },
  ...['Invocations', 'Errors', 'Throttles', 'ProvisionedConcurrencySpilloverInvocations'].map(
    (metricName): AwsMetricEntry => ({
      namespace: 'AWS/Lambda',
      metricName,
      dimensionSets: [[], ['FunctionName'], ['FunctionName', 'Resource'], ['ExecutedVersion', 'FunctionName', 'Resource']],
      // Binary indicators, one per invocation: Sum counts them, Average is the rate.
      statistics: ALL,
      percentiles: false,
      reported: 'active',
      doc: LAMBDA_DOC,
    }),
  ),
  {
    namespace: 'AWS/Lambda',
    metricName: 'IteratorAge',
    dimensionSets: [['FunctionName'], ['FunctionName', 'Resource']],
    statistics: ALL,
    percentiles: false,
    reported: 'active',
    doc: LAMBDA_DOC,
    note: 'Stream event sources (Kinesis, DynamoDB Streams, Kafka) only: never reported for an SQS consumer.',
  },
  {
    namespace: 'AWS/Lambda',
    metricName: 'Duration',
    dimensionSets: [[], ['FunctionName'], ['FunctionName', 'Resource'], ['ExecutedVersion', 'FunctionName', 'Resource']],
    statistics: ['Average', 'Minimum', 'Maximum', 'SampleCount'],
    percentiles: true,
    reported: 'active',
    doc: LAMBDA_DOC,
  },
];

export function awsMetricEntry(namespace: string, metricName: string): AwsMetricEntry | undefined {
  return AWS_METRICS.find((entry) => entry.namespace === namespace && entry.metricName === metricName);
}

/** Namespaces AWS services publish in: a metric read there must be in the catalogue. */
export function isAwsNamespace(namespace: string): boolean {
  return namespace.startsWith('AWS/') || namespace === 'ECS/ContainerInsights';
}

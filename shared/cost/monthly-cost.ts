import { HOURS_PER_MONTH, PRICES, type Prices } from './prices.ts';
import { FUNCTION_BASE_RUN, type ProducerFootprint } from './producers.ts';
import { type CloudFormationResource, type CloudFormationTemplate, SHARED_WORKLOAD, templateFootprint } from './template-footprint.ts';

/** One priced item of a workload's monthly bill. */
export interface CostLine {
  readonly item: string;
  readonly quantity: number;
  readonly unit: string;
  readonly monthlyUsd: number;
}

export interface WorkloadCost {
  readonly workload: string;
  readonly stack: string;
  readonly lines: readonly CostLine[];
  readonly monthlyUsd: number;
}

/** What headroom itself costs a month in the templates given, per workload and in total, at `prices`. */
export interface CostReport {
  readonly pricesAsOf: string;
  readonly region: string;
  readonly workloads: readonly WorkloadCost[];
  /** Workloads other than the shared row. */
  readonly workloadCount: number;
  readonly totalUsd: number;
  /** The total divided by the workloads: what one workload costs with its share of the shared resources. */
  readonly perWorkloadUsd: number;
}

/**
 * Prices what headroom's constructs put in each template, from the footprint they record there: the alarms they
 * create (priced per metric they evaluate, as CloudWatch bills metric-math alarms), the alarms Application Auto
 * Scaling creates for each target-tracking policy, composite alarms, dashboards, the custom metrics headroom's
 * functions publish, and the scheduled functions' runs (Lambda, Scheduler, GetMetricData, PutMetricData, SQS
 * and log ingestion). Resources of the template that no headroom construct recorded are not headroom's and are
 * left out.
 */
export function monthlyCost(templates: Readonly<Record<string, CloudFormationTemplate>>, prices: Prices = PRICES): CostReport {
  const workloads: WorkloadCost[] = [];
  for (const [stack, template] of Object.entries(templates)) {
    const footprint = templateFootprint(template);
    const resources = template.Resources ?? {};
    const names = new Set([...Object.keys(footprint.workloads), ...footprint.producers.map((producer) => producer.workload)]);
    const functionRuns = scheduledRunsPerMonth(resources);
    for (const workload of [...names].sort(sharedLast)) {
      const lines = [
        ...resourceLines(footprint.workloads[workload] ?? [], resources, prices),
        ...producerLines(
          footprint.producers.filter((producer) => producer.workload === workload),
          footprint.producers,
          resources,
          functionRuns,
          prices,
        ),
      ].filter((line) => line.quantity > 0);
      workloads.push({ workload, stack, lines, monthlyUsd: sum(lines.map((line) => line.monthlyUsd)) });
    }
  }
  const totalUsd = sum(workloads.map((workload) => workload.monthlyUsd));
  const workloadCount = workloads.filter((workload) => workload.workload !== SHARED_WORKLOAD).length;
  return {
    pricesAsOf: prices.asOf,
    region: prices.region,
    workloads,
    workloadCount,
    totalUsd,
    perWorkloadUsd: workloadCount > 0 ? totalUsd / workloadCount : 0,
  };
}

function sharedLast(a: string, b: string): number {
  if (a === SHARED_WORKLOAD) return 1;
  if (b === SHARED_WORKLOAD) return -1;
  return a.localeCompare(b);
}

function resourceLines(ids: readonly string[], resources: Readonly<Record<string, CloudFormationResource>>, prices: Prices): CostLine[] {
  const cw = prices.cloudwatch;
  let standardAlarmMetrics = 0;
  let highResolutionAlarmMetrics = 0;
  let trackingAlarmMetrics = 0;
  let composites = 0;
  let dashboards = 0;
  for (const id of ids) {
    const resource = resources[id];
    if (!resource) continue;
    if (resource.Type === 'AWS::CloudWatch::Alarm') {
      const metrics = alarmMetricCount(resource.Properties ?? {});
      if (isHighResolution(resource.Properties ?? {})) highResolutionAlarmMetrics += metrics;
      else standardAlarmMetrics += metrics;
    } else if (resource.Type === 'AWS::CloudWatch::CompositeAlarm') composites += 1;
    else if (resource.Type === 'AWS::CloudWatch::Dashboard') dashboards += 1;
    else if (resource.Type === 'AWS::ApplicationAutoScaling::ScalingPolicy') trackingAlarmMetrics += targetTrackingAlarmMetrics(resource, resources);
  }
  return [
    {
      item: 'alarms (standard resolution)',
      quantity: standardAlarmMetrics,
      unit: 'alarm metrics',
      monthlyUsd: standardAlarmMetrics * cw.standardAlarmMetricMonth,
    },
    {
      item: 'alarms (high resolution)',
      quantity: highResolutionAlarmMetrics,
      unit: 'alarm metrics',
      monthlyUsd: highResolutionAlarmMetrics * cw.highResolutionAlarmMetricMonth,
    },
    {
      item: 'target-tracking alarms (created by Application Auto Scaling)',
      quantity: trackingAlarmMetrics,
      unit: 'alarm metrics',
      monthlyUsd: trackingAlarmMetrics * cw.standardAlarmMetricMonth,
    },
    { item: 'composite alarms', quantity: composites, unit: 'alarms', monthlyUsd: composites * cw.compositeAlarmMonth },
    { item: 'dashboards', quantity: dashboards, unit: 'dashboards', monthlyUsd: dashboards * cw.dashboardMonth },
  ];
}

/** CloudWatch bills an alarm per metric it evaluates: one for a single metric, one per MetricStat in a math alarm. */
// biome-ignore lint/suspicious/noExplicitAny: CloudFormation properties are free-form JSON.
export function alarmMetricCount(properties: Record<string, any>): number {
  const queries = properties.Metrics as Array<{ MetricStat?: unknown }> | undefined;
  if (!queries) return 1;
  return queries.filter((query) => query.MetricStat !== undefined).length;
}

// biome-ignore lint/suspicious/noExplicitAny: CloudFormation properties are free-form JSON.
function isHighResolution(properties: Record<string, any>): boolean {
  const periods: number[] = [];
  if (typeof properties.Period === 'number') periods.push(properties.Period);
  for (const query of (properties.Metrics ?? []) as Array<{ MetricStat?: { Period?: number }; Period?: number }>) {
    if (typeof query.MetricStat?.Period === 'number') periods.push(query.MetricStat.Period);
    if (typeof query.Period === 'number') periods.push(query.Period);
  }
  return periods.some((period) => period < 60);
}

/**
 * Application Auto Scaling creates and bills the alarms of a target-tracking policy (AlarmHigh and AlarmLow; for
 * DynamoDB also ProvisionedCapacityHigh and ProvisionedCapacityLow; no scale-in alarm when scale-in is disabled),
 * each evaluating every metric of the policy's metric (math) specification.
 * https://docs.aws.amazon.com/autoscaling/application/userguide/application-auto-scaling-target-tracking.html
 */
function targetTrackingAlarmMetrics(policy: CloudFormationResource, resources: Readonly<Record<string, CloudFormationResource>>): number {
  const properties = policy.Properties ?? {};
  const configuration = properties.TargetTrackingScalingPolicyConfiguration;
  if (properties.PolicyType !== 'TargetTrackingScaling' || !configuration) return 0;
  const custom = configuration.CustomizedMetricSpecification as { Metrics?: Array<{ MetricStat?: unknown }> } | undefined;
  const metrics = custom?.Metrics ? custom.Metrics.filter((query) => query.MetricStat !== undefined).length : 1;
  const scaleIn = configuration.DisableScaleIn === true ? 0 : 1;
  const dynamodb = scalingNamespace(properties, resources) === 'dynamodb';
  const alarms = dynamodb ? 2 + 2 * scaleIn : 1 + scaleIn;
  return alarms * metrics;
}

// biome-ignore lint/suspicious/noExplicitAny: CloudFormation properties are free-form JSON.
function scalingNamespace(properties: Record<string, any>, resources: Readonly<Record<string, CloudFormationResource>>): string | undefined {
  if (typeof properties.ServiceNamespace === 'string') return properties.ServiceNamespace;
  const ref = properties.ScalingTargetId?.Ref as string | undefined;
  const target = ref ? resources[ref] : undefined;
  return target?.Properties?.ServiceNamespace;
}

/** Runs a month of every function an EventBridge Scheduler schedule invokes, by the function's logical ID. */
function scheduledRunsPerMonth(resources: Readonly<Record<string, CloudFormationResource>>): Map<string, number> {
  const runs = new Map<string, number>();
  for (const resource of Object.values(resources)) {
    if (resource.Type !== 'AWS::Scheduler::Schedule') continue;
    const target = resource.Properties?.Target?.Arn?.['Fn::GetAtt']?.[0] as string | undefined;
    const minutes = rateMinutes(String(resource.Properties?.ScheduleExpression ?? ''));
    if (target && minutes) runs.set(target, (runs.get(target) ?? 0) + (HOURS_PER_MONTH * 60) / minutes);
  }
  return runs;
}

/** Minutes between runs of an EventBridge Scheduler `rate(...)` expression; undefined for other expressions. */
export function rateMinutes(expression: string): number | undefined {
  const match = /^rate\((\d+)\s+(minute|minutes|hour|hours|day|days)\)$/.exec(expression.trim());
  if (!match) return undefined;
  const value = Number(match[1]);
  const unit = match[2]!.replace(/s$/, '');
  return value * (unit === 'minute' ? 1 : unit === 'hour' ? 60 : 1_440);
}

function producerLines(
  own: readonly ProducerFootprint[],
  all: readonly ProducerFootprint[],
  resources: Readonly<Record<string, CloudFormationResource>>,
  functionRuns: ReadonlyMap<string, number>,
  prices: Prices,
): CostLine[] {
  const cw = prices.cloudwatch;
  const metrics = sum(own.map((producer) => producer.metrics.length));
  let getMetricDataMetrics = 0;
  let sqsRequests = 0;
  let putRequests = 0;
  let gbSeconds = 0;
  let invocations = 0;
  let logGb = 0;
  for (const producer of own) {
    const runs = functionRuns.get(producer.function) ?? 0;
    if (runs === 0) continue;
    const siblings = all.filter((other) => other.function === producer.function);
    const share = 1 / siblings.length;
    const memoryGb = Number(resources[producer.function]?.Properties?.MemorySize ?? 128) / 1024;
    const datumsPerRun = sum(siblings.map((sibling) => sibling.perRun.putMetricDataDatums));
    getMetricDataMetrics += runs * producer.perRun.getMetricDataMetrics;
    const refreshed = producer.perRun.refreshedReads;
    if (refreshed) getMetricDataMetrics += Math.min(runs, (HOURS_PER_MONTH * 60) / refreshed.everyMinutes) * refreshed.metrics;
    sqsRequests += runs * producer.perRun.sqsRequests;
    putRequests += runs * Math.ceil(datumsPerRun / 1000) * share;
    gbSeconds += runs * memoryGb * ((producer.perRun.lambdaMs + FUNCTION_BASE_RUN.lambdaMs * share) / 1000);
    invocations += runs * share;
    logGb += (runs * (producer.perRun.logBytes + FUNCTION_BASE_RUN.logBytes * share)) / 1e9;
  }
  return [
    { item: 'custom metrics', quantity: metrics, unit: 'metrics', monthlyUsd: metrics * cw.customMetricMonth },
    {
      item: 'GetMetricData',
      quantity: getMetricDataMetrics,
      unit: 'metrics requested',
      monthlyUsd: (getMetricDataMetrics / 1000) * cw.getMetricDataMetricsPerThousand,
    },
    { item: 'PutMetricData', quantity: putRequests, unit: 'requests', monthlyUsd: (putRequests / 1000) * cw.apiRequestsPerThousand },
    { item: 'SQS GetQueueAttributes', quantity: sqsRequests, unit: 'requests', monthlyUsd: (sqsRequests / 1e6) * prices.sqs.requestsPerMillion },
    {
      item: 'Lambda and Scheduler invocations',
      quantity: invocations,
      unit: 'invocations',
      monthlyUsd: (invocations / 1e6) * (prices.lambda.requestsPerMillion + prices.scheduler.invocationsPerMillion),
    },
    { item: 'Lambda duration', quantity: gbSeconds, unit: 'GB-seconds', monthlyUsd: gbSeconds * prices.lambda.gbSecond },
    { item: 'log ingestion', quantity: logGb, unit: 'GB', monthlyUsd: logGb * cw.logIngestionGb },
  ];
}

function sum(values: readonly number[]): number {
  return values.reduce((total, value) => total + value, 0);
}

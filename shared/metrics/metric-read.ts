import { awsMetricEntry, isAwsNamespace } from './aws-catalogue.ts';
import { type BasicStatistic, headroomMetricContract } from './contract.ts';

/** One metric something reads (an alarm, a dashboard widget, a scaling policy, a function's configuration). */
export interface MetricRead {
  readonly namespace: string;
  readonly metricName: string;
  /** Dimension names as read (values do not matter to the contract). */
  readonly dimensions: readonly string[];
  /** CloudWatch statistic as written: Average, p99, PR(:0.5), TM(10%:90%)... */
  readonly statistic: string;
  /** Where the read is, for the message (a logical id and path). */
  readonly where: string;
}

const BASIC: readonly string[] = ['Average', 'Sum', 'Minimum', 'Maximum', 'SampleCount'];

/** Percentile, trimmed mean, winsorized mean, trimmed count/sum, percentile rank, IQM: all need raw values. */
export function isPercentileFamily(statistic: string): boolean {
  return /^(p\d|tm\d|wm\d|tc\d|ts\d|PR\(|TM\(|WM\(|TC\(|TS\(|IQM$)/i.test(statistic);
}

const sameSet = (a: readonly string[], b: readonly string[]): boolean => {
  const [x, y] = [[...a].sort(), [...b].sort()];
  return x.length === y.length && x.every((name, index) => name === y[index]);
};
const show = (set: readonly string[]): string => `{${[...set].sort().join(', ')}}`;

/**
 * What is wrong with a read, matched against its producer (headroom's contract, or the AWS catalogue); undefined when
 * something really publishes the metric with that dimension set and the statistic means something for it.
 * `ownNamespaces`: the namespaces headroom's functions publish in for the app (Headroom, or configured ones).
 */
export function metricReadProblem(read: MetricRead, ownNamespaces: readonly string[]): string | undefined {
  const at = `${read.where}: ${read.namespace} ${read.metricName} ${show(read.dimensions)} ${read.statistic}`;
  const statisticProblem = (statistics: readonly BasicStatistic[], percentiles: boolean): string | undefined => {
    if (isPercentileFamily(read.statistic))
      return percentiles ? undefined : `${at}: percentile-type statistics need raw values, which this metric's producer does not publish`;
    if (!BASIC.includes(read.statistic)) return `${at}: "${read.statistic}" is not a CloudWatch statistic`;
    return statistics.includes(read.statistic as BasicStatistic)
      ? undefined
      : `${at}: ${read.statistic} means nothing for this metric (its producer documents ${statistics.join(', ')})`;
  };
  if (isAwsNamespace(read.namespace)) {
    const entry = awsMetricEntry(read.namespace, read.metricName);
    if (!entry)
      return `${at}: not in the AWS catalogue (shared/metrics/aws-catalogue.ts): add it from its AWS documentation page, or read a metric AWS publishes`;
    if (!entry.dimensionSets.some((set) => sameSet(set, read.dimensions)))
      return `${at}: AWS publishes it with ${entry.dimensionSets.map(show).join(' or ')} (${entry.doc}), so this read sees no data`;
    return statisticProblem(entry.statistics, entry.percentiles);
  }
  if (!ownNamespaces.includes(read.namespace)) return `${at}: no producer publishes in namespace ${read.namespace}`;
  const contract = headroomMetricContract(read.metricName);
  if (!contract) return `${at}: headroom's functions publish no metric of this name (shared/metrics/contract.ts)`;
  if (!sameSet(contract.dimensions, read.dimensions))
    return `${at}: the ${contract.producer} publishes it with ${show(contract.dimensions)}, so this read sees no data`;
  return statisticProblem(contract.statistics, contract.percentiles);
}

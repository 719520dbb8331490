/**
 * Which statistic strings GetMetricData accepts, as CloudWatch documents them
 * (https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/Statistics-definitions.html): the five simple
 * statistics, percentiles `p0`-`p100`, the trimmed and winsorized forms `tm`/`wm`/`tc`/`ts` with a percentage or
 * a `(low%:high%)` range, percentile rank `PR(low:high)` and `IQM`. A statistic outside these fails the whole
 * GetMetricData call, so it is refused where it is configured. Pure.
 */
const PERCENT = String.raw`(?:100|\d{1,2}(?:\.\d+)?)`;
const NUMBER = String.raw`-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?`;
const STATISTIC = new RegExp(
  [
    '^(?:SampleCount|Average|Sum|Minimum|Maximum|IQM',
    `|p${PERCENT}`,
    `|(?:tm|wm|tc|ts)${PERCENT}`,
    `|(?:TM|WM|TC|TS)\\((?:${PERCENT}%)?:(?:${PERCENT}%)?\\)`,
    `|PR\\((?:${NUMBER})?:(?:${NUMBER})?\\)`,
    ')$',
  ].join(''),
);

export function isCloudWatchStatistic(statistic: string): boolean {
  return STATISTIC.test(statistic) && !/^(?:TM|WM|TC|TS|PR)\(:\)$/.test(statistic);
}

export const STATISTIC_HINT =
  'Use one GetMetricData accepts: Sum, Average, Minimum, Maximum, SampleCount, a percentile such as p99 or p99.9, or tm/wm/tc/ts/PR forms (https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/Statistics-definitions.html)';

import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { DEFAULT_NAMESPACE, WORKLOAD_DIMENSION, type MetricName } from '../../shared/metrics/names.ts';

/** One of headroom's own per-workload metrics, as the functions publish it. */
export function headroomMetric(
  metricName: MetricName,
  workload: string,
  props: cloudwatch.MetricOptions & { readonly namespace?: string } = {},
): cloudwatch.Metric {
  const { namespace, ...options } = props;
  return new cloudwatch.Metric({
    namespace: namespace ?? DEFAULT_NAMESPACE,
    metricName,
    dimensionsMap: { [WORKLOAD_DIMENSION]: workload },
    statistic: 'Average',
    period: Duration.minutes(1),
    ...options,
  });
}

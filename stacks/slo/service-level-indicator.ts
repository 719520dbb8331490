import type { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import { MetricName } from '../../shared/metrics/names.ts';
import { headroomMetric } from '../common/headroom-metric.ts';
import { InvalidPropError } from '../common/prop-validation.ts';

/**
 * What share of a workload's events were bad over a period: the SLI a burn-rate alert watches. Each alarm window
 * asks for the share over its own period, so an indicator is a recipe rather than one metric.
 */
export interface ServiceLevelIndicator {
  /** Says what a bad event is, for alarm descriptions (e.g. "requests slower than 0.5 s"). */
  readonly description: string;
  /** The share of bad events (0-1) over each `period`, as CloudWatch metric math. */
  badShare(period: Duration): cloudwatch.MathExpression;
}

const NAME = 'ServiceLevelIndicator';

function requirePositiveThreshold(threshold: number): void {
  if (!(threshold > 0 && Number.isFinite(threshold)))
    throw new InvalidPropError(
      NAME,
      'threshold',
      `must be a positive number in the metric's unit, got ${threshold}`,
      'Give the latency SLO in the unit the metric is published in.',
    );
}

/** 500 ms, 2 seconds, 5 minutes: the way an SLO is said. */
function humanLatency(threshold: Duration): string {
  const ms = threshold.toMilliseconds();
  return ms < 1000 ? `${ms} ms` : threshold.toHumanString();
}

/** Metric ids carry the period: one graph or alarm may show the same metric over several windows. */
export function periodId(period: Duration): string {
  return `${Math.round(period.toSeconds() / 60)}m`;
}

/**
 * The share of events at or under a latency threshold, from a metric whose every datapoint is one event (ALB
 * TargetResponseTime is one per request; the consumer kit's MessageWaitTime one per message): the percentile
 * rank statistic `PR(:threshold)` is the percentage of datapoints at or under the threshold, so no event is
 * left out the way a p99 of per-minute maxima would.
 */
export function latencyIndicator(metric: cloudwatch.Metric, threshold: number, description: string): ServiceLevelIndicator {
  requirePositiveThreshold(threshold);
  return {
    description,
    badShare: (period) => {
      const fast = `fast${periodId(period)}`;
      return new cloudwatch.MathExpression({
        expression: `(100 - ${fast}) / 100`,
        usingMetrics: { [fast]: metric.with({ statistic: cloudwatch.Stats.percentileRank(threshold), period }) },
        period,
        label: `Share of ${description}`,
      });
    },
  };
}

/**
 * bad / total from two count metrics summed over the period. A count the service publishes only when it is non-zero
 * (the ALB's HTTPCode_Target_5XX_Count) is filled with 0; a period without any event has no share, and the
 * alarms treat that as not breaching.
 */
export function ratioIndicator(bad: cloudwatch.Metric, total: cloudwatch.Metric, description: string): ServiceLevelIndicator {
  return {
    description,
    badShare: (period) => {
      const [badId, totalId] = [`bad${periodId(period)}`, `total${periodId(period)}`];
      return new cloudwatch.MathExpression({
        expression: `FILL(${badId}, 0) / ${totalId}`,
        usingMetrics: { [badId]: bad.with({ statistic: 'Sum', period }), [totalId]: total.with({ statistic: 'Sum', period }) },
        period,
        label: `Share of ${description}`,
      });
    },
  };
}

/**
 * A web service's latency SLI: requests whose ALB TargetResponseTime is over `threshold`, and requests that timed out.
 * A request the load balancer gave up on (HTTPCode_ELB_504_Count: the target did not answer in time) leaves no
 * TargetResponseTime datapoint, so the percentile rank alone would read a hung fleet as fast: such requests count as
 * bad, over the responses (TargetResponseTime's SampleCount) plus them.
 * https://docs.aws.amazon.com/elasticloadbalancing/latest/application/load-balancer-cloudwatch-metrics.html
 */
export function albLatencyIndicator(
  targetGroup: elbv2.IApplicationTargetGroup,
  loadBalancer: elbv2.IApplicationLoadBalancer,
  threshold: Duration,
): ServiceLevelIndicator {
  const seconds = threshold.toMilliseconds() / 1000;
  requirePositiveThreshold(seconds);
  const responseTime = targetGroup.metrics.targetResponseTime();
  const timeouts = loadBalancer.metrics.custom('HTTPCode_ELB_504_Count');
  return {
    description: `requests slower than ${humanLatency(threshold)} or timed out`,
    badShare: (period) => {
      const [fast, responses, timedOut] = ['fast', 'responses', 'timedOut'].map((name) => `${name}${periodId(period)}`) as [string, string, string];
      const total = `(FILL(${responses}, 0) + FILL(${timedOut}, 0))`;
      return new cloudwatch.MathExpression({
        // No datapoint without any request (the alarms treat that as not breaching); parenthesized throughout.
        expression: `IF(${total} > 0, ((((100 - FILL(${fast}, 100)) / 100) * FILL(${responses}, 0)) + FILL(${timedOut}, 0)) / ${total})`,
        usingMetrics: {
          [fast]: responseTime.with({ statistic: cloudwatch.Stats.percentileRank(seconds), period }),
          [responses]: responseTime.with({ statistic: 'SampleCount', period }),
          [timedOut]: timeouts.with({ statistic: 'Sum', period }),
        },
        period,
        label: `Share of requests slower than ${humanLatency(threshold)} or timed out`,
      });
    },
  };
}

/**
 * A web service's availability SLI: requests answered 5xx, by a target (HTTPCode_Target_5XX_Count) or by the load
 * balancer itself (HTTPCode_ELB_5XX_Count: 502/503/504, which target counts exclude; LoadBalancer dimension only, so
 * it counts every target group behind the load balancer), over the target group's requests plus those. A crashed or
 * empty fleet answers 503 from the load balancer and reads as down, not as healthy.
 */
export function albErrorIndicator(targetGroup: elbv2.IApplicationTargetGroup, loadBalancer: elbv2.IApplicationLoadBalancer): ServiceLevelIndicator {
  const target5xx = targetGroup.metrics.httpCodeTarget(elbv2.HttpCodeTarget.TARGET_5XX_COUNT);
  const elb5xx = loadBalancer.metrics.httpCodeElb(elbv2.HttpCodeElb.ELB_5XX_COUNT);
  const requests = targetGroup.metrics.requestCount();
  return {
    description: 'requests answered 5xx by a target or the load balancer',
    badShare: (period) => {
      const [targetBad, elbBad, total] = ['targetBad', 'elbBad', 'total'].map((name) => `${name}${periodId(period)}`) as [string, string, string];
      const all = `(FILL(${total}, 0) + FILL(${elbBad}, 0))`;
      return new cloudwatch.MathExpression({
        expression: `IF(${all} > 0, (FILL(${targetBad}, 0) + FILL(${elbBad}, 0)) / ${all})`,
        usingMetrics: {
          [targetBad]: target5xx.with({ statistic: 'Sum', period }),
          [elbBad]: elb5xx.with({ statistic: 'Sum', period }),
          [total]: requests.with({ statistic: 'Sum', period }),
        },
        period,
        label: 'Share of requests answered 5xx by a target or the load balancer',
      });
    },
  };
}

/**
 * A queue consumer's latency SLI (ECS workers and Lambda consumers alike): messages that waited longer than
 * `threshold` before processing, from the consumer kit's per-message MessageWaitTime (milliseconds).
 */
export function messageWaitIndicator(
  workload: { readonly workload: string } | string,
  threshold: Duration,
  namespace?: string,
): ServiceLevelIndicator {
  // The consumer itself (a QueueScaledService or QueueConsumerFunction), so the name cannot drift from the one its
  // metrics carry; a string is still taken.
  const name = typeof workload === 'string' ? workload : workload.workload;
  return latencyIndicator(
    headroomMetric(MetricName.messageWaitTime, name, namespace ? { namespace } : {}),
    threshold.toMilliseconds(),
    `messages that waited longer than ${humanLatency(threshold)}`,
  );
}

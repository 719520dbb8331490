/**
 * The public list prices headroom's cost model uses: US East (N. Virginia), on-demand, without free tiers (a
 * platform account spends its free tier elsewhere). Every figure headroom reports about its own bill comes from this
 * one table, so a price change is one edit here. Checked against the pricing pages below on the date given.
 */
export const PRICES = {
  asOf: '2026-12-03',
  region: 'us-east-1',
  sources: [
    'https://aws.amazon.com/cloudwatch/pricing/',
    'https://aws.amazon.com/lambda/pricing/',
    'https://aws.amazon.com/eventbridge/pricing/',
    'https://aws.amazon.com/sqs/pricing/',
    'https://aws.amazon.com/fargate/pricing/',
  ],
  cloudwatch: {
    /** Per custom metric (namespace + name + dimension set) a month, first 10,000 metrics of an account. */
    customMetricMonth: 0.3,
    /** Per metric an alarm evaluates, a month: standard resolution (period >= 60 s). */
    standardAlarmMetricMonth: 0.1,
    /** Per metric an alarm evaluates, a month: high resolution (period < 60 s). */
    highResolutionAlarmMetricMonth: 0.3,
    compositeAlarmMonth: 0.5,
    dashboardMonth: 3,
    /** PutMetricData (and other API requests), per 1,000 requests. */
    apiRequestsPerThousand: 0.01,
    /** GetMetricData, per 1,000 metrics requested. */
    getMetricDataMetricsPerThousand: 0.01,
    /** Log ingestion (standard log class), per GB. */
    logIngestionGb: 0.5,
  },
  lambda: {
    requestsPerMillion: 0.2,
    /** x86, first 6 billion GB-seconds a month. */
    gbSecond: 0.0000166667,
  },
  scheduler: {
    /** EventBridge Scheduler invocations, per million (after the 14 million free a month, which we do not count). */
    invocationsPerMillion: 1,
  },
  sqs: {
    /** Standard queue API requests, per million (GetQueueAttributes included). */
    requestsPerMillion: 0.4,
  },
  fargate: {
    /** Linux/x86, per vCPU-hour and per GB-hour. */
    vcpuHour: 0.04048,
    gbHour: 0.004445,
  },
} as const;

export type Prices = typeof PRICES;

/** Hours in the month every monthly figure uses (365 x 24 / 12), as AWS's calculator does. */
export const HOURS_PER_MONTH = 730;

import type { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import type { Construct } from 'constructs';

export interface StaleAlarmProps {
  /** A count each run adds to (Lambda's Invocations, the predictor's PredictorSuccess). */
  readonly runs: cloudwatch.Metric;
  /** How often a run is due. */
  readonly interval: Duration;
  readonly alarmDescription: string;
}

/**
 * Fires when two of the last three intervals saw no run, and stays quiet before the first run after a deploy.
 *
 * A plain alarm on the count with missing data treated as breaching pages right after every fresh deploy (no run
 * yet, so no datapoint). Here the alarm watches `FILL(runs, 0)`: once a run has left a datapoint inside the
 * evaluated range, every interval without one reads 0 and breaches; while no run has ever happened the expression
 * has nothing to fill, returns no data, and missing data is `ignore`d, so a fresh alarm stays INSUFFICIENT_DATA
 * instead of paging, and an alarm already in ALARM stays there after the last run leaves the range
 * (https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/AlarmThatSendsEmail.html#alarms-and-missing-data,
 * https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/using-metric-math.html, FILL).
 * What this gives up: a schedule that never runs at all after the deploy leaves the alarm INSUFFICIENT_DATA, not ALARM.
 */
export function staleAlarm(scope: Construct, id: string, props: StaleAlarmProps): cloudwatch.Alarm {
  const filled = new cloudwatch.MathExpression({
    expression: 'FILL(runs, 0)',
    usingMetrics: { runs: props.runs.with({ period: props.interval, statistic: 'Sum' }) },
    period: props.interval,
    label: 'runs per interval (missing as 0 once there has been one)',
  });
  return filled.createAlarm(scope, id, {
    alarmDescription: props.alarmDescription,
    threshold: 1,
    comparisonOperator: cloudwatch.ComparisonOperator.LESS_THAN_THRESHOLD,
    evaluationPeriods: 3,
    datapointsToAlarm: 2,
    treatMissingData: cloudwatch.TreatMissingData.IGNORE,
  });
}

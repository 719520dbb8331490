import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import type * as sns from 'aws-cdk-lib/aws-sns';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { InvalidPropError, isToken, requireWholeNumber, wholeSeconds } from '../common/prop-validation.ts';
import { checkDeployLimits } from '../common/deploy-limits.ts';

export interface QueueAlarmsProps {
  /** The queue whose oldest message is held to the latency SLO. */
  readonly queue: sqs.IQueue;
  /** The latency SLO: the oldest message must not wait longer than this. */
  readonly acceptableLatency: Duration;
  /**
   * The dead-letter queue to watch.
   * @default no DLQ alarm
   */
  readonly deadLetterQueue?: sqs.IQueue;
  /**
   * Where alarm and OK notifications go.
   * @default no notification
   */
  readonly alarmTopic?: sns.ITopic;
  /**
   * Consecutive minutes the oldest message must be over the SLO before the alarm fires (1-1440: CloudWatch
   * evaluates an alarm over at most one day).
   * @default 3
   */
  readonly sloBreachMinutes?: number;
}

const NAME = 'QueueAlarms';

/** The alarms every scaled queue ships with: the latency SLO is breached, and the DLQ is not empty. */
export class QueueAlarms extends Construct {
  readonly sloBreach: cloudwatch.Alarm;
  readonly deadLetterQueueNotEmpty?: cloudwatch.Alarm;

  constructor(scope: Construct, id: string, props: QueueAlarmsProps) {
    super(scope, id);
    checkDeployLimits(this);
    const minutes = props.sloBreachMinutes ?? 3;
    requireWholeNumber(NAME, 'sloBreachMinutes', minutes, 1, 1440);
    const threshold = sloThresholdSeconds(props.acceptableLatency);
    const latency = isToken(props.acceptableLatency)
      ? 'the acceptable latency'
      : `the acceptable latency (${props.acceptableLatency.toHumanString()})`;
    this.sloBreach = props.queue
      .metricApproximateAgeOfOldestMessage({ period: Duration.minutes(1), statistic: 'Maximum' })
      .createAlarm(this, 'SloBreach', {
        alarmDescription: `The oldest message on ${props.queue.node.path} has waited longer than ${latency}`,
        threshold,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
        evaluationPeriods: minutes,
        datapointsToAlarm: minutes,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      });
    if (props.deadLetterQueue) {
      this.deadLetterQueueNotEmpty = props.deadLetterQueue
        .metricApproximateNumberOfMessagesVisible({ period: Duration.minutes(1), statistic: 'Maximum' })
        .createAlarm(this, 'DeadLetterQueueNotEmpty', {
          alarmDescription: `Messages have reached the dead-letter queue of ${props.queue.node.path}: inspect and redrive them`,
          threshold: 0,
          comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
          evaluationPeriods: 1,
          treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
        });
    }
    if (props.alarmTopic) {
      for (const alarm of this.all) {
        alarm.addAlarmAction(new actions.SnsAction(props.alarmTopic));
        alarm.addOkAction(new actions.SnsAction(props.alarmTopic));
      }
    }
  }

  get all(): cloudwatch.Alarm[] {
    return [this.sloBreach, ...(this.deadLetterQueueNotEmpty ? [this.deadLetterQueueNotEmpty] : [])];
  }
}

// SQS reports a message's age in whole seconds: a threshold under one second would fire on any waiting message.
function sloThresholdSeconds(acceptableLatency: Duration): number {
  if (isToken(acceptableLatency)) return wholeSeconds(NAME, 'acceptableLatency', acceptableLatency);
  const seconds = acceptableLatency.toMilliseconds() / 1000;
  if (!(seconds >= 1)) {
    throw new InvalidPropError(
      NAME,
      'acceptableLatency',
      `(${acceptableLatency.toHumanString()}) is under one second: SQS reports the age of the oldest message in whole seconds, so the alarm would fire whenever a message waits at all`,
      'Set acceptableLatency to at least Duration.seconds(1).',
    );
  }
  return seconds;
}

import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';

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
   * Consecutive minutes the oldest message must be over the SLO before the alarm fires.
   * @default 3
   */
  readonly sloBreachMinutes?: number;
}

/** The alarms every scaled queue ships with: the latency SLO is breached, and the DLQ is not empty. */
export class QueueAlarms extends Construct {
  readonly sloBreach: cloudwatch.Alarm;
  readonly deadLetterQueueNotEmpty?: cloudwatch.Alarm;

  constructor(scope: Construct, id: string, props: QueueAlarmsProps) {
    super(scope, id);
    const minutes = props.sloBreachMinutes ?? 3;
    if (!Number.isInteger(minutes) || minutes < 1) {
      throw new Error(`sloBreachMinutes must be a whole number of minutes >= 1, got ${minutes}`);
    }
    this.sloBreach = props.queue
      .metricApproximateAgeOfOldestMessage({ period: Duration.minutes(1), statistic: 'Maximum' })
      .createAlarm(this, 'SloBreach', {
        alarmDescription: `The oldest message on ${props.queue.node.path} has waited longer than the acceptable latency (${props.acceptableLatency.toHumanString()})`,
        threshold: props.acceptableLatency.toSeconds(),
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

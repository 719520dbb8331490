import { App, CfnParameter, Duration, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { describe, expect, it } from 'vitest';
import { QueueAlarms, type QueueAlarmsProps } from '../../stacks/queue-alarms/queue-alarms.ts';

function alarmsStack(props: Partial<QueueAlarmsProps> & { readonly stack?: Stack } = {}): Stack {
  const stack = props.stack ?? new Stack(new App(), 'Alarms');
  new QueueAlarms(stack, 'Alarms', { queue: new sqs.Queue(stack, 'Queue', { enforceSSL: true }), acceptableLatency: Duration.minutes(2), ...props });
  return stack;
}

describe('QueueAlarms', () => {
  it('alarms after sloBreachMinutes one-minute periods over the SLO', () => {
    Template.fromStack(alarmsStack({ sloBreachMinutes: 1440 })).hasResourceProperties('AWS::CloudWatch::Alarm', {
      Threshold: 120,
      EvaluationPeriods: 1440,
      Period: 60,
    });
  });

  it('takes a token SLO given in seconds as the threshold', () => {
    const stack = new Stack(new App(), 'Token');
    alarmsStack({ stack, acceptableLatency: Duration.seconds(new CfnParameter(stack, 'Slo', { type: 'Number' }).valueAsNumber) });
    Template.fromStack(stack).hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: 'ApproximateAgeOfOldestMessage',
      Threshold: { Ref: 'Slo' },
    });
  });

  it('rejects an evaluation beyond CloudWatch’s one day', () => {
    expect(() => alarmsStack({ sloBreachMinutes: 1441 })).toThrow(
      /QueueAlarms: sloBreachMinutes must be a whole number between 1 and 1440, got 1441/,
    );
  });

  it('rejects a fraction of a minute', () => {
    expect(() => alarmsStack({ sloBreachMinutes: 2.5 })).toThrow(/sloBreachMinutes must be a whole number between 1 and 1440, got 2.5/);
  });

  it('rejects an SLO of zero, an alarm threshold of 0 that fires on any waiting message', () => {
    expect(() => alarmsStack({ acceptableLatency: Duration.seconds(0) })).toThrow(
      /QueueAlarms: acceptableLatency \(0 seconds\) is under one second: SQS reports the age .* in whole seconds/,
    );
  });

  it('rejects a token SLO in a unit it cannot convert at synth', () => {
    const stack = new Stack(new App(), 'Minutes');
    expect(() =>
      alarmsStack({ stack, acceptableLatency: Duration.minutes(new CfnParameter(stack, 'Slo', { type: 'Number' }).valueAsNumber) }),
    ).toThrow(/QueueAlarms: acceptableLatency is a token in a unit other than seconds.*Duration.seconds\(token\)/);
  });
});

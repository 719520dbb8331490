import { Duration, Stack } from 'aws-cdk-lib';
import { Match } from 'aws-cdk-lib/assertions';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { describe, it } from 'vitest';
import { AlarmTopic } from '../../stacks/workload-dashboard/alarm-topic.ts';
import { QueueAlarms } from '../../stacks/queue-alarms/queue-alarms.ts';
import { checkedTemplate, nagCheckedApp } from '../support/template-checks.ts';

describe('AlarmTopic', () => {
  const stack = new Stack(nagCheckedApp(), 'Topic');
  const { topic } = new AlarmTopic(stack, 'Alarms');
  const deadLetterQueue = new sqs.Queue(stack, 'DeadLetters', { enforceSSL: true, retentionPeriod: Duration.days(14) });
  const queue = new sqs.Queue(stack, 'Queue', { enforceSSL: true, deadLetterQueue: { queue: deadLetterQueue, maxReceiveCount: 5 } });
  new QueueAlarms(stack, 'QueueAlarms', { queue, deadLetterQueue, acceptableLatency: Duration.minutes(2), alarmTopic: topic });
  const template = checkedTemplate(stack);

  it('encrypts the topic with a customer managed key that rotates', () => {
    template.hasResourceProperties('AWS::SNS::Topic', { KmsMasterKeyId: { 'Fn::GetAtt': [Match.stringLikeRegexp('^AlarmsKey'), 'Arn'] } });
    template.hasResourceProperties('AWS::KMS::Key', { EnableKeyRotation: true });
  });

  it('lets CloudWatch use the key, without which alarm notifications are dropped', () => {
    template.hasResourceProperties('AWS::KMS::Key', {
      KeyPolicy: {
        Statement: Match.arrayWith([
          { Action: ['kms:Decrypt', 'kms:GenerateDataKey*'], Effect: 'Allow', Principal: { Service: 'cloudwatch.amazonaws.com' }, Resource: '*' },
        ]),
      },
    });
  });

  it('refuses publishing without SSL', () => {
    template.hasResourceProperties('AWS::SNS::TopicPolicy', {
      PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } })]) },
    });
  });
});

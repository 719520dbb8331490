import { Duration, Stack } from 'aws-cdk-lib';
import { Match } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { QueueConsumerFunction, type QueueConsumerFunctionProps } from '../../stacks/index.ts';
import { demoWorkerEntry } from '../support/handler-entries.ts';
import { checkedTemplate, nagCheckedApp } from '../support/template-checks.ts';

function consumerStack(overrides: Partial<QueueConsumerFunctionProps> = {}): Stack {
  const stack = new Stack(nagCheckedApp(), 'Consumer');
  new QueueConsumerFunction(stack, 'Orders', {
    entry: demoWorkerEntry,
    acceptableLatency: Duration.minutes(2),
    ...overrides,
  });
  return stack;
}

describe('QueueConsumerFunction', () => {
  describe('by default', () => {
    const template = checkedTemplate(consumerStack({ timeout: Duration.seconds(20), maxConcurrency: 25, idempotency: true }));

    it('reports batch item failures and caps concurrency at maxConcurrency', () => {
      template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
        FunctionResponseTypes: ['ReportBatchItemFailures'],
        ScalingConfig: { MaximumConcurrency: 25 },
        BatchSize: 10,
      });
    });

    it('sets the visibility timeout to six times the function timeout', () => {
      template.hasResourceProperties('AWS::SQS::Queue', { VisibilityTimeout: 120, MessageRetentionPeriod: 345_600 });
      template.hasResourceProperties('AWS::Lambda::Function', { Timeout: 20, Runtime: 'nodejs22.x' });
    });

    it('moves a message to a DLQ that outlives the queue after five receives', () => {
      template.hasResourceProperties('AWS::SQS::Queue', {
        RedrivePolicy: { maxReceiveCount: 5, deadLetterTargetArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('DeadLetterQueue'), 'Arn'] } },
      });
      template.hasResourceProperties('AWS::SQS::Queue', { MessageRetentionPeriod: 1_209_600 });
    });

    it('encrypts both queues and refuses requests without SSL', () => {
      template.allResourcesProperties('AWS::SQS::Queue', { SqsManagedSseEnabled: true });
      template.resourcePropertiesCountIs(
        'AWS::SQS::QueuePolicy',
        { PolicyDocument: { Statement: [Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } })] } },
        2,
      );
    });

    it('gives the handler an idempotency table it may read and write', () => {
      template.hasResourceProperties('AWS::DynamoDB::Table', {
        KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
        TimeToLiveSpecification: { AttributeName: 'expiration', Enabled: true },
      });
      template.hasResourceProperties('AWS::Lambda::Function', {
        Environment: { Variables: Match.objectLike({ HEADROOM_IDEMPOTENCY_TABLE: Match.anyValue() }) },
      });
    });

    it('tells the consumer kit its workload and metrics namespace', () => {
      template.hasResourceProperties('AWS::Lambda::Function', {
        Environment: { Variables: Match.objectLike({ HEADROOM_WORKLOAD: Match.stringLikeRegexp('^ConsumerOrders'), POWERTOOLS_METRICS_NAMESPACE: 'Headroom' }) },
      });
    });

    it('alarms on the latency SLO and on a non-empty DLQ', () => {
      template.hasResourceProperties('AWS::CloudWatch::Alarm', { MetricName: 'ApproximateAgeOfOldestMessage', Threshold: 120 });
      template.hasResourceProperties('AWS::CloudWatch::Alarm', { MetricName: 'ApproximateNumberOfMessagesVisible', Threshold: 0 });
    });
  });

  describe('rejects at synth', () => {
    it('a visibility timeout under six function timeouts, with the minimum that works', () => {
      expect(() => consumerStack({ timeout: Duration.seconds(30), visibilityTimeout: Duration.seconds(60) })).toThrow(
        /visibilityTimeout \(1 minute\) is under six times the function timeout .* at least 180 seconds/,
      );
    });

    it('fewer than five receives before the DLQ', () => {
      expect(() => consumerStack({ maxReceiveCount: 2 })).toThrow(/maxReceiveCount must be a whole number between 5 and 1000, got 2/);
    });

    it('a DLQ retention no longer than the queue’s', () => {
      expect(() => consumerStack({ retentionPeriod: Duration.days(14), deadLetterRetentionPeriod: Duration.days(14) })).toThrow(
        /deadLetterRetentionPeriod .* must be longer than retentionPeriod/,
      );
    });

    it('a maximum concurrency below SQS’s minimum of 2', () => {
      expect(() => consumerStack({ maxConcurrency: 1 })).toThrow(/maxConcurrency must be a whole number between 2 and 1000, got 1/);
    });

    it('a batch size above 10 without a batching window', () => {
      expect(() => consumerStack({ batchSize: 100 })).toThrow(/batchSize \(100\) above 10 needs a batching window/);
    });
  });
});

import { Duration, Stack } from 'aws-cdk-lib';
import { Match } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { BacklogPublisher, QueueConsumerFunction } from '../../stacks/index.ts';
import { demoWorkerEntry } from '../support/handler-entries.ts';
import { fargateWorker } from '../support/ecs-fixture.ts';
import { checkedTemplate, nagCheckedApp } from '../support/template-checks.ts';

function publisherStack(): Stack {
  const stack = new Stack(nagCheckedApp(), 'Publisher');
  const { service, queue } = fargateWorker(stack);
  const publisher = new BacklogPublisher(stack, 'Backlog', { namespace: 'Team/Scaling' });
  publisher.addSource({ workload: 'orders', queue, consumer: { kind: 'ecs', service } });
  return stack;
}

describe('BacklogPublisher', () => {
  const template = checkedTemplate(publisherStack());

  it('runs every minute from EventBridge Scheduler', () => {
    template.hasResourceProperties('AWS::Scheduler::Schedule', { ScheduleExpression: 'rate(1 minute)', State: 'ENABLED' });
  });

  it('may put metric data only into its own namespace', () => {
    template.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          {
            Action: 'cloudwatch:PutMetricData',
            Effect: 'Allow',
            Resource: '*',
            Condition: { StringEquals: { 'cloudwatch:namespace': 'Team/Scaling' } },
          },
        ]),
      },
    });
  });

  it('may read only its sources’ queue attributes and services', () => {
    template.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          { Action: 'sqs:GetQueueAttributes', Effect: 'Allow', Resource: { 'Fn::GetAtt': [Match.stringLikeRegexp('^Queue'), 'Arn'] } },
          { Action: 'ecs:DescribeServices', Effect: 'Allow', Resource: { Ref: Match.stringLikeRegexp('^Service') } },
        ]),
      },
    });
  });

  it('refuses an interval finer than EventBridge Scheduler allows', () => {
    const stack = new Stack(nagCheckedApp(), 'TooFast');
    expect(() => new BacklogPublisher(stack, 'Backlog', { interval: Duration.seconds(10) })).toThrow(/interval must be at least 1 minute/);
  });

  for (const namespace of ['AWS/SQS', 'aws/custom']) {
    it(`refuses the reserved namespace ${namespace}`, () => {
      const stack = new Stack(nagCheckedApp(), 'Reserved');
      expect(() => new BacklogPublisher(stack, 'Backlog', { namespace })).toThrow(
        /BacklogPublisher: namespace ".*" starts with "AWS\/", which CloudWatch reserves for AWS services.*Use a namespace of your own/,
      );
    });
  }

  it('refuses a namespace with characters CloudWatch rejects', () => {
    const stack = new Stack(nagCheckedApp(), 'BadNamespace');
    expect(() => new BacklogPublisher(stack, 'Backlog', { namespace: 'Team Scaling!' })).toThrow(
      /BacklogPublisher: namespace "Team Scaling!" is not a valid CloudWatch namespace/,
    );
  });

  it('refuses two sources with the same workload name', () => {
    const stack = new Stack(nagCheckedApp(), 'Twice');
    const { service, queue } = fargateWorker(stack);
    const publisher = new BacklogPublisher(stack, 'Backlog');
    publisher.addSource({ workload: 'orders', queue, consumer: { kind: 'ecs', service } });
    expect(() => publisher.addSource({ workload: 'orders', queue, consumer: { kind: 'ecs', service } })).toThrow(
      /workload "orders" is already published/,
    );
  });
});

describe('BacklogPublisher with a Lambda consumer', () => {
  it('may confirm that function and read CloudWatch metrics for its concurrency', () => {
    const stack = new Stack(nagCheckedApp(), 'LambdaSource');
    const { queue } = fargateWorker(stack);
    const consumer = new QueueConsumerFunction(stack, 'Consumer', { entry: demoWorkerEntry, acceptableLatency: Duration.minutes(1) });
    new BacklogPublisher(stack, 'Backlog').addSource({ workload: 'emails', queue, consumer: { kind: 'lambda', function: consumer.function } });
    checkedTemplate(stack).hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          {
            Action: 'lambda:GetFunctionConcurrency',
            Effect: 'Allow',
            Resource: { 'Fn::GetAtt': [Match.stringLikeRegexp('^ConsumerFunction'), 'Arn'] },
          },
          { Action: 'cloudwatch:GetMetricData', Effect: 'Allow', Resource: '*' },
        ]),
      },
    });
  });
});

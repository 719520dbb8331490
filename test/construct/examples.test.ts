import { Match, Template } from 'aws-cdk-lib/assertions';
import { describe, it } from 'vitest';
import { DynamoDbPredictiveFloorsStack } from '../../examples/dynamodb-predictive-floors/dynamodb-predictive-floors-stack.ts';
import { EcsQueueWorkerStack } from '../../examples/ecs-queue-worker/ecs-queue-worker-stack.ts';
import { LambdaQueueConsumerStack } from '../../examples/lambda-queue-consumer/lambda-queue-consumer-stack.ts';
import { assertCfnLintClean, nagCheckedApp } from '../support/template-checks.ts';

// The examples import headroom by its package name, as a user's app does; they must synthesize, pass cdk-nag's
// AwsSolutions pack (every finding fixed or acknowledged with its reason) and lint clean.
describe('examples', () => {
  it('ecs-queue-worker synthesizes a Fargate worker scaled on required capacity per task', () => {
    const app = nagCheckedApp();
    const stack = new EcsQueueWorkerStack(app, 'EcsQueueWorker');
    app.synth();
    Template.fromStack(stack).hasResourceProperties('AWS::ApplicationAutoScaling::ScalingPolicy', {
      TargetTrackingScalingPolicyConfiguration: { TargetValue: 0.9, CustomizedMetricSpecification: { MetricName: 'RequiredCapacityPerTask' } },
    });
    assertCfnLintClean(stack);
  });

  it('dynamodb-predictive-floors synthesizes table scaling with the predictor managing its reads', () => {
    const app = nagCheckedApp();
    const stack = new DynamoDbPredictiveFloorsStack(app, 'DynamoDbPredictiveFloors');
    app.synth();
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::ApplicationAutoScaling::ScalableTarget', {
      ScalableDimension: 'dynamodb:table:ReadCapacityUnits',
      Tags: [{ Key: 'headroom:managed', Value: 'true' }],
    });
    template.resourceCountIs('AWS::CloudWatch::Dashboard', 1);
    assertCfnLintClean(stack);
  });

  it('ecs-queue-worker logs the VPC’s rejected traffic', () => {
    const app = nagCheckedApp();
    const stack = new EcsQueueWorkerStack(app, 'EcsQueueWorkerFlowLogs');
    Template.fromStack(stack).hasResourceProperties('AWS::EC2::FlowLog', { TrafficType: 'REJECT', ResourceType: 'VPC' });
  });

  it('lambda-queue-consumer bundles the user’s handler with their options and wires it to an encrypted alarm topic', () => {
    const app = nagCheckedApp();
    const stack = new LambdaQueueConsumerStack(app, 'LambdaQueueConsumer');
    app.synth();
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      ScalingConfig: { MaximumConcurrency: 20 },
    });
    template.hasResourceProperties('AWS::SQS::Queue', { VisibilityTimeout: 180 });
    template.hasResourceProperties('AWS::SNS::Topic', { KmsMasterKeyId: Match.anyValue() });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: 'ApproximateAgeOfOldestMessage',
      AlarmActions: [{ Ref: Match.stringLikeRegexp('^AlarmsTopic') }],
    });
    assertCfnLintClean(stack);
  });
});

import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { describe, it } from 'vitest';
import { DynamoDbPredictiveFloorsStack } from '../../examples/dynamodb-predictive-floors/dynamodb-predictive-floors-stack.ts';
import { EcsQueueWorkerStack } from '../../examples/ecs-queue-worker/ecs-queue-worker-stack.ts';
import { assertCfnLintClean } from '../support/template-checks.ts';

// The examples import headroom by its package name, as a user's app does; they must synthesize and lint clean.
describe('examples', () => {
  it('ecs-queue-worker synthesizes a Fargate worker scaled on required capacity per task', () => {
    const stack = new EcsQueueWorkerStack(new App(), 'EcsQueueWorker');
    Template.fromStack(stack).hasResourceProperties('AWS::ApplicationAutoScaling::ScalingPolicy', {
      TargetTrackingScalingPolicyConfiguration: { TargetValue: 0.9, CustomizedMetricSpecification: { MetricName: 'RequiredCapacityPerTask' } },
    });
    assertCfnLintClean(stack);
  });

  it('dynamodb-predictive-floors synthesizes table scaling with the predictor managing its reads', () => {
    const stack = new DynamoDbPredictiveFloorsStack(new App(), 'DynamoDbPredictiveFloors');
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::ApplicationAutoScaling::ScalableTarget', {
      ScalableDimension: 'dynamodb:table:ReadCapacityUnits',
      Tags: [{ Key: 'headroom:managed', Value: 'true' }],
    });
    template.resourceCountIs('AWS::CloudWatch::Dashboard', 1);
    assertCfnLintClean(stack);
  });
});

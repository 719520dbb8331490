import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { describe, it } from 'vitest';
import { EcsQueueWorkerStack } from '../../examples/ecs-queue-worker/ecs-queue-worker-stack.ts';
import { assertCfnLintClean } from '../support/template-checks.ts';

// The examples import headroom by its package name, as a user's app does; they must synthesize and lint clean.
describe('examples', () => {
  it('ecs-queue-worker synthesizes a backlog-per-task scaled Fargate worker', () => {
    const stack = new EcsQueueWorkerStack(new App(), 'EcsQueueWorker');
    Template.fromStack(stack).hasResourceProperties('AWS::ApplicationAutoScaling::ScalingPolicy', {
      TargetTrackingScalingPolicyConfiguration: { TargetValue: 80 },
    });
    assertCfnLintClean(stack);
  });
});

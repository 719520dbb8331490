import { Duration, Stack } from 'aws-cdk-lib';
import { Match } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { QueueScaledService } from '../../stacks/index.ts';
import { fargateWorker } from '../support/ecs-fixture.ts';
import { checkedTemplate, nagCheckedApp } from '../support/template-checks.ts';

function scaledStack(workerKit?: boolean): Stack {
  const stack = new Stack(nagCheckedApp(), 'Scaled');
  const { service, queue } = fargateWorker(stack);
  new QueueScaledService(stack, 'Scaling', {
    service,
    queue,
    acceptableLatency: Duration.minutes(5),
    timePerMessage: Duration.seconds(3),
    maxCapacity: 30,
    workload: 'orders',
    ...(workerKit === undefined ? {} : { workerKit }),
  });
  return stack;
}

const taskProtectionStatement = {
  Effect: 'Allow',
  Action: ['ecs:UpdateTaskProtection', 'ecs:GetTaskProtection'],
  // The task's own ARN is known only at run time: arn:<partition>:ecs:<region>:<account>:task/<cluster>/*
  Resource: {
    'Fn::Join': [
      '',
      Match.arrayWith([Match.stringLikeRegexp(':ecs:'), Match.stringLikeRegexp(':task/'), { Ref: Match.stringLikeRegexp('^Cluster') }, '/*']),
    ],
  },
};

describe('QueueScaledService prepares the tasks for the worker kit', () => {
  const template = checkedTemplate(scaledStack());

  it("grants the task role (not the execution role) the task-protection calls the ECS agent makes for it, on the cluster's tasks", () => {
    const [taskRoleLogicalId] = Object.keys(template.findResources('AWS::IAM::Role', { Properties: { Description: Match.absent() } })).filter((id) =>
      id.startsWith('TaskTaskRole'),
    );
    expect(taskRoleLogicalId).toBeDefined();
    template.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: { Statement: Match.arrayWith([Match.objectLike(taskProtectionStatement)]) },
      Roles: [{ Ref: taskRoleLogicalId }],
    });
  });

  it('sets HEADROOM_WORKLOAD in the default container, so the kit publishes on the Workload the construct reads', () => {
    template.hasResourceProperties('AWS::ECS::TaskDefinition', {
      ContainerDefinitions: [Match.objectLike({ Environment: Match.arrayWith([{ Name: 'HEADROOM_WORKLOAD', Value: 'orders' }]) })],
    });
  });

  it('does neither with workerKit: false', () => {
    const without = checkedTemplate(scaledStack(false));
    expect(JSON.stringify(without.toJSON())).not.toContain('ecs:UpdateTaskProtection');
    expect(JSON.stringify(without.toJSON())).not.toContain('HEADROOM_WORKLOAD');
  });
});

import { Stack } from 'aws-cdk-lib';
import * as appscaling from 'aws-cdk-lib/aws-applicationautoscaling';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import type { Construct, IConstruct } from 'constructs';

/**
 * Application Auto Scaling holds one scalable target per resource and dimension: a second
 * AWS::ApplicationAutoScaling::ScalableTarget for the same one synthesizes (aws-cdk-lib at most warns) and fails at
 * deploy ("RegisterScalableTarget" is an upsert, but CloudFormation refuses a second resource with the same
 * identifier). Checked when the app synthesizes, so a scalable target added after headroom's is seen too.
 */
export function refuseSecondScalableTarget(
  owner: Construct,
  where: string,
  target: appscaling.ScalableTarget,
  fixFor: (other: IConstruct) => string,
): void {
  owner.node.addValidation({
    validate: () => {
      const own = target.node.defaultChild as appscaling.CfnScalableTarget;
      const stack = Stack.of(own);
      const key = (cfn: appscaling.CfnScalableTarget) => JSON.stringify(stack.resolve([cfn.serviceNamespace, cfn.resourceId, cfn.scalableDimension]));
      const mine = key(own);
      return stack.node
        .findAll()
        .filter((child): child is appscaling.CfnScalableTarget => child instanceof appscaling.CfnScalableTarget && child !== own)
        .filter((other) => key(other) === mine)
        .map(
          (other) =>
            `${where}: its scalable target (${own.scalableDimension}) is also registered by ${other.node.scope!.node.path}; Application Auto Scaling takes one scalable target per resource and dimension, so the deploy would fail. ${fixFor(other.node.scope!)}`,
        );
    },
  });
}

/** Whether a scalable target is the one aws-cdk-lib's autoScale*() methods made, and which: a service's or a table's. */
export function scalableAttributeKind(target: IConstruct): 'task-count' | 'table' | undefined {
  const attribute = target.node.scope;
  if (attribute instanceof ecs.ScalableTaskCount) return 'task-count';
  if (attribute instanceof appscaling.BaseScalableAttribute && attribute.node.scope instanceof dynamodb.Table) return 'table';
  return undefined;
}

/**
 * The scalable target `service.autoScaleTaskCount()` registered, if it was called: headroom's ECS constructs add
 * their policies to it rather than register a second.
 */
export function existingTaskCountTarget(service: ecs.BaseService): appscaling.ScalableTarget | undefined {
  const taskCount = service.node.children.find((child) => child instanceof ecs.ScalableTaskCount);
  const target = taskCount?.node.tryFindChild('Target');
  return target instanceof appscaling.ScalableTarget ? target : undefined;
}

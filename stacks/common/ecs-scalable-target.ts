import { Token } from 'aws-cdk-lib';
import * as appscaling from 'aws-cdk-lib/aws-applicationautoscaling';
import type * as ecs from 'aws-cdk-lib/aws-ecs';
import * as ecsPatterns from 'aws-cdk-lib/aws-ecs-patterns';
import type { Construct } from 'constructs';
import { InvalidPropError } from './prop-validation.ts';
import { existingTaskCountTarget, refuseSecondScalableTarget, scalableAttributeKind } from './scalable-target-conflicts.ts';

/** The headroom construct that attached to each autoScaleTaskCount() target: one per service. */
const attachedOwners = new WeakMap<appscaling.ScalableTarget, string>();

/**
 * The scalable target of an ECS service's desired count for a headroom construct: the one `service.autoScaleTaskCount()`
 * registered when it was called first (headroom adds its policies to it, beside the user's own: target tracking
 * scales in only when every policy agrees), else a new one. A second registration of the same service, made
 * before or after, is refused at synth naming both.
 */
export function ecsScalableTarget(
  scope: Construct,
  construct: string,
  service: ecs.BaseService,
  minCapacity: number,
  maxCapacity: number,
): appscaling.ScalableTarget {
  if (service.node.scope instanceof ecsPatterns.QueueProcessingServiceBase) {
    throw new InvalidPropError(
      construct,
      'service',
      `is the service of an aws-ecs-patterns ${service.node.scope.constructor.name} (${service.node.scope.node.path}), which scales it already: CPU target tracking and step scaling on the queue's visible messages that scales in on its own, undoing ${construct}'s decisions`,
      `Build the service with ecs.FargateService or ecs.Ec2Service to scale it with ${construct}, or keep the pattern's own scaling (minScalingCapacity, maxScalingCapacity, scalingSteps).`,
    );
  }
  const existing = existingTaskCountTarget(service);
  let target: appscaling.ScalableTarget;
  if (existing) {
    const cfn = existing.node.defaultChild as appscaling.CfnScalableTarget;
    for (const [prop, ours, theirs] of [
      ['minCapacity', minCapacity, cfn.minCapacity],
      ['maxCapacity', maxCapacity, cfn.maxCapacity],
    ] as const) {
      if (ours !== theirs) {
        throw new InvalidPropError(
          construct,
          prop,
          `${Token.isUnresolved(ours) ? '(a token)' : `(${ours})`} differs from the ${prop} that service.autoScaleTaskCount() registered ${Token.isUnresolved(theirs) ? '(a token)' : `(${theirs})`}, and the service has one scalable target whose walls both would set`,
          `Give ${construct} the same ${prop} as autoScaleTaskCount() (${construct} adds its policies to that scalable target), or remove the autoScaleTaskCount() call.`,
        );
      }
    }
    const owner = attachedOwners.get(existing);
    if (owner) {
      throw new InvalidPropError(
        construct,
        'service',
        `already has its task count scaled by ${owner}, on the scalable target service.autoScaleTaskCount() registered`,
        'Scale each ECS service from one headroom construct, and add any other policy to its scalableTarget.',
      );
    }
    attachedOwners.set(existing, scope.node.path);
    target = existing;
  } else {
    target = new appscaling.ScalableTarget(scope, 'Target', {
      serviceNamespace: appscaling.ServiceNamespace.ECS,
      scalableDimension: 'ecs:service:DesiredCount',
      resourceId: `service/${service.cluster.clusterName}/${service.serviceName}`,
      minCapacity,
      maxCapacity,
    });
  }
  refuseSecondScalableTarget(scope, `${construct} (${scope.node.path})`, target, (other) =>
    scalableAttributeKind(other) === 'task-count'
      ? `service.autoScaleTaskCount() was called after ${construct} was created: call it before, and ${construct} adds its policies to that scalable target (or add your policies to ${construct}.scalableTarget).`
      : `Scale each ECS service from one headroom construct, and add any other policy to its scalableTarget.`,
  );
  return target;
}

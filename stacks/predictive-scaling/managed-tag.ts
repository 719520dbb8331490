import { Stack, Tags } from 'aws-cdk-lib';
import * as appscaling from 'aws-cdk-lib/aws-applicationautoscaling';
import type { Construct } from 'constructs';
import { InvalidPropError } from '../common/prop-validation.ts';

/** The tag that marks a scalable target as one the predictor may schedule actions on. */
export const MANAGED_TAG_KEY = 'headroom:managed';

/**
 * The scalable target's CloudFormation resource, which must be in this app: the predictor may write scheduled
 * actions only on targets carrying its tag (an IAM resource-tag condition), and only a target this app deploys
 * can be given the tag by the same deploy. An imported target is refused, naming what to do instead.
 */
export function managedTargetResource(where: string, scalableTarget: appscaling.IScalableTarget): appscaling.CfnScalableTarget {
  const resource = scalableTarget.node.defaultChild;
  if (resource instanceof appscaling.CfnScalableTarget) return resource;
  throw new InvalidPropError(
    where,
    'scalableTarget',
    `(${scalableTarget.node.path}) is not a scalable target this app deploys (an imported one, or one without its CloudFormation resource): the predictor may write only on targets tagged ${MANAGED_TAG_KEY}=true, and headroom cannot tag it, so every run would be denied (AccessDenied on PutScheduledAction)`,
    `Declare the target in this app with new ScalableTarget(...) (one this app deployed before the predictor was added gets the tag on the next deploy), or tag it yourself (aws application-autoscaling tag-resource --resource-arn <its ARN> --tags ${MANAGED_TAG_KEY}=true) and manage it from the app that declares it.`,
  );
}

/**
 * Tags the target for the predictor, orders the predictor's function after it (so a deploy that adds a target
 * writes its tag before the function is pointed at the configuration that names it), and checks at synth that the
 * tag really is in the synthesized resource: a `Tags.of(...).remove`, an exclusion or a property override that
 * strips it would otherwise surface as AccessDenied at run time. Application Auto Scaling's TagResource tags an
 * existing target in place, so a target registered before the predictor was added gets the tag on the next deploy
 * (https://docs.aws.amazon.com/autoscaling/application/userguide/resource-tagging-support.html).
 */
export function tagManagedTarget(where: string, resource: appscaling.CfnScalableTarget, predictorFunction: Construct): void {
  Tags.of(resource).add(MANAGED_TAG_KEY, 'true');
  // CloudFormation takes Tags on AWS::ApplicationAutoScaling::ScalableTarget; cfn-lint 1.51's schema predates them.
  resource.addMetadata('cfn-lint', { config: { ignore_checks: ['E3002'] } });
  if (Stack.of(resource) === Stack.of(predictorFunction)) predictorFunction.node.addDependency(resource);
  resource.node.addValidation({
    validate: () => {
      const rendered = Stack.of(resource).resolve((resource as unknown as { _toCloudFormation(): Record<string, unknown> })._toCloudFormation());
      const properties = (Object.values((rendered as { Resources: Record<string, { Properties?: { Tags?: unknown } }> }).Resources)[0]?.Properties ??
        {}) as {
        Tags?: { Key: string; Value: string }[];
      };
      const tagged = (properties.Tags ?? []).some((tag) => tag.Key === MANAGED_TAG_KEY && tag.Value === 'true');
      return tagged
        ? []
        : [
            `${where}: the scalable target ${resource.node.path} is synthesized without the tag ${MANAGED_TAG_KEY}=true (removed by Tags.of(...).remove(), excluded, or overwritten by a property override), so the predictor's PutScheduledAction would be denied at run time. Let the tag through to this resource.`,
          ];
    },
  });
}

import { Stack, Validations } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';

/**
 * Acknowledges one cdk-nag IAM5 finding: a single wildcard resource, named exactly as cdk-nag reports it, so
 * that any other wildcard added to the same role later is still reported.
 */
export function acknowledgeWildcard(scope: IConstruct, resource: string, reason: string): void {
  const name = nagResourceName(Stack.of(scope).resolve(resource));
  try {
    Validations.of(scope).acknowledge({ id: `AwsSolutions-IAM5[Resource::${name}]`, reason });
  } catch (error) {
    // aws-cdk-lib releases before 2.27x refuse a second `::` in a finding's ID, which a resource with a pseudo
    // parameter (`<AWS::Partition>`) has: there the rule is acknowledged for this role alone, naming the resource.
    if (!/InvalidValidationId|delimiter is reserved/.test(String((error as Error).message ?? error))) throw error;
    Validations.of(scope).acknowledge({ id: 'AwsSolutions-IAM5', reason: `${reason} (${name})` });
  }
}

// cdk-nag prints CloudFormation intrinsics as `<LogicalId.Attr>` and joins the parts of an Fn::Join.
function nagResourceName(value: unknown): string {
  if (typeof value === 'string') return value;
  if (value && typeof value === 'object') {
    const object = value as Record<string, unknown>;
    if (Array.isArray(object['Fn::GetAtt'])) return `<${(object['Fn::GetAtt'] as string[]).join('.')}>`;
    if (typeof object.Ref === 'string') return `<${object.Ref}>`;
    if (Array.isArray(object['Fn::Join'])) {
      const [separator, parts] = object['Fn::Join'] as [string, unknown[]];
      return parts.map(nagResourceName).join(separator);
    }
  }
  throw new Error(`cannot name ${JSON.stringify(value)} the way cdk-nag reports it`);
}

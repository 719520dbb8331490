/**
 * Resolves the CloudFormation intrinsics the reference template uses, against what moto's CloudFormation
 * created, so that the resources it skips can be applied through their own APIs with the same values.
 */
export interface StackResource {
  readonly type: string;
  readonly physicalId: string;
}

export interface IntrinsicContext {
  readonly account: string;
  readonly region: string;
  readonly resources: ReadonlyMap<string, StackResource>;
  /** Values of resources applied outside CloudFormation, by logical id (Ref) or `logicalId.Attribute` (Fn::GetAtt). */
  readonly applied: ReadonlyMap<string, string>;
}

function lastSegment(value: string): string {
  return value.slice(value.lastIndexOf('/') + 1);
}

function attribute(context: IntrinsicContext, logicalId: string, name: string): string {
  const applied = context.applied.get(`${logicalId}.${name}`);
  if (applied !== undefined) return applied;
  const resource = context.resources.get(logicalId);
  if (!resource) throw new Error(`Fn::GetAtt names ${logicalId}, which the stack did not create`);
  const { account, region } = context;
  switch (`${resource.type}.${name}`) {
    case 'AWS::SQS::Queue.QueueName':
      return lastSegment(resource.physicalId);
    case 'AWS::SQS::Queue.Arn':
      return `arn:aws:sqs:${region}:${account}:${lastSegment(resource.physicalId)}`;
    case 'AWS::Lambda::Function.Arn':
      return `arn:aws:lambda:${region}:${account}:function:${resource.physicalId}`;
    case 'AWS::IAM::Role.Arn':
      return `arn:aws:iam::${account}:role/${resource.physicalId}`;
    case 'AWS::ECS::Service.Name':
      return lastSegment(resource.physicalId);
    case 'AWS::SNS::Topic.TopicArn':
      return resource.physicalId;
    default:
      throw new Error(`the local deploy cannot resolve Fn::GetAtt ${logicalId}.${name} (${resource.type})`);
  }
}

export function resolveIntrinsics(value: unknown, context: IntrinsicContext): unknown {
  if (Array.isArray(value)) return value.map((item) => resolveIntrinsics(item, context));
  if (value === null || typeof value !== 'object') return value;
  const object = value as Record<string, unknown>;
  if (typeof object.Ref === 'string') {
    const ref = object.Ref;
    if (ref === 'AWS::Region') return context.region;
    if (ref === 'AWS::AccountId') return context.account;
    if (ref === 'AWS::Partition') return 'aws';
    if (ref === 'AWS::URLSuffix') return 'amazonaws.com';
    const applied = context.applied.get(ref);
    if (applied !== undefined) return applied;
    const resource = context.resources.get(ref);
    if (!resource || resource.physicalId === '') throw new Error(`Ref ${ref} has no physical id in the local stack`);
    return resource.physicalId;
  }
  if (Array.isArray(object['Fn::GetAtt'])) {
    const [logicalId, name] = object['Fn::GetAtt'] as [string, string];
    return attribute(context, logicalId, name);
  }
  if (Array.isArray(object['Fn::Join'])) {
    const [separator, parts] = object['Fn::Join'] as [string, unknown[]];
    return parts.map((part) => String(resolveIntrinsics(part, context))).join(separator);
  }
  const intrinsic = Object.keys(object).find((key) => key.startsWith('Fn::'));
  if (intrinsic) throw new Error(`the local deploy does not resolve ${intrinsic}`);
  return Object.fromEntries(Object.entries(object).map(([key, item]) => [key, resolveIntrinsics(item, context)]));
}

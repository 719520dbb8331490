import { CfnResource, type Stack } from 'aws-cdk-lib';

// At synth a token is a placeholder (`${Token[TOKEN.123]}`) whose length says nothing of what CloudFormation puts in
// its place. What a limit enforced on the deployed value (Lambda's 4 KB of environment, a parameter's 4 KB) needs is
// the longest that value can be: each Ref or Fn::GetAtt bounded by the documented maximum of what it resolves to.

/** Longest region code (`ap-southeast-5` is 14 today), partition (`aws-iso-b`) and URL suffix (`amazonaws.com.cn`), with room. */
const REGION = 20;
const PARTITION = 12;
const URL_SUFFIX = 20;
const ACCOUNT = 12;
/** `arn:<partition>:<service>:<region>:<account>:` without the service name. */
const ARN_PREFIX = 'arn:'.length + PARTITION + 1 + 1 + REGION + 1 + ACCOUNT + 1;
const arn = (service: string, resource: number) => ARN_PREFIX + service.length + resource;

/**
 * What a reference to a value of unknown origin (an import, a parameter, a resource type below) may deploy as. No
 * documented bound exists for it: 1,024 characters is a generous guess, stated so that it can be read and argued.
 */
export const UNKNOWN_TOKEN_LENGTH = 1024;

/**
 * Deployed lengths of what CloudFormation pseudo parameters resolve to. A stack name is at most 128 characters
 * (https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/cloudformation-limits.html).
 */
const PSEUDO: Readonly<Record<string, number>> = {
  'AWS::Region': REGION,
  'AWS::Partition': PARTITION,
  'AWS::URLSuffix': URL_SUFFIX,
  'AWS::AccountId': ACCOUNT,
  'AWS::StackName': 128,
  'AWS::StackId': arn('cloudformation', 'stack/'.length + 128 + 1 + 36),
  'AWS::NoValue': 0,
};

/**
 * The longest each `Ref` (key `Type|Ref`) or `Fn::GetAtt` (key `Type|Attribute`) of the resource types headroom
 * references can deploy as, from each service's documented name limits:
 * - SQS queue names: 80 characters (https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/quotas-queues.html);
 *   the Ref is the queue URL `https://sqs.<region>.<suffix>/<account>/<name>`.
 * - ECS cluster and service names: 255 (https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_CreateCluster.html,
 *   https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_CreateService.html); a service's Ref is its ARN.
 * - Lambda function names: 64 (https://docs.aws.amazon.com/lambda/latest/api/API_CreateFunction.html).
 * - DynamoDB table names: 255 (https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/ServiceQuotas.html).
 * - SNS topic names: 256 (https://docs.aws.amazon.com/sns/latest/api/API_CreateTopic.html); the Ref is the ARN.
 * - SSM parameter names: 1,011 (https://docs.aws.amazon.com/systems-manager/latest/userguide/sysman-paramstore-su-create.html).
 */
const RESOURCE: Readonly<Record<string, number>> = {
  'AWS::SQS::Queue|Ref': 'https://sqs.'.length + REGION + 1 + URL_SUFFIX + 1 + ACCOUNT + 1 + 80,
  'AWS::SQS::Queue|QueueName': 80,
  'AWS::SQS::Queue|QueueUrl': 'https://sqs.'.length + REGION + 1 + URL_SUFFIX + 1 + ACCOUNT + 1 + 80,
  'AWS::SQS::Queue|Arn': arn('sqs', 80),
  'AWS::ECS::Cluster|Ref': 255,
  'AWS::ECS::Cluster|Arn': arn('ecs', 'cluster/'.length + 255),
  'AWS::ECS::Service|Ref': arn('ecs', 'service/'.length + 255 + 1 + 255),
  'AWS::ECS::Service|ServiceArn': arn('ecs', 'service/'.length + 255 + 1 + 255),
  'AWS::ECS::Service|Name': 255,
  'AWS::Lambda::Function|Ref': 64,
  'AWS::Lambda::Function|Arn': arn('lambda', 'function:'.length + 64),
  'AWS::DynamoDB::Table|Ref': 255,
  'AWS::DynamoDB::Table|Arn': arn('dynamodb', 'table/'.length + 255),
  'AWS::DynamoDB::GlobalTable|Ref': 255,
  'AWS::DynamoDB::GlobalTable|Arn': arn('dynamodb', 'table/'.length + 255),
  'AWS::SNS::Topic|Ref': arn('sns', 256),
  'AWS::SNS::Topic|TopicArn': arn('sns', 256),
  'AWS::SNS::Topic|TopicName': 256,
  'AWS::SSM::Parameter|Ref': 1011,
};

/** Logical id -> resource type of every resource in the stack. */
export function resourceTypes(stack: Stack): Map<string, string> {
  const types = new Map<string, string>();
  for (const child of stack.node.findAll()) {
    if (CfnResource.isCfnResource(child) && (child as CfnResource).stack === stack) types.set(stack.resolve(child.logicalId), child.cfnResourceType);
  }
  return types;
}

/**
 * The longest a resolved template value (a string, or CloudFormation intrinsics around strings) can be once
 * CloudFormation has deployed it, in UTF-8 bytes: literals counted as they are, references bounded as above.
 */
export function deployedLengthBound(value: unknown, types: ReadonlyMap<string, string>): number {
  if (typeof value === 'string') return Buffer.byteLength(value, 'utf8');
  if (typeof value === 'number' || typeof value === 'boolean') return String(value).length;
  if (value === null || value === undefined) return 0;
  if (Array.isArray(value)) return Math.max(0, ...value.map((item) => deployedLengthBound(item, types)));
  const object = value as Record<string, unknown>;
  const [key] = Object.keys(object);
  const argument = key === undefined ? undefined : object[key];
  switch (key) {
    case 'Ref': {
      const name = String(argument);
      if (name in PSEUDO) return PSEUDO[name]!;
      return RESOURCE[`${types.get(name)}|Ref`] ?? UNKNOWN_TOKEN_LENGTH;
    }
    case 'Fn::GetAtt': {
      const [logicalId, attribute] = Array.isArray(argument) ? argument : String(argument).split('.');
      return RESOURCE[`${types.get(String(logicalId))}|${String(attribute)}`] ?? UNKNOWN_TOKEN_LENGTH;
    }
    case 'Fn::Join': {
      const [separator, parts] = argument as [string, unknown[]];
      if (!Array.isArray(parts)) return UNKNOWN_TOKEN_LENGTH;
      return parts.reduce<number>((sum, part) => sum + deployedLengthBound(part, types), 0) + separator.length * Math.max(0, parts.length - 1);
    }
    // One piece of a split value, or one of several: no longer than the whole, nor than the longest.
    case 'Fn::Select': {
      const [, list] = argument as [unknown, unknown];
      return deployedLengthBound(list, types);
    }
    case 'Fn::Split': {
      const [, source] = argument as [string, unknown];
      return deployedLengthBound(source, types);
    }
    case 'Fn::If': {
      const [, whenTrue, whenFalse] = argument as [string, unknown, unknown];
      return Math.max(deployedLengthBound(whenTrue, types), deployedLengthBound(whenFalse, types));
    }
    default:
      return UNKNOWN_TOKEN_LENGTH;
  }
}

/** The deployed-length bound of a synth-time value that may hold tokens (a string, or a JSON-able structure). */
export function boundOf(stack: Stack, value: unknown, types: ReadonlyMap<string, string> = resourceTypes(stack)): number {
  const resolved = stack.resolve(typeof value === 'string' ? value : stack.toJsonString(value));
  return deployedLengthBound(resolved, types);
}

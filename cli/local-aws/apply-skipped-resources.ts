import {
  ApplicationAutoScalingClient,
  PutScalingPolicyCommand,
  RegisterScalableTargetCommand,
  type PutScalingPolicyCommandInput,
  type RegisterScalableTargetCommandInput,
  type ScalableDimension,
  type ServiceNamespace,
} from '@aws-sdk/client-application-auto-scaling';
import { CloudFormationClient, ListStackResourcesCommand } from '@aws-sdk/client-cloudformation';
import { CloudWatchClient, PutMetricAlarmCommand, type PutMetricAlarmCommandInput } from '@aws-sdk/client-cloudwatch';
import { CreateScheduleCommand, SchedulerClient, type CreateScheduleCommandInput } from '@aws-sdk/client-scheduler';
import { SetQueueAttributesCommand, SQSClient } from '@aws-sdk/client-sqs';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { LOCAL_ACCOUNT, LOCAL_REGION, type DeployedStack } from './deploy-reference.ts';
import { resolveIntrinsics, type IntrinsicContext, type StackResource } from './template-intrinsics.ts';

type TemplateResource = { Type: string; Properties: Record<string, unknown> };
type TargetKey = { ServiceNamespace: ServiceNamespace; ResourceId: string; ScalableDimension: ScalableDimension };

interface ApplyContext extends IntrinsicContext {
  readonly stackName: string;
  /** Values of what was applied, for later Refs and Fn::GetAtts (see IntrinsicContext.applied). */
  readonly applied: Map<string, string>;
  readonly scalableTargets: Map<string, TargetKey>;
}

// CloudFormation property names are the API's own, so the resolved properties are the SDK input.
function apiShape<T>(properties: unknown): T {
  return properties as T;
}

const resolved = (resource: TemplateResource, context: ApplyContext) => resolveIntrinsics(resource.Properties, context) as Record<string, unknown>;

/**
 * How each type moto 5.2.1's CloudFormation accepts but silently does not create is applied through its own API,
 * in dependency order. AWS::CloudWatch::CompositeAlarm is skipped too, and moto has no PutCompositeAlarm, so it
 * stays absent locally.
 */
const APPLIERS: ReadonlyArray<[type: string, apply: (logicalId: string, resource: TemplateResource, context: ApplyContext) => Promise<void>]> = [
  [
    'AWS::ApplicationAutoScaling::ScalableTarget',
    async (logicalId, resource, context) => {
      const { RoleARN: _role, ...input } = resolved(resource, context);
      const target = apiShape<RegisterScalableTargetCommandInput>(input);
      await new ApplicationAutoScalingClient({}).send(new RegisterScalableTargetCommand(target));
      context.scalableTargets.set(logicalId, {
        ServiceNamespace: target.ServiceNamespace!,
        ResourceId: target.ResourceId!,
        ScalableDimension: target.ScalableDimension!,
      });
    },
  ],
  [
    'AWS::ApplicationAutoScaling::ScalingPolicy',
    async (logicalId, resource, context) => {
      const { ScalingTargetId, ...properties } = resource.Properties;
      const policy = apiShape<PutScalingPolicyCommandInput>({
        ...(resolveIntrinsics(properties, context) as object),
        ...context.scalableTargets.get((ScalingTargetId as { Ref: string }).Ref),
        PolicyName: properties.PolicyName ?? logicalId,
      });
      const answer = await new ApplicationAutoScalingClient({}).send(new PutScalingPolicyCommand(policy));
      context.applied.set(logicalId, answer.PolicyARN!);
    },
  ],
  [
    'AWS::CloudWatch::Alarm',
    async (logicalId, resource, context) => {
      const alarm = apiShape<PutMetricAlarmCommandInput>({ AlarmName: `${context.stackName}-${logicalId}`, ...resolved(resource, context) });
      await new CloudWatchClient({}).send(new PutMetricAlarmCommand(alarm));
      context.applied.set(`${logicalId}.Arn`, `arn:aws:cloudwatch:${context.region}:${context.account}:alarm:${alarm.AlarmName}`);
    },
  ],
  [
    'AWS::Scheduler::Schedule',
    async (logicalId, resource, context) => {
      const schedule = apiShape<CreateScheduleCommandInput>({
        Name: `${context.stackName}-${logicalId}`.slice(0, 64),
        ...resolved(resource, context),
      });
      await new SchedulerClient({}).send(new CreateScheduleCommand(schedule));
    },
  ],
  [
    'AWS::SQS::QueuePolicy',
    async (_logicalId, resource, context) => {
      const { PolicyDocument, Queues } = resolved(resource, context) as { PolicyDocument: unknown; Queues: string[] };
      const sqs = new SQSClient({ useQueueUrlAsEndpoint: false });
      for (const queueUrl of Queues)
        await sqs.send(new SetQueueAttributesCommand({ QueueUrl: queueUrl, Attributes: { Policy: JSON.stringify(PolicyDocument) } }));
    },
  ],
];

async function stackResources(stackName: string): Promise<Map<string, StackResource>> {
  const resources = new Map<string, StackResource>();
  let nextToken: string | undefined;
  do {
    const page = await new CloudFormationClient({}).send(new ListStackResourcesCommand({ StackName: stackName, NextToken: nextToken }));
    for (const summary of page.StackResourceSummaries ?? []) {
      resources.set(summary.LogicalResourceId!, { type: summary.ResourceType ?? '', physicalId: summary.PhysicalResourceId ?? '' });
    }
    nextToken = page.NextToken;
  } while (nextToken);
  return resources;
}

/**
 * Applies, through the same API calls the template describes, the resources moto's CloudFormation skipped:
 * scalable targets, scaling policies, alarms, schedules and queue policies. Returns how many of each it applied.
 */
export async function applySkippedResources(deployed: DeployedStack): Promise<Map<string, number>> {
  const template = JSON.parse(readFileSync(join(deployed.assemblyDir, `${deployed.stackName}.template.json`), 'utf8')) as {
    Resources: Record<string, TemplateResource>;
  };
  const context: ApplyContext = {
    account: LOCAL_ACCOUNT,
    region: LOCAL_REGION,
    stackName: deployed.stackName,
    resources: await stackResources(deployed.stackName),
    applied: new Map(),
    scalableTargets: new Map(),
  };
  const counts = new Map<string, number>();
  for (const [type, apply] of APPLIERS) {
    for (const [logicalId, resource] of Object.entries(template.Resources).filter(([, candidate]) => candidate.Type === type)) {
      try {
        await apply(logicalId, resource, context);
      } catch (error) {
        throw new Error(`applying ${logicalId} (${type}) to the local AWS failed: ${(error as Error).message}`, { cause: error });
      }
      counts.set(type, (counts.get(type) ?? 0) + 1);
    }
  }
  return counts;
}

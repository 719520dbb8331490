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

/**
 * Resource types moto 5.2.1's CloudFormation accepts but silently does not create, and that its APIs can.
 * AWS::CloudWatch::CompositeAlarm is skipped too, and moto has no PutCompositeAlarm, so it stays absent locally.
 */
export const APPLIED_TYPES = [
  'AWS::ApplicationAutoScaling::ScalableTarget',
  'AWS::ApplicationAutoScaling::ScalingPolicy',
  'AWS::CloudWatch::Alarm',
  'AWS::Scheduler::Schedule',
  'AWS::SQS::QueuePolicy',
] as const;

type TemplateResource = { Type: string; Properties: Record<string, unknown> };

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

// CloudFormation property names are the API's, capitalised; the SDK inputs use the API's own names.
function apiShape<T>(properties: unknown): T {
  return properties as T;
}

/**
 * Applies, through the same API calls the template describes, the resources moto's CloudFormation skipped:
 * scalable targets, scaling policies, alarms, schedules and queue policies. Returns what it applied, by type.
 */
export async function applySkippedResources(deployed: DeployedStack): Promise<Map<string, number>> {
  const template = JSON.parse(readFileSync(join(deployed.assemblyDir, `${deployed.stackName}.template.json`), 'utf8')) as {
    Resources: Record<string, TemplateResource>;
  };
  const applied = new Map<string, string>();
  const context: IntrinsicContext = { account: LOCAL_ACCOUNT, region: LOCAL_REGION, resources: await stackResources(deployed.stackName), applied };
  const ofType = (type: string) => Object.entries(template.Resources).filter(([, resource]) => resource.Type === type);
  const resolved = (resource: TemplateResource) => resolveIntrinsics(resource.Properties, context) as Record<string, unknown>;
  const counts = new Map<string, number>();
  let current = '';
  try {
    return await applyAll();
  } catch (error) {
    throw new Error(`applying ${current} to the local AWS failed: ${(error as Error).message}`, { cause: error });
  }

  async function applyAll(): Promise<Map<string, number>> {
  const count = (type: string) => counts.set(type, (counts.get(type) ?? 0) + 1);

  const scaling = new ApplicationAutoScalingClient({});
  const targets = new Map<string, { ServiceNamespace: ServiceNamespace; ResourceId: string; ScalableDimension: ScalableDimension }>();
  for (const [logicalId, resource] of ofType('AWS::ApplicationAutoScaling::ScalableTarget')) {
    current = logicalId;
    const { RoleARN: _role, ...input } = resolved(resource);
    const target = apiShape<RegisterScalableTargetCommandInput>(input);
    await scaling.send(new RegisterScalableTargetCommand(target));
    targets.set(logicalId, { ServiceNamespace: target.ServiceNamespace!, ResourceId: target.ResourceId!, ScalableDimension: target.ScalableDimension! });
    count('AWS::ApplicationAutoScaling::ScalableTarget');
  }
  for (const [logicalId, resource] of ofType('AWS::ApplicationAutoScaling::ScalingPolicy')) {
    current = logicalId;
    const targetId = (resource.Properties.ScalingTargetId as { Ref: string }).Ref;
    const { ScalingTargetId: _target, ...properties } = resource.Properties;
    const policy = apiShape<PutScalingPolicyCommandInput>({
      ...(resolveIntrinsics(properties, context) as object),
      ...targets.get(targetId),
      PolicyName: properties.PolicyName ?? logicalId,
    });
    const answer = await scaling.send(new PutScalingPolicyCommand(policy));
    applied.set(logicalId, answer.PolicyARN!);
    count('AWS::ApplicationAutoScaling::ScalingPolicy');
  }
  const cloudwatch = new CloudWatchClient({});
  for (const [logicalId, resource] of ofType('AWS::CloudWatch::Alarm')) {
    current = logicalId;
    const alarm = apiShape<PutMetricAlarmCommandInput>({ AlarmName: `${deployed.stackName}-${logicalId}`, ...resolved(resource) });
    await cloudwatch.send(new PutMetricAlarmCommand(alarm));
    applied.set(`${logicalId}.Arn`, `arn:aws:cloudwatch:${LOCAL_REGION}:${LOCAL_ACCOUNT}:alarm:${alarm.AlarmName}`);
    count('AWS::CloudWatch::Alarm');
  }
  const scheduler = new SchedulerClient({});
  for (const [logicalId, resource] of ofType('AWS::Scheduler::Schedule')) {
    current = logicalId;
    const schedule = apiShape<CreateScheduleCommandInput>({ Name: `${deployed.stackName}-${logicalId}`.slice(0, 64), ...resolved(resource) });
    await scheduler.send(new CreateScheduleCommand(schedule));
    count('AWS::Scheduler::Schedule');
  }
  const sqs = new SQSClient({ useQueueUrlAsEndpoint: false });
  for (const [logicalId, resource] of ofType('AWS::SQS::QueuePolicy')) {
    current = logicalId;
    const { PolicyDocument, Queues } = resolved(resource) as { PolicyDocument: unknown; Queues: string[] };
    for (const queueUrl of Queues) {
      await sqs.send(new SetQueueAttributesCommand({ QueueUrl: queueUrl, Attributes: { Policy: JSON.stringify(PolicyDocument) } }));
    }
    count('AWS::SQS::QueuePolicy');
  }
  return counts;
  }
}

import {
  ApplicationAutoScalingClient,
  DescribeScalableTargetsCommand,
  DescribeScalingPoliciesCommand,
} from '@aws-sdk/client-application-auto-scaling';
import { CloudWatchClient, DescribeAlarmsCommand } from '@aws-sdk/client-cloudwatch';
import { CloudFormationClient, ListStackResourcesCommand } from '@aws-sdk/client-cloudformation';
import { ECSClient, DescribeServicesCommand } from '@aws-sdk/client-ecs';
import { LambdaClient, ListEventSourceMappingsCommand, GetFunctionCommand, GetFunctionConfigurationCommand } from '@aws-sdk/client-lambda';
import { GetQueueAttributesCommand, SQSClient } from '@aws-sdk/client-sqs';
import { GetParametersByPathCommand, SSMClient } from '@aws-sdk/client-ssm';
import { afterEach, beforeAll, describe, expect, inject, it, vi } from 'vitest';
import { applySkippedResources } from '../../cli/local-aws/apply-skipped-resources.ts';
import { deployReferenceApp } from '../../cli/local-aws/deploy-reference.ts';
import { loadBacklogPublisherConfig } from '../../functions/backlog-publisher/load-config.ts';
import { loadPredictorConfig } from '../../functions/predictor/load-config.ts';
import { BACKLOG_SOURCES_FROM_VARIABLE, PREDICTOR_TARGETS_VARIABLE } from '../../shared/config-shards/config-shards.ts';
import { lambdaContext } from '../support/lambda-context.ts';

type Resources = Map<string, { type: string; physicalId: string }>;

async function stackResources(stackName: string): Promise<Resources> {
  const resources: Resources = new Map();
  let nextToken: string | undefined;
  do {
    const page = await new CloudFormationClient({}).send(new ListStackResourcesCommand({ StackName: stackName, NextToken: nextToken }));
    for (const summary of page.StackResourceSummaries ?? []) {
      resources.set(summary.LogicalResourceId!, { type: summary.ResourceType!, physicalId: summary.PhysicalResourceId! });
    }
    nextToken = page.NextToken;
  } while (nextToken);
  return resources;
}

function physicalIdsOf(resources: Resources, type: string): string[] {
  return [...resources.values()].filter((resource) => resource.type === type).map((resource) => resource.physicalId);
}

/** The environment of the deployed function that has `variable`, as moto's Lambda holds it. */
async function environmentWith(resources: Resources, variable: string): Promise<Record<string, string>> {
  for (const name of physicalIdsOf(resources, 'AWS::Lambda::Function')) {
    const configuration = await new LambdaClient({}).send(new GetFunctionConfigurationCommand({ FunctionName: name }));
    const variables = configuration.Environment?.Variables ?? {};
    if (variable in variables) return variables;
  }
  throw new Error(`no deployed function has ${variable}`);
}

// The reference app is deployed with the real CDK CLI (bootstrap + deploy) into moto's CloudFormation, and what
// it created is then found through each service's own describe API.
describe('the reference app deployed to the local AWS', () => {
  let resources: Resources;
  let appliedByType: Map<string, number>;

  beforeAll(async () => {
    const deployed = await deployReferenceApp(inject('localAwsEndpoint'));
    resources = await stackResources(deployed.stackName);
    appliedByType = await applySkippedResources(deployed);
  }, 480_000);

  it('creates the worker queue with a redrive policy to its dead-letter queue', async () => {
    const queues = physicalIdsOf(resources, 'AWS::SQS::Queue');
    // moto's CloudFormation names queues by AWS's public host; send to the local endpoint all the same.
    const sqs = new SQSClient({ useQueueUrlAsEndpoint: false });
    expect(queues).toHaveLength(4);
    const attributes = await Promise.all(
      queues.map((queueUrl) => sqs.send(new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ['All'] }))),
    );
    const redriven = attributes.filter((answer) => answer.Attributes?.RedrivePolicy);
    expect(redriven).toHaveLength(2);
    for (const answer of redriven) expect(JSON.parse(answer.Attributes!.RedrivePolicy!).maxReceiveCount).toBe(5);
  });

  it('creates the backlog publisher, the predictor and the consumer on Node.js 22', async () => {
    const functions = physicalIdsOf(resources, 'AWS::Lambda::Function');
    expect(functions).toHaveLength(3);
    for (const name of functions) {
      const found = await new LambdaClient({}).send(new GetFunctionCommand({ FunctionName: name }));
      expect(found.Configuration?.Runtime).toBe('nodejs22.x');
    }
  });

  it('maps the consumer queue to the consumer function with partial batch responses', async () => {
    const mappings = await new LambdaClient({}).send(new ListEventSourceMappingsCommand({}));
    const ours = (mappings.EventSourceMappings ?? []).filter((mapping) => mapping.FunctionArn?.includes('HeadroomReference-Consumer'));
    expect(ours).toHaveLength(1);
    expect(ours[0]!.FunctionResponseTypes).toEqual(['ReportBatchItemFailures']);
  });

  it('creates the Fargate worker service in its cluster', async () => {
    const [serviceArn] = physicalIdsOf(resources, 'AWS::ECS::Service');
    const [clusterName] = physicalIdsOf(resources, 'AWS::ECS::Cluster');
    const described = await new ECSClient({}).send(new DescribeServicesCommand({ cluster: clusterName, services: [serviceArn!] }));
    // moto's CloudFormation does not keep the service's launch type, so only what it stores is checked.
    expect(described.services?.[0]?.status).toBe('ACTIVE');
    expect(described.services?.[0]?.taskDefinition).toMatch(/WorkerTask/);
  });

  // moto's CloudFormation skips these types; the demo applies them through the APIs the template describes.
  describe('with the resources moto’s CloudFormation skips applied through their own APIs', () => {
    it('registers the worker service as a scalable target between 1 and 40 tasks', async () => {
      const targets = await new ApplicationAutoScalingClient({}).send(new DescribeScalableTargetsCommand({ ServiceNamespace: 'ecs' }));
      const worker = targets.ScalableTargets?.find((target) => target.ResourceId?.includes('HeadroomReference-WorkerService'));
      expect(worker).toMatchObject({ ScalableDimension: 'ecs:service:DesiredCount', MinCapacity: 1, MaxCapacity: 40 });
    });

    it('tracks required capacity per task at 1, under the floors its predictor writes', async () => {
      const policies = await new ApplicationAutoScalingClient({}).send(new DescribeScalingPoliciesCommand({ ServiceNamespace: 'ecs' }));
      const tracking = policies.ScalingPolicies?.find((policy) => policy.PolicyType === 'TargetTrackingScaling');
      expect(tracking?.TargetTrackingScalingPolicyConfiguration).toMatchObject({
        TargetValue: 1,
        CustomizedMetricSpecification: { MetricName: 'RequiredCapacityPerTask', Namespace: 'Headroom' },
      });
    });

    it('creates the latency SLO and dead-letter alarms for both queues', async () => {
      const alarms = await new CloudWatchClient({}).send(new DescribeAlarmsCommand({ AlarmNamePrefix: 'HeadroomReference-' }));
      const metrics = (alarms.MetricAlarms ?? []).map((alarm) => alarm.MetricName);
      // The worker's burst guard alarms on the same metric, at half the latency and >= (the SLO alarms use >).
      const sloAlarms = (alarms.MetricAlarms ?? []).filter(
        (alarm) => alarm.MetricName === 'ApproximateAgeOfOldestMessage' && alarm.ComparisonOperator === 'GreaterThanThreshold',
      );
      expect(sloAlarms).toHaveLength(2);
      expect(metrics.filter((name) => name === 'ApproximateNumberOfMessagesVisible')).toHaveLength(2);
      expect(appliedByType.get('AWS::Scheduler::Schedule')).toBe(2);
    });
  });

  // The configuration that grows with the workloads is in SSM parameters CloudFormation created (moto creates
  // AWS::SSM::Parameter), named by a small pointer in each function's environment.
  describe('the predictor’s and the publisher’s configuration', () => {
    afterEach(() => vi.unstubAllEnvs());

    it('is held in SSM parameters the stack created, not in the functions’ environment', async () => {
      const parameters = physicalIdsOf(resources, 'AWS::SSM::Parameter');
      expect(parameters.length).toBeGreaterThanOrEqual(2);
      const stored = await new SSMClient({}).send(new GetParametersByPathCommand({ Path: '/headroom/HeadroomReference', Recursive: true }));
      expect((stored.Parameters ?? []).map((parameter) => parameter.Name).sort()).toEqual([...parameters].sort());
      const predictorEnvironment = await environmentWith(resources, PREDICTOR_TARGETS_VARIABLE);
      expect(JSON.stringify(predictorEnvironment)).not.toContain('reference-worker');
    });

    it('is what the predictor’s loading step reads: the worker target, its queue resolved at deploy', async () => {
      const config = await loadPredictorConfig(await environmentWith(resources, PREDICTOR_TARGETS_VARIABLE), new SSMClient({}));
      expect(config.targets.map((target) => target.workload)).toEqual(['reference-worker']);
      expect(config.targets[0]!.resourceId).toMatch(/^service\/.+\/HeadroomReference-WorkerService/);
      expect(config.rejectedTargets).toEqual([]);
    });

    it('is what the publisher’s loading step reads: the worker’s source, with its deployed queue URL', async () => {
      const config = await loadBacklogPublisherConfig(await environmentWith(resources, BACKLOG_SOURCES_FROM_VARIABLE), new SSMClient({}));
      expect(config.sources.map((source) => source.workload)).toEqual(['reference-worker']);
      for (const source of config.sources) expect(source.queueUrl).toMatch(/^https:\/\/.+\/123456789012\/HeadroomReference-/);
    });

    it('is read by the predictor handler itself, run in-process with the deployed environment', async () => {
      for (const [name, value] of Object.entries(await environmentWith(resources, PREDICTOR_TARGETS_VARIABLE))) vi.stubEnv(name, value);
      const { handler } = await import('../../functions/predictor/handler.ts');
      const run = (await handler({}, lambdaContext(300_000))) as { targets: number };
      expect(run.targets).toBe(1);
    }, 120_000);
  });
});

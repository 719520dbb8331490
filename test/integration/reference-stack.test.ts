import {
  ApplicationAutoScalingClient,
  DescribeScalableTargetsCommand,
  DescribeScalingPoliciesCommand,
} from '@aws-sdk/client-application-auto-scaling';
import { CloudWatchClient, DescribeAlarmsCommand } from '@aws-sdk/client-cloudwatch';
import { CloudFormationClient, ListStackResourcesCommand } from '@aws-sdk/client-cloudformation';
import { ECSClient, DescribeServicesCommand } from '@aws-sdk/client-ecs';
import { LambdaClient, ListEventSourceMappingsCommand, GetFunctionCommand } from '@aws-sdk/client-lambda';
import { GetQueueAttributesCommand, SQSClient } from '@aws-sdk/client-sqs';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { applySkippedResources } from '../../cli/local-aws/apply-skipped-resources.ts';
import { deployReferenceApp } from '../../cli/local-aws/deploy-reference.ts';

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

// The reference app is deployed with the real CDK CLI (bootstrap + deploy) into moto's CloudFormation, and what
// it created is then found through each service's own describe API.
describe('the reference app deployed to the local AWS', () => {
  let resources: Resources;
  let appliedByType: Map<string, number>;

  beforeAll(async () => {
    const deployed = await deployReferenceApp(inject('localAwsEndpoint'));
    resources = await stackResources(deployed.stackName);
    appliedByType = await applySkippedResources(deployed);
  }, 180_000);

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
});

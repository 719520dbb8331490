import { App, CfnParameter, Duration, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as ecsPatterns from 'aws-cdk-lib/aws-ecs-patterns';
import type * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { describe, expect, it } from 'vitest';
import {
  PredictiveScaling,
  QueueScaledService,
  type QueueScaledServiceProps,
  RequestScaledService,
  type RequestScaledServiceProps,
  TableScaling,
} from '../../stacks/index.ts';
import { ReferenceStack } from '../../stacks/reference-app/reference-stack.ts';
import { fargateWorker } from '../support/ecs-fixture.ts';

// Issue 20, point 12: what a probe of bad props found that synthesized broken or wrong. Each case is now a synth
// error (or a warning) that names the prop.

function web(stack: Stack): ecsPatterns.ApplicationLoadBalancedFargateService {
  const vpc = new ec2.Vpc(stack, 'Vpc', { maxAzs: 2, natGateways: 1 });
  const cluster = new ecs.Cluster(stack, 'Cluster', { vpc });
  return new ecsPatterns.ApplicationLoadBalancedFargateService(stack, 'Web', {
    cluster,
    minHealthyPercent: 100,
    taskImageOptions: { image: ecs.ContainerImage.fromRegistry('public.ecr.aws/nginx/nginx:stable') },
  });
}

const requestProps = (service: ecsPatterns.ApplicationLoadBalancedFargateService, overrides: Partial<RequestScaledServiceProps> = {}) => ({
  loadBalancedService: service,
  requestsPerSecondPerTask: 40,
  latencySlo: Duration.millis(500),
  maxCapacity: 20,
  workload: 'checkout',
  ...overrides,
});

const queueProps = (stack: Stack, overrides: Partial<QueueScaledServiceProps> = {}): QueueScaledServiceProps => {
  const { service, queue } = fargateWorker(stack);
  return { service, queue, acceptableLatency: Duration.minutes(5), timePerMessage: Duration.seconds(1), maxCapacity: 10, ...overrides };
};

function table(stack: Stack): dynamodb.Table {
  return new dynamodb.Table(stack, 'Sessions', {
    partitionKey: { name: 'pk', type: dynamodb.AttributeType.STRING },
    billingMode: dynamodb.BillingMode.PROVISIONED,
  });
}

describe('props that used to synthesize broken or wrong', () => {
  it.each<[string, (stack: Stack) => void, RegExp]>([
    [
      'two RequestScaledServices on one service',
      (stack) => {
        const service = web(stack);
        new RequestScaledService(stack, 'First', requestProps(service, { workload: 'first' }));
        new RequestScaledService(stack, 'Second', requestProps(service, { workload: 'second' }));
        Template.fromStack(stack);
      },
      /RequestScaledService \(Probe\/(First|Second)\): its scalable target .* also registered by Probe\/(First|Second)\/Target/,
    ],
    [
      'two TableScalings on one table',
      (stack) => {
        const sessions = table(stack);
        new TableScaling(stack, 'First', { table: sessions, read: { min: 5, max: 100 } });
        new TableScaling(stack, 'Second', { table: sessions, read: { min: 5, max: 50 } });
        Template.fromStack(stack);
      },
      /TableScaling \(Probe\/(First|Second)\) read: its scalable target .* also registered by Probe\/(First|Second)\/Read.*from one TableScaling/s,
    ],
    [
      'a RequestScaledService workload name with a control character',
      (stack) => new RequestScaledService(stack, 'Scaling', requestProps(web(stack), { workload: 'check\u0007out' })),
      /RequestScaledService: workload "check.out" cannot be a CloudWatch dimension value \(it contains "\\u0007"/,
    ],
    [
      'RequestScaledService on an imported service',
      (stack) => {
        const service = web(stack);
        const imported = ecs.FargateService.fromFargateServiceAttributes(stack, 'Imported', { cluster: service.cluster, serviceName: 'checkout' });
        new RequestScaledService(stack, 'Scaling', {
          service: imported as unknown as ecs.BaseService,
          targetGroup: service.targetGroup,
          loadBalancer: service.loadBalancer as elbv2.ApplicationLoadBalancer,
          requestsPerSecondPerTask: 40,
          latencySlo: Duration.millis(500),
          maxCapacity: 20,
        });
      },
      /RequestScaledService: service is an imported service .* Pass the ecs.FargateService or ecs.Ec2Service defined in this app/,
    ],
    [
      'RequestScaledService maxCapacity beyond what ECS runs in a service (the curve fit never ended at 1e9)',
      (stack) => new RequestScaledService(stack, 'Scaling', requestProps(web(stack), { maxCapacity: 1e9 })),
      /RequestScaledService: maxCapacity \(1000000000\) is above the 5000 tasks Amazon ECS runs in one service \("Tasks per service" quota\)/,
    ],
    [
      'a token maxCapacity compared with a literal minCapacity',
      (stack) => {
        const maxCapacity = new CfnParameter(stack, 'Max', { type: 'Number' }).valueAsNumber;
        new QueueScaledService(stack, 'Scaling', queueProps(stack, { minCapacity: 2, maxCapacity }));
      },
      /QueueScaledService: maxCapacity is a token .* while minCapacity is a number.*Give maxCapacity as a literal number/,
    ],
    [
      'a predictor interval longer than its horizon',
      (stack) => new PredictiveScaling(stack, 'Predictor', { interval: Duration.hours(12), horizonHours: 6 }),
      /PredictiveScaling: interval \(12 hours\) is longer than horizonHours \(6 hours\)/,
    ],
    [
      'an SLO longer than the queue’s retention',
      (stack) => {
        const props = queueProps(stack);
        const queue = new sqs.Queue(stack, 'ShortLived', { retentionPeriod: Duration.hours(1), enforceSSL: true });
        new QueueScaledService(stack, 'Scaling', { ...props, queue, acceptableLatency: Duration.hours(2) });
      },
      /QueueScaledService: acceptableLatency \(2 hours\) is longer than queue's message retention \(3600 seconds\)/,
    ],
    [
      'a start-up longer than the SLO',
      (stack) =>
        new QueueScaledService(stack, 'Scaling', queueProps(stack, { acceptableLatency: Duration.minutes(2), startupTime: Duration.minutes(3) })),
      /QueueScaledService: startupTime \(3 minutes\) is not shorter than acceptableLatency \(2 minutes\)/,
    ],
    [
      'floorTuning on a DynamoDB target',
      (stack) => {
        const sessions = table(stack);
        const scaling = new TableScaling(stack, 'Scaling', { table: sessions, read: { min: 5, max: 100 } });
        new PredictiveScaling(stack, 'Predictor').addTarget({
          workload: 'sessions',
          scalableTarget: scaling.readTarget!,
          load: [sessions.metricConsumedReadCapacityUnits({ statistic: 'Sum', period: Duration.hours(1) })],
          unitThroughput: 1,
          floorTuning: { acceptableLatencySeconds: 120, startupSeconds: 60, scaleOutCooldownSeconds: 60, reactiveTarget: 1, drainShare: 0.5 },
        });
      },
      /PredictiveScaling.addTarget\(sessions\): floorTuning is a queue worker’s model .* Remove floorTuning/,
    ],
    [
      'an unknown alert severity',
      (stack) =>
        new RequestScaledService(stack, 'Scaling', requestProps(web(stack))).addSloAlarms({
          objective: 0.999,
          alerts: [{ name: 'fast', severity: 'sev1' as 'page', burnRate: 14.4, longWindowMs: 3_600_000, shortWindowMs: 300_000 }],
        }),
      /SloBurnRateAlarms: alerts\[fast\]\.severity must be 'page' or 'ticket', got "sev1"/,
    ],
    [
      'RequestScaledService with minCapacity 0 and no path out of zero',
      (stack) => new RequestScaledService(stack, 'Scaling', requestProps(web(stack), { minCapacity: 0 })),
      /RequestScaledService: minCapacity is 0, and nothing would start the first task.*Set minCapacity to at least 1/,
    ],
  ])('%s: a synth error naming the prop', (_, build, message) => {
    const stack = new Stack(new App(), 'Probe');
    expect(() => build(stack)).toThrow(message);
  });

  it('never prints a token’s placeholder number in a message', () => {
    const stack = new Stack(new App(), 'Tokens');
    const maxCapacity = new CfnParameter(stack, 'Max', { type: 'Number' }).valueAsNumber;
    expect(() => new QueueScaledService(stack, 'Scaling', queueProps(stack, { maxCapacity }))).toThrow(/^(?!.*e\+\d)/s);
    expect(() => new QueueScaledService(stack, 'Again', queueProps(new Stack(new App(), 'Again'), { maxCapacity: 3, minCapacity: 5 }))).toThrow(
      /QueueScaledService: minCapacity \(5\) is above maxCapacity \(3\)/,
    );
  });

  it.each<[string, (stack: Stack, token: number) => void]>([
    [
      'QueueScaledService targetUtilization',
      (stack, token) => new QueueScaledService(stack, 'Scaling', queueProps(stack, { targetUtilization: token })),
    ],
    [
      'RequestScaledService targetUtilization',
      (stack, token) => new RequestScaledService(stack, 'Scaling', requestProps(web(stack), { targetUtilization: token })),
    ],
  ])('says a token %s must be a literal instead of printing its placeholder', (_, build) => {
    const stack = new Stack(new App(), 'Token');
    const token = new CfnParameter(stack, 'Value', { type: 'Number' }).valueAsNumber;
    let message = '';
    try {
      build(stack, token);
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toMatch(/targetUtilization is a token .*Pass a plain value for targetUtilization/);
    expect(message).not.toMatch(/e\+\d/);
  });

  it('passes a token TableScaling targetUtilizationPercent through to the template instead of refusing its placeholder', () => {
    const stack = new Stack(new App(), 'TokenTable');
    const percent = new CfnParameter(stack, 'Percent', { type: 'Number' }).valueAsNumber;
    new TableScaling(stack, 'Scaling', { table: table(stack), read: { min: 5, max: 100, targetUtilizationPercent: percent } });
    Template.fromStack(stack).hasResourceProperties('AWS::ApplicationAutoScaling::ScalingPolicy', {
      TargetTrackingScalingPolicyConfiguration: { TargetValue: { Ref: 'Percent' } },
    });
  });

  it('warns, naming requestsPerSecondPerTask, when the curve holds tasks at zero requests', () => {
    const stack = new Stack(new App(), 'Idle');
    new RequestScaledService(stack, 'Scaling', requestProps(web(stack), { requestsPerSecondPerTask: 0.01, maxCapacity: 100 }));
    Annotations.fromStack(stack).hasWarning(
      '/Idle/Scaling',
      Match.stringLikeRegexp(
        'requestsPerSecondPerTask \\(0.01\\) with latencySlo \\(500 millis\\) makes the required-tasks curve ask for \\d+ tasks at zero requests',
      ),
    );
  });

  it('takes TableScaling on an imported table, with a warning that its billing mode and indexes are unchecked', () => {
    const stack = new Stack(new App(), 'ImportedTable');
    const imported = dynamodb.Table.fromTableName(stack, 'Sessions', 'sessions');
    new TableScaling(stack, 'Scaling', { table: imported, read: { min: 5, max: 100 } });
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::ApplicationAutoScaling::ScalableTarget', { ResourceId: 'table/sessions' });
    Annotations.fromStack(stack).hasWarning(
      '/ImportedTable/Scaling',
      Match.stringLikeRegexp('is imported, so headroom cannot check at synth that it is PROVISIONED'),
    );
  });

  it('encrypts the reference app’s alarm topic with a key CloudWatch may use', () => {
    const template = Template.fromStack(new ReferenceStack(new App(), 'Reference'));
    template.hasResourceProperties('AWS::SNS::Topic', { KmsMasterKeyId: Match.anyValue() });
  });
});

import { App, Duration, Stack, Validations } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as ecsPatterns from 'aws-cdk-lib/aws-ecs-patterns';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Template } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { HEADROOM_NAMESPACE } from '../../shared/metrics/contract.ts';
import { evaluateMetricMath, implicitPrecedence } from '../../shared/metrics/math/index.ts';
import { metricReadProblem } from '../../shared/metrics/metric-read.ts';
import {
  BacklogMetricSource,
  PredictiveScaling,
  QueueConsumerFunction,
  QueueScaledService,
  RequestScaledService,
  ScalingSignal,
  TableScaling,
} from '../../stacks/index.ts';
import { ReferenceWebStack } from '../../stacks/reference-app/reference-web-stack.ts';
import { ReferenceStack } from '../../stacks/reference-app/reference-stack.ts';
import { messageWaitIndicator, SloBurnRateAlarms } from '../../stacks/slo/index.ts';
import { fargateWorker } from '../support/ecs-fixture.ts';
import { demoWorkerEntry } from '../support/handler-entries.ts';
import { expressionIds, parseMetricMath, templateExpressions } from '../support/template-math.ts';
import { templateMetricReads } from '../support/template-metric-reads.ts';

/**
 * The metric contract, checked on what deploys: every metric an alarm, a scaling policy, a dashboard widget (inside
 * metric math and dashboard bodies too) or a function's configuration reads, in the templates of every construct and
 * of the reference app, is one its producer publishes with exactly that dimension set (headroom's own functions:
 * shared/metrics/contract.ts; AWS: shared/metrics/aws-catalogue.ts) and the statistic means something for it.
 */
// Synthesizing the reference app takes tens of seconds on a loaded machine: each stack is built once, for both checks.
const SYNTH_TIMEOUT_MS = 300_000;
/** One QueueScaledService that may scale to zero, with its dashboard (one construct per service: AWS takes one target). */
function queueFromZero(id: string, signal: ScalingSignal, metricSource: BacklogMetricSource): Stack {
  return queueStack(id, (stack, { service, queue }) => {
    new QueueScaledService(stack, 'Scaling', {
      service,
      queue,
      acceptableLatency: Duration.minutes(5),
      timePerMessage: Duration.seconds(2),
      maxCapacity: 10,
      minCapacity: 0,
      signal,
      metricSource,
      workload: 'orders',
    }).addDashboard();
  });
}

const synthesized = new Map<string, ReturnType<Template['toJSON']>>();
function templateOf(name: string, build: () => Stack): ReturnType<Template['toJSON']> {
  if (!synthesized.has(name)) synthesized.set(name, Template.fromStack(build()).toJSON());
  return synthesized.get(name)!;
}

function problemsOf(template: ReturnType<Template['toJSON']>): string[] {
  const reads = templateMetricReads(template);
  expect(reads.length).toBeGreaterThan(0);
  return reads.map((read) => metricReadProblem(read, [HEADROOM_NAMESPACE])).filter((problem): problem is string => problem !== undefined);
}

function queueStack(id: string, build: (stack: Stack, worker: ReturnType<typeof fargateWorker>) => void): Stack {
  const stack = new Stack(new App(), id);
  build(stack, fargateWorker(stack));
  return stack;
}

function webStack(build: (scaling: RequestScaledService, stack: Stack) => void): Stack {
  const stack = new Stack(new App(), 'Web');
  const vpc = new ec2.Vpc(stack, 'Vpc', { maxAzs: 2, natGateways: 1 });
  const cluster = new ecs.Cluster(stack, 'Cluster', { vpc, containerInsightsV2: ecs.ContainerInsights.ENABLED });
  const web = new ecsPatterns.ApplicationLoadBalancedFargateService(stack, 'Web', {
    cluster,
    minHealthyPercent: 100,
    taskImageOptions: {
      image: ecs.ContainerImage.fromRegistry('public.ecr.aws/nginx/nginx:stable'),
      logDriver: ecs.LogDrivers.awsLogs({ streamPrefix: 'web', logGroup: new logs.LogGroup(stack, 'Logs') }),
    },
  });
  Validations.of(web.taskDefinition).acknowledge({ id: 'AwsSolutions-ECS2', reason: 'test fixture' });
  const scaling = new RequestScaledService(stack, 'Scaling', {
    loadBalancedService: web,
    requestsPerSecondPerTask: 40,
    latencySlo: Duration.millis(500),
    maxCapacity: 20,
    workload: 'checkout',
  });
  build(scaling, stack);
  return stack;
}

const stacks: Record<string, () => Stack> = {
  'the reference app': () => new ReferenceStack(new App(), 'Reference'),
  'the reference app’s web service': () => new ReferenceWebStack(new App(), 'ReferenceWeb'),
  'QueueScaledService on the publisher, under a predictor, with its dashboard': () =>
    queueStack('QueuePublisher', (stack, { service, queue }) => {
      const scaling = new QueueScaledService(stack, 'Scaling', {
        service,
        queue,
        acceptableLatency: Duration.minutes(5),
        timePerMessage: Duration.seconds(2),
        maxCapacity: 10,
        minCapacity: 0,
        workload: 'orders',
      });
      const predictor = new PredictiveScaling(stack, 'Predictor');
      scaling.addToPredictor(predictor);
      scaling.addDashboard({ predictor: { interval: predictor.interval } });
    }),
  'QueueScaledService in metric-math mode (required capacity, from zero)': () =>
    queueFromZero('QueueMathRequired', ScalingSignal.REQUIRED_CAPACITY, BacklogMetricSource.METRIC_MATH),
  'QueueScaledService in metric-math mode (AWS’s backlog-per-task recipe, from zero)': () =>
    queueFromZero('QueueMathRecipe', ScalingSignal.BACKLOG_PER_TASK, BacklogMetricSource.METRIC_MATH),
  'QueueScaledService on the publisher with AWS’s backlog-per-task recipe': () =>
    queueFromZero('QueueRecipe', ScalingSignal.BACKLOG_PER_TASK, BacklogMetricSource.PUBLISHER),
  'QueueConsumerFunction with its dashboard and a queue-wait SLO': () => {
    const stack = new Stack(new App(), 'Consumer');
    new QueueConsumerFunction(stack, 'Orders', { entry: demoWorkerEntry, acceptableLatency: Duration.minutes(2), workload: 'orders' }).addDashboard();
    new SloBurnRateAlarms(stack, 'OrdersWait', { indicator: messageWaitIndicator('orders', Duration.minutes(2)), objective: 0.99 });
    return stack;
  },
  'RequestScaledService with SLO alarms, both predictive kinds and its dashboard': () =>
    webStack((scaling, stack) => {
      scaling.addSloAlarms({ objective: 0.999 });
      scaling.addNativePredictiveScaling();
      const predictor = new PredictiveScaling(stack, 'Predictor');
      scaling.addPredictiveScaling(predictor);
      scaling.addDashboard({ predictor: { interval: predictor.interval } });
    }),
  'TableScaling under a predictor': () => {
    const stack = new Stack(new App(), 'Tables');
    const table = new dynamodb.Table(stack, 'Sessions', {
      partitionKey: { name: 'pk', type: dynamodb.AttributeType.STRING },
      billingMode: dynamodb.BillingMode.PROVISIONED,
    });
    const scaling = new TableScaling(stack, 'Scaling', { table, read: { min: 5, max: 500 }, write: { min: 5, max: 100 } });
    new PredictiveScaling(stack, 'Predictor').addTarget({
      workload: 'sessions-read',
      scalableTarget: scaling.readTarget!,
      load: [table.metricConsumedReadCapacityUnits({ statistic: 'Sum', period: Duration.hours(1) })],
      unitThroughput: 1,
    });
    return stack;
  },
};

describe('the metric contract on synthesized templates', () => {
  for (const [name, build] of Object.entries(stacks)) {
    it(
      `${name}: reads only metrics something publishes, with that exact dimension set and a statistic that means something`,
      () => {
        expect(problemsOf(templateOf(name, build))).toEqual([]);
      },
      SYNTH_TIMEOUT_MS,
    );
  }
});

describe('the metric math the templates synthesize', () => {
  for (const [name, build] of Object.entries(stacks)) {
    it(
      `${name}: every expression parses, states its precedence where CloudWatch does not, and evaluates`,
      () => {
        const expressions = templateExpressions(templateOf(name, build));
        const problems = expressions.flatMap(({ where, expression }) => {
          const tree = parseMetricMath(expression);
          const implicit = implicitPrecedence(tree).map((problem) => `${where}: ${expression}: ${problem}`);
          // Each input a different positive value for three minutes: each expression the evaluator knows gives a finite value.
          const series = Object.fromEntries(
            [...new Set(expressionIds(tree))].map((id, index) => [id, [2 + 1.37 * index, 3 + 1.37 * index, 5 + 1.37 * index]]),
          );
          const value = evaluateMetricMath(tree, { series, periodSeconds: 60 });
          const finite = typeof value === 'number' ? Number.isFinite(value) : value.every((point) => point !== undefined && Number.isFinite(point));
          return finite ? implicit : [...implicit, `${where}: ${expression}: no finite value`];
        });
        expect(problems).toEqual([]);
      },
      SYNTH_TIMEOUT_MS,
    );
  }
});

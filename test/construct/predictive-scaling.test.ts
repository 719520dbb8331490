import { type App, Duration, Stack, Tags } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as appscaling from 'aws-cdk-lib/aws-applicationautoscaling';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import type { Construct } from 'constructs';
import { describe, expect, it } from 'vitest';
import { NativePredictiveScaling, PredictiveScaling, PredictorMode, QueueScaledService } from '../../stacks/index.ts';
import { fargateWorker } from '../support/ecs-fixture.ts';
import { predictorConfigText } from '../support/deployed-config.ts';
import { checkedTemplate, nagCheckedApp } from '../support/template-checks.ts';

function predictedStack(): { stack: Stack; target: appscaling.ScalableTarget } {
  const stack = new Stack(nagCheckedApp(), 'Predicted');
  const { service, queue } = fargateWorker(stack);
  const scaling = new QueueScaledService(stack, 'Scaling', {
    service,
    queue,
    acceptableLatency: Duration.minutes(5),
    timePerMessage: Duration.seconds(2),
    maxCapacity: 40,
    workload: 'orders',
  });
  const predictor = new PredictiveScaling(stack, 'Predictor', { mode: PredictorMode.FORECAST_AND_SCALE });
  predictor.addTarget({
    workload: 'orders',
    scalableTarget: scaling.scalableTarget,
    load: [queue.metricNumberOfMessagesSent({ statistic: 'Sum', period: Duration.hours(1) })],
    unitThroughput: 0.5,
  });
  return { stack, target: scaling.scalableTarget };
}

/** The predictor's settings and target shards as deployed (template values). */
function predictorConfigOf(template: Template): unknown {
  return JSON.parse(predictorConfigText(template));
}

describe('PredictiveScaling', () => {
  const template = checkedTemplate(predictedStack().stack);

  it('runs the predictor hourly from EventBridge Scheduler', () => {
    template.hasResourceProperties('AWS::Scheduler::Schedule', { ScheduleExpression: 'rate(1 hour)' });
  });

  it('may write scheduled actions only on scalable targets tagged as managed by headroom', () => {
    template.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Action: ['application-autoscaling:PutScheduledAction', 'application-autoscaling:DeleteScheduledAction'],
            Condition: { StringEquals: { 'aws:ResourceTag/headroom:managed': 'true' } },
          }),
        ]),
      },
    });
  });

  it('is granted no register, deregister or policy action', () => {
    const policies = JSON.stringify(template.findResources('AWS::IAM::Policy'));
    for (const action of ['RegisterScalableTarget', 'DeregisterScalableTarget', 'PutScalingPolicy', 'DeleteScalingPolicy'])
      expect(policies).not.toContain(action);
  });

  it('tags the scalable targets it manages', () => {
    template.hasResourceProperties('AWS::ApplicationAutoScaling::ScalableTarget', { Tags: [{ Key: 'headroom:managed', Value: 'true' }] });
  });

  it('configures the predictor with the target, its load metric and forecastAndScale mode', () => {
    const config = predictorConfigText(template);
    for (const fragment of [
      'forecastAndScale',
      'NumberOfMessagesSent',
      'ecs:service:DesiredCount',
      '\\"workload\\":\\"orders\\"',
      '\\"unitThroughput\\":0.5',
    ])
      expect(config).toContain(fragment);
  });

  it('alarms when a predictor run fails', () => {
    template.hasResourceProperties('AWS::CloudWatch::Alarm', { MetricName: 'Errors', Namespace: 'AWS/Lambda', Threshold: 0, Period: 3600 });
  });

  it('alarms when the predictor has not run in two of three intervals (a stale plan)', () => {
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Metrics: Match.arrayWith([
        Match.objectLike({ Expression: 'FILL(runs, 0)', ReturnData: true }),
        Match.objectLike({ Id: 'runs', MetricStat: Match.objectLike({ Metric: Match.objectLike({ MetricName: 'Invocations' }), Period: 3600 }) }),
      ]),
      Threshold: 1,
      ComparisonOperator: 'LessThanThreshold',
      EvaluationPeriods: 3,
      DatapointsToAlarm: 2,
    });
  });

  // Before the first run there is no Invocations datapoint at all: breaching missing data paged on every fresh deploy.
  it('does not treat the missing data before the first run as stale', () => {
    const stale = Object.values(template.findResources('AWS::CloudWatch::Alarm')).filter((alarm) =>
      JSON.stringify(alarm.Properties.Metrics ?? '').includes('Invocations'),
    );
    expect(stale).toHaveLength(1);
    expect(stale[0]!.Properties.TreatMissingData).toBe('ignore');
    expect(JSON.stringify(template.findResources('AWS::CloudWatch::Alarm'))).not.toContain('"breaching"');
  });

  // EventBridge Scheduler invokes asynchronously; without this Lambda runs a failed predictor twice more.
  it('turns off Lambda’s asynchronous retries, so a failed run is not repeated before the next scheduled one', () => {
    template.hasResourceProperties('AWS::Lambda::EventInvokeConfig', {
      FunctionName: Match.anyValue(),
      MaximumRetryAttempts: 0,
      MaximumEventAgeInSeconds: 3600,
      Qualifier: '$LATEST',
    });
  });

  it('reads three weeks of history by default, so the weekly models can be backtested', () => {
    expect(predictorConfigText(template)).toContain('\\"historyDays\\":21');
  });

  it('rejects historyDays beyond the 63 days CloudWatch keeps 5-minute data, naming the prop', () => {
    const { stack } = predictedStack();
    expect(() => new PredictiveScaling(stack, 'LongMemory', { historyDays: 90 })).toThrow(
      /historyDays must be a whole number between 2 and 63, got 90/,
    );
  });

  it('takes a QueueScaledService in one line: its workload, walls, throughput and queue arrivals', () => {
    const { config } = queueUnderPredictor(PredictorMode.FORECAST_ONLY);
    for (const fragment of [
      '\\"workload\\":\\"jobs\\"',
      '\\"unitThroughput\\":4',
      '\\"minCapacity\\":3',
      '\\"maxCapacity\\":30',
      'NumberOfMessagesSent',
    ])
      expect(config).toContain(fragment);
  });

  function queueUnderPredictor(mode: PredictorMode, props: { targetUtilization?: number } = {}, options: { quantile?: 'p90' } = {}) {
    const stack = new Stack(nagCheckedApp(), 'Tuned');
    const { service, queue } = fargateWorker(stack);
    const scaling = new QueueScaledService(stack, 'Scaling', {
      service,
      queue,
      acceptableLatency: Duration.minutes(5),
      timePerMessage: Duration.millis(250),
      startupTime: Duration.minutes(2),
      minCapacity: 3,
      maxCapacity: 30,
      workload: 'jobs',
      ...props,
    });
    scaling.addToPredictor(new PredictiveScaling(stack, 'Predictor', { mode }), options);
    const template = checkedTemplate(stack);
    return { template, config: JSON.stringify(predictorConfigOf(template)), scaling };
  }

  it('hands the predictor the queue worker it replays to choose floor settings: SLO, start-up, cooldown and its reactive target', () => {
    const { config } = queueUnderPredictor(PredictorMode.FORECAST_ONLY);
    expect(config).toContain(
      '\\"floorTuning\\":{\\"acceptableLatencySeconds\\":300,\\"startupSeconds\\":120,\\"scaleOutCooldownSeconds\\":60,\\"reactiveTarget\\":0.9,\\"drainShare\\":0.5}',
    );
    expect(config).toContain('\\"leadTimeSeconds\\":300');
  });

  it('tracks RequiredCapacityPerTask at 1 under a predictor that writes floors, the floors being the margin', () => {
    const { template, config, scaling } = queueUnderPredictor(PredictorMode.FORECAST_AND_SCALE);
    template.hasResourceProperties('AWS::ApplicationAutoScaling::ScalingPolicy', {
      PolicyType: 'TargetTrackingScaling',
      TargetTrackingScalingPolicyConfiguration: Match.objectLike({ TargetValue: 1 }),
    });
    expect(config).toContain('\\"reactiveTarget\\":1');
    expect(scaling.signalTarget).toBe(1);
  });

  it('keeps a targetUtilization the user set, under floors too', () => {
    const { template, config } = queueUnderPredictor(PredictorMode.FORECAST_AND_SCALE, { targetUtilization: 0.8 });
    template.hasResourceProperties('AWS::ApplicationAutoScaling::ScalingPolicy', {
      TargetTrackingScalingPolicyConfiguration: Match.objectLike({ TargetValue: 0.8 }),
    });
    expect(config).toContain('\\"reactiveTarget\\":0.8');
  });

  it('plans with a pinned quantile as given, without replaying for floor settings', () => {
    const { config } = queueUnderPredictor(PredictorMode.FORECAST_AND_SCALE, {}, { quantile: 'p90' });
    expect(config).toContain('\\"quantile\\":\\"p90\\"');
    expect(config).not.toContain('floorTuning');
  });

  it('derives minCapacity and maxCapacity from the scalable target it is given', () => {
    const config = JSON.stringify(predictorConfigOf(template));
    expect(config).toContain('\\"minCapacity\\":1');
    expect(config).toContain('\\"maxCapacity\\":40');
  });

  it('rejects a load statistic GetMetricData would reject, naming the prop (break 5)', () => {
    const { stack } = predictedStack();
    const predictor = new PredictiveScaling(stack, 'BadStatistic', { mode: PredictorMode.FORECAST_AND_SCALE });
    const scalableTarget = new appscaling.ScalableTarget(stack, 'Other', {
      serviceNamespace: appscaling.ServiceNamespace.ECS,
      resourceId: 'service/main/other',
      scalableDimension: 'ecs:service:DesiredCount',
      minCapacity: 1,
      maxCapacity: 3,
    });
    const load = [new cloudwatch.Metric({ namespace: 'AWS/SQS', metricName: 'NumberOfMessagesSent', statistic: 'p99.9x' })];
    expect(() => predictor.addTarget({ workload: 'other', scalableTarget, load, unitThroughput: 1 })).toThrow(
      /load\[0\]\.statistic \("p99\.9x"\) is not a statistic GetMetricData accepts/,
    );
  });

  it('rejects a reserved AWS/ namespace for its metrics', () => {
    const { stack } = predictedStack();
    expect(() => new PredictiveScaling(stack, 'Reserved', { namespace: 'AWS/Headroom' })).toThrow(
      /PredictiveScaling: namespace must not start with "AWS\/"/,
    );
  });

  it.each(['s', 'hr-', 'headroom'])('rejects the action prefix %j, which could claim the user’s own actions', (actionPrefix) => {
    const { stack } = predictedStack();
    expect(() => new PredictiveScaling(stack, 'Short', { actionPrefix })).toThrow(
      /PredictiveScaling: actionPrefix must be 4-32 letters, digits, _ or - ending in "-"/,
    );
  });

  describe('addTarget', () => {
    const load = [new cloudwatch.Metric({ namespace: 'Jobs', metricName: 'Arrivals' })];
    function twoTargets() {
      const { stack, target } = predictedStack();
      const other = new appscaling.ScalableTarget(stack, 'Other', {
        serviceNamespace: appscaling.ServiceNamespace.ECS,
        resourceId: 'service/main/other',
        scalableDimension: 'ecs:service:DesiredCount',
        minCapacity: 5,
        maxCapacity: 30,
      });
      return { stack, target, other, predictor: new PredictiveScaling(stack, 'Another') };
    }

    it('rejects a second target with the same workload', () => {
      const { other, predictor } = twoTargets();
      const third = new appscaling.ScalableTarget(predictor, 'Third', {
        serviceNamespace: appscaling.ServiceNamespace.ECS,
        resourceId: 'service/main/third',
        scalableDimension: 'ecs:service:DesiredCount',
        minCapacity: 1,
        maxCapacity: 3,
      });
      predictor.addTarget({ workload: 'w', scalableTarget: other, load, unitThroughput: 1 });
      expect(() => predictor.addTarget({ workload: 'w', scalableTarget: third, load, unitThroughput: 1 })).toThrow(/workload "w" is already managed/);
    });

    it('rejects a scalable target another predictor of the app already manages, naming both workloads', () => {
      const { target, predictor } = twoTargets();
      expect(() => predictor.addTarget({ workload: 'payments', scalableTarget: target, load, unitThroughput: 1 })).toThrow(
        /addTarget\(payments\): scalableTarget \(Predicted\/Scaling\/Target\) is already managed by workload "orders" of Predicted\/Predictor; workload "payments" would overwrite/,
      );
    });

    it('rejects a scalable target added twice to one predictor under two workloads', () => {
      const { other, predictor } = twoTargets();
      predictor.addTarget({ workload: 'a', scalableTarget: other, load, unitThroughput: 1 });
      expect(() => predictor.addTarget({ workload: 'b', scalableTarget: other, load, unitThroughput: 1 })).toThrow(/already managed by workload "a"/);
    });

    it('rejects a second ScalableTarget construct for the same resource in another stack of the app, under another predictor', () => {
      const { stack, other } = twoTargets();
      const first = new PredictiveScaling(stack, 'First');
      first.addTarget({ workload: 'w', scalableTarget: other, load, unitThroughput: 1 });
      const elsewhere = new Stack(stack.node.root as Construct, 'Elsewhere');
      const twin = new appscaling.ScalableTarget(elsewhere, 'Twin', {
        serviceNamespace: appscaling.ServiceNamespace.ECS,
        resourceId: 'service/main/other',
        scalableDimension: 'ecs:service:DesiredCount',
        minCapacity: 5,
        maxCapacity: 30,
      });
      const second = new PredictiveScaling(elsewhere, 'Second');
      expect(() => second.addTarget({ workload: 'w', scalableTarget: twin, load, unitThroughput: 1 })).toThrow(
        /scalableTarget \(Elsewhere\/Twin, resource service\/main\/other\) is already managed by workload "w" of Predicted\/First through Predicted\/Other/,
      );
    });

    it('rejects a minCapacity below the scalable target’s, which would lower it', () => {
      const { other, predictor } = twoTargets();
      expect(() => predictor.addTarget({ workload: 'w', scalableTarget: other, load, unitThroughput: 1, minCapacity: 1 })).toThrow(
        /minCapacity \(1\) is below the scalable target's minCapacity \(5\): the predictor never lowers it\. Leave minCapacity unset, or set it to at least 5\./,
      );
    });

    it('rejects a maxCapacity above the scalable target’s', () => {
      const { other, predictor } = twoTargets();
      expect(() => predictor.addTarget({ workload: 'w', scalableTarget: other, load, unitThroughput: 1, maxCapacity: 31 })).toThrow(
        /maxCapacity \(31\) is above the scalable target's maxCapacity \(30\)/,
      );
    });

    it.each([
      [{ unitThroughput: Number.POSITIVE_INFINITY }, /addTarget\(w\): unitThroughput must be a positive, finite number/],
      [{ unitThroughput: 0 }, /addTarget\(w\): unitThroughput must be a positive, finite number/],
      [{ workload: '' }, /addTarget\(\): workload must be a non-empty string/],
      [{ quantile: 'p75' }, /addTarget\(w\): quantile must be one of p50, p90, p99, got "p75"/],
      [{ targetUtilization: 1.5 }, /addTarget\(w\): targetUtilization must be in \(0, 1\]/],
      [{ actionBudget: 1 }, /addTarget\(w\): actionBudget must be a whole number from 2 to 200/],
      [{ timeZone: 'Europe/Atlantis' }, /addTarget\(w\): timeZone must be an IANA time zone/],
    ])('rejects %j with the handler’s own validation, naming the prop', (override, message) => {
      const { other, predictor } = twoTargets();
      expect(() => predictor.addTarget({ workload: 'w', scalableTarget: other, load, unitThroughput: 1, ...(override as object) })).toThrow(message);
    });

    it.each([
      [{ account: '999999999999' }, /load\[0\]\.account \(999999999999\) is not the predictor's own account/],
      [{ region: 'eu-west-3' }, /load\[0\]\.region \(eu-west-3\) is not the predictor's own region/],
    ])('rejects a load metric with %j, which GetMetricData would silently read elsewhere', (where, message) => {
      const { other, predictor } = twoTargets();
      const metric = new cloudwatch.Metric({ namespace: 'Jobs', metricName: 'Arrivals', ...where });
      expect(() => predictor.addTarget({ workload: 'w', scalableTarget: other, load: [metric], unitThroughput: 1 })).toThrow(message);
    });

    it('rejects a target outside ECS and DynamoDB', () => {
      const { stack, predictor } = twoTargets();
      const lambdaTarget = new appscaling.ScalableTarget(stack, 'Concurrency', {
        serviceNamespace: appscaling.ServiceNamespace.LAMBDA,
        resourceId: 'function:f:live',
        scalableDimension: 'lambda:function:ProvisionedConcurrency',
        minCapacity: 0,
        maxCapacity: 5,
      });
      expect(() => predictor.addTarget({ workload: 'l', scalableTarget: lambdaTarget, load, unitThroughput: 1 })).toThrow(
        /scalableTarget is in the lambda namespace/,
      );
    });
  });
});

describe('NativePredictiveScaling', () => {
  it('declares AWS’s own predictive scaling policy for an ECS service, forecast only by default', () => {
    const stack = new Stack(nagCheckedApp(), 'Native');
    const { service, queue } = fargateWorker(stack);
    const scaling = new QueueScaledService(stack, 'Scaling', {
      service,
      queue,
      acceptableLatency: Duration.minutes(5),
      timePerMessage: Duration.seconds(2),
      maxCapacity: 10,
    });
    new NativePredictiveScaling(stack, 'Native', { scalableTarget: scaling.scalableTarget, targetValue: 60 });
    checkedTemplate(stack).hasResourceProperties('AWS::ApplicationAutoScaling::ScalingPolicy', {
      PolicyType: 'PredictiveScaling',
      PredictiveScalingPolicyConfiguration: {
        Mode: 'ForecastOnly',
        SchedulingBufferTime: 300,
        MetricSpecifications: [{ TargetValue: 60, PredefinedMetricPairSpecification: { PredefinedMetricType: 'ECSServiceCPUUtilization' } }],
      },
    });
  });

  function nativeStack() {
    const stack = new Stack(nagCheckedApp(), 'NativeChecks');
    const { service, queue } = fargateWorker(stack);
    const scaling = new QueueScaledService(stack, 'Scaling', {
      service,
      queue,
      acceptableLatency: Duration.minutes(5),
      timePerMessage: Duration.seconds(2),
      maxCapacity: 10,
    });
    return { stack, target: scaling.scalableTarget };
  }

  it('rejects a scalable target outside ECS, naming the alternative', () => {
    const { stack } = nativeStack();
    const table = new appscaling.ScalableTarget(stack, 'Table', {
      serviceNamespace: appscaling.ServiceNamespace.DYNAMODB,
      resourceId: 'table/t',
      scalableDimension: 'dynamodb:table:ReadCapacityUnits',
      minCapacity: 1,
      maxCapacity: 5,
    });
    expect(() => new NativePredictiveScaling(stack, 'N', { scalableTarget: table, targetValue: 60 })).toThrow(
      /NativePredictiveScaling: scalableTarget is in the dynamodb namespace: .* ECS services only\. .*use PredictiveScaling/,
    );
  });

  it('requires resourceLabel with ALBRequestCount', () => {
    const { stack, target } = nativeStack();
    expect(() => new NativePredictiveScaling(stack, 'N', { scalableTarget: target, targetValue: 500, metric: 'ALBRequestCount' })).toThrow(
      /NativePredictiveScaling: resourceLabel is required with ALBRequestCount/,
    );
  });

  it('passes the resource label of ALBRequestCount through, with a target in requests per target', () => {
    const { stack, target } = nativeStack();
    const resourceLabel = 'app/web/50dc6c495c0c9188/targetgroup/workers/6d0ecf831eec9f09';
    new NativePredictiveScaling(stack, 'N', { scalableTarget: target, targetValue: 500, metric: 'ALBRequestCount', resourceLabel });
    checkedTemplate(stack).hasResourceProperties('AWS::ApplicationAutoScaling::ScalingPolicy', {
      PredictiveScalingPolicyConfiguration: {
        MetricSpecifications: [
          { TargetValue: 500, PredefinedMetricPairSpecification: { PredefinedMetricType: 'ALBRequestCount', ResourceLabel: resourceLabel } },
        ],
      },
    });
  });
});

// The predictor may write only on targets tagged headroom:managed=true; a tag that does not reach the target is
// AccessDenied at run time, so it is refused at synth.
describe('PredictiveScaling and the tag its IAM policy is scoped to', () => {
  it('orders the predictor function after the scalable target, so the tag is written before the predictor uses it', () => {
    const { stack } = predictedStack();
    const template = Template.fromStack(stack);
    const [targetId] = Object.keys(template.findResources('AWS::ApplicationAutoScaling::ScalableTarget'));
    const functions = template.findResources('AWS::Lambda::Function', { Properties: { Description: Match.stringLikeRegexp('forecasts load') } });
    expect(Object.values(functions)[0]!.DependsOn).toContain(targetId);
  });

  it('fails at synth when the tag is removed from the target, naming the target and the fix', () => {
    const { stack, target } = predictedStack();
    Tags.of(target).remove('headroom:managed');
    expect(() => (stack.node.root as App).synth()).toThrow(
      /synthesized without the tag headroom:managed=true .* PutScheduledAction would be denied at run time\. Let the tag through/,
    );
  });

  it('refuses a scalable target the app does not deploy, which it cannot tag', () => {
    const { stack } = predictedStack();
    const imported = appscaling.ScalableTarget.fromScalableTargetId(stack, 'Imported', 'service/cluster/legacy|ecs:service:DesiredCount|ecs');
    const predictor = new PredictiveScaling(stack, 'Second');
    expect(() =>
      predictor.addTarget({
        workload: 'legacy',
        scalableTarget: imported as appscaling.ScalableTarget,
        load: [new cloudwatch.Metric({ namespace: 'AWS/SQS', metricName: 'NumberOfMessagesSent', statistic: 'Sum' })],
        unitThroughput: 1,
      }),
    ).toThrow(/scalableTarget .* is not a scalable target this app deploys .*AccessDenied on PutScheduledAction\)\. Declare the target in this app/);
  });
});

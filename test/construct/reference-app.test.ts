import { App, Token } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { ReferenceWebStack } from '../../stacks/reference-app/reference-web-stack.ts';
import { ReferenceStack } from '../../stacks/reference-app/reference-stack.ts';
import { predictorConfigText } from '../support/deployed-config.ts';
import { checkedTemplate, nagCheckedApp } from '../support/template-checks.ts';

describe('the reference app', () => {
  const template = checkedTemplate(new ReferenceStack(nagCheckedApp(), 'HeadroomReference'));

  it('synthesizes with no AWS account or region', () => {
    const stack = new ReferenceStack(new App(), 'Unbound');
    expect(Token.isUnresolved(stack.account)).toBe(true);
    expect(Template.fromStack(stack).findResources('AWS::ECS::Service')).not.toEqual({});
  });

  it('scales the Fargate worker on required capacity per task, at 1 under the floors its predictor writes, and drives the Lambda consumer from its queue', () => {
    template.resourceCountIs('AWS::ECS::Service', 1);
    template.hasResourceProperties('AWS::ApplicationAutoScaling::ScalingPolicy', {
      TargetTrackingScalingPolicyConfiguration: { TargetValue: 1, CustomizedMetricSpecification: { MetricName: 'RequiredCapacityPerTask' } },
    });
    template.hasResourceProperties('AWS::Lambda::EventSourceMapping', { FunctionResponseTypes: ['ReportBatchItemFailures'] });
  });
});

describe('the reference app’s overview dashboard', () => {
  it('shows both workloads’ health and capacity on one dashboard', () => {
    const template = Template.fromStack(new ReferenceStack(new App(), 'Overview'));
    const overview = Object.values(
      template.findResources('AWS::CloudWatch::Dashboard', {
        Properties: { DashboardName: { 'Fn::Join': ['', ['headroom-overview-Overview-', { Ref: 'AWS::Region' }]] } },
      }),
    );
    expect(overview).toHaveLength(1);
    const body = JSON.stringify(overview[0]!.Properties.DashboardBody);
    expect(body).toContain('Workload health');
    expect(body).toContain('reference-worker: capacity');
    expect(body).toContain('reference-consumer: capacity');
  });
});

describe('the reference app’s web service', () => {
  const template = checkedTemplate(new ReferenceWebStack(nagCheckedApp(), 'HeadroomReferenceWeb'));

  it('scales the service behind its load balancer on the tasks its requests need, with the p99 latency guard', () => {
    template.hasResourceProperties('AWS::ApplicationAutoScaling::ScalingPolicy', {
      TargetTrackingScalingPolicyConfiguration: Match.objectLike({
        CustomizedMetricSpecification: {
          Metrics: Match.arrayWith([
            Match.objectLike({ Id: 'signal', Expression: Match.stringLikeRegexp('/ MAX\\(\\[FILL\\(running, 0\\), FILL\\(healthy, 0\\), 1\\]\\)$') }),
          ]),
        },
      }),
    });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', { MetricName: 'TargetResponseTime', ExtendedStatistic: 'p99' });
  });

  it('pages on its error budget through composite burn-rate alarms', () => {
    expect(Object.keys(template.findResources('AWS::CloudWatch::CompositeAlarm')).length).toBeGreaterThanOrEqual(2);
  });

  it('forecasts its request count without writing floors (forecastOnly)', () => {
    expect(predictorConfigText(template)).toContain('\\"mode\\":\\"forecastOnly\\"');
  });
});

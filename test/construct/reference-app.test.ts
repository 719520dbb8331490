import { App, Token } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { ReferenceStack } from '../../stacks/reference-app/reference-stack.ts';
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
    const overview = Object.values(template.findResources('AWS::CloudWatch::Dashboard', { Properties: { DashboardName: 'headroom-overview' } }));
    expect(overview).toHaveLength(1);
    const body = JSON.stringify(overview[0]!.Properties.DashboardBody);
    expect(body).toContain('Workload health');
    expect(body).toContain('reference-worker: capacity');
    expect(body).toContain('reference-consumer: capacity');
  });
});

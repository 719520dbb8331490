import { Duration, Stack } from 'aws-cdk-lib';
import { Match } from 'aws-cdk-lib/assertions';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import { describe, expect, it } from 'vitest';
import { PredictiveScaling, TableScaling, type TableScalingProps } from '../../stacks/index.ts';
import { checkedTemplate, nagCheckedApp } from '../support/template-checks.ts';

function tableStack(props: Omit<TableScalingProps, 'table'>): Stack {
  const stack = new Stack(nagCheckedApp(), 'Tables');
  const table = new dynamodb.Table(stack, 'Sessions', {
    partitionKey: { name: 'pk', type: dynamodb.AttributeType.STRING },
    billingMode: dynamodb.BillingMode.PROVISIONED,
    pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
  });
  table.addGlobalSecondaryIndex({ indexName: 'byUser', partitionKey: { name: 'user', type: dynamodb.AttributeType.STRING } });
  const scaling = new TableScaling(stack, 'Scaling', { table, ...props });
  if (scaling.readTarget) {
    new PredictiveScaling(stack, 'Predictor').addTarget({
      workload: 'sessions-read',
      scalableTarget: scaling.readTarget,
      load: [table.metricConsumedReadCapacityUnits({ statistic: 'Sum', period: Duration.hours(1) })],
      unitThroughput: 1,
    });
  }
  return stack;
}

describe('TableScaling', () => {
  const template = checkedTemplate(tableStack({ read: { min: 5, max: 500 }, write: { min: 5, max: 100, targetUtilizationPercent: 60 }, globalSecondaryIndexes: { byUser: { read: { min: 5, max: 200 } } } }));

  it('tracks 70% read utilization by default, and the write target given', () => {
    template.hasResourceProperties('AWS::ApplicationAutoScaling::ScalingPolicy', {
      TargetTrackingScalingPolicyConfiguration: { TargetValue: 70, ScaleInCooldown: 900, PredefinedMetricSpecification: { PredefinedMetricType: 'DynamoDBReadCapacityUtilization' } },
    });
    template.hasResourceProperties('AWS::ApplicationAutoScaling::ScalingPolicy', {
      TargetTrackingScalingPolicyConfiguration: { TargetValue: 60, PredefinedMetricSpecification: { PredefinedMetricType: 'DynamoDBWriteCapacityUtilization' } },
    });
  });

  it('scales a global secondary index on its own resource id', () => {
    template.hasResourceProperties('AWS::ApplicationAutoScaling::ScalableTarget', {
      ScalableDimension: 'dynamodb:index:ReadCapacityUnits',
      MinCapacity: 5,
      MaxCapacity: 200,
      ResourceId: { 'Fn::Join': ['', ['table/', { Ref: Match.stringLikeRegexp('^Sessions') }, '/index/byUser']] },
    });
  });

  it('lets the predictor manage the table’s read capacity', () => {
    template.hasResourceProperties('AWS::ApplicationAutoScaling::ScalableTarget', { ScalableDimension: 'dynamodb:table:ReadCapacityUnits', Tags: [{ Key: 'headroom:managed', Value: 'true' }] });
  });

  it('rejects a utilization target DynamoDB does not accept, and a max below the min', () => {
    expect(() => tableStack({ read: { min: 5, max: 50, targetUtilizationPercent: 95 } })).toThrow(/read.targetUtilizationPercent must be between 20 and 90, got 95/);
    expect(() => tableStack({ write: { min: 10, max: 5 } })).toThrow(/write.max must be a whole number >= 10, got 5/);
  });
});

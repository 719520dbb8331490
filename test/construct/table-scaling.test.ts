import { App, CfnParameter, Duration, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
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
  const template = checkedTemplate(
    tableStack({
      read: { min: 5, max: 500 },
      write: { min: 5, max: 100, targetUtilizationPercent: 60 },
      globalSecondaryIndexes: { byUser: { read: { min: 5, max: 200 } } },
    }),
  );

  it('tracks 70% read utilization by default, and the write target given', () => {
    template.hasResourceProperties('AWS::ApplicationAutoScaling::ScalingPolicy', {
      TargetTrackingScalingPolicyConfiguration: {
        TargetValue: 70,
        ScaleInCooldown: 900,
        PredefinedMetricSpecification: { PredefinedMetricType: 'DynamoDBReadCapacityUtilization' },
      },
    });
    template.hasResourceProperties('AWS::ApplicationAutoScaling::ScalingPolicy', {
      TargetTrackingScalingPolicyConfiguration: {
        TargetValue: 60,
        PredefinedMetricSpecification: { PredefinedMetricType: 'DynamoDBWriteCapacityUtilization' },
      },
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
    template.hasResourceProperties('AWS::ApplicationAutoScaling::ScalableTarget', {
      ScalableDimension: 'dynamodb:table:ReadCapacityUnits',
      Tags: [{ Key: 'headroom:managed', Value: 'true' }],
    });
  });

  it('rejects a utilization target DynamoDB does not accept, and a max below the min', () => {
    expect(() => tableStack({ read: { min: 5, max: 50, targetUtilizationPercent: 95 } })).toThrow(
      /read.targetUtilizationPercent must be between 20 and 90, got 95/,
    );
    expect(() => tableStack({ write: { min: 10, max: 5 } })).toThrow(/write.max must be a whole number >= write.min \(10\), got 5/);
  });
});

function bareTable(stack: Stack, billingMode: dynamodb.BillingMode): dynamodb.Table {
  return new dynamodb.Table(stack, 'Sessions', { partitionKey: { name: 'pk', type: dynamodb.AttributeType.STRING }, billingMode });
}

describe('TableScaling rejects, naming the prop and the fix', () => {
  it('an on-demand (PAY_PER_REQUEST) table, which has no capacity to scale', () => {
    const app = new App();
    const stack = new Stack(app, 'OnDemand');
    new TableScaling(stack, 'Scaling', { table: bareTable(stack, dynamodb.BillingMode.PAY_PER_REQUEST), read: { min: 5, max: 50 } });
    expect(() => app.synth()).toThrow(
      /TableScaling: table OnDemand\/Sessions is PAY_PER_REQUEST \(on demand\).*billingMode: dynamodb.BillingMode.PROVISIONED/,
    );
  });

  it('an index the table does not have, listing those it has', () => {
    const app = new App();
    const stack = new Stack(app, 'NoIndex');
    const table = bareTable(stack, dynamodb.BillingMode.PROVISIONED);
    table.addGlobalSecondaryIndex({ indexName: 'byUser', partitionKey: { name: 'user', type: dynamodb.AttributeType.STRING } });
    new TableScaling(stack, 'Scaling', { table, globalSecondaryIndexes: { byUsr: { read: { min: 1, max: 10 } } } });
    expect(() => app.synth()).toThrow(
      /globalSecondaryIndexes names "byUsr", which is not a global secondary index of NoIndex\/Sessions \(it has byUser\)/,
    );
  });

  it('a local secondary index, which shares the table’s capacity', () => {
    const app = new App();
    const stack = new Stack(app, 'Local');
    const table = new dynamodb.Table(stack, 'Sessions', {
      partitionKey: { name: 'pk', type: dynamodb.AttributeType.STRING },
      sortKey: { name: 'sk', type: dynamodb.AttributeType.STRING },
      billingMode: dynamodb.BillingMode.PROVISIONED,
    });
    table.addLocalSecondaryIndex({ indexName: 'byDate', sortKey: { name: 'date', type: dynamodb.AttributeType.STRING } });
    new TableScaling(stack, 'Scaling', { table, globalSecondaryIndexes: { byDate: { read: { min: 1, max: 10 } } } });
    expect(() => app.synth()).toThrow(/"byDate", which is not a global secondary index of Local\/Sessions \(it has none\)/);
  });

  it('a token max against a plain min, which cannot be compared', () => {
    const stack = new Stack(new App(), 'Token');
    const max = new CfnParameter(stack, 'Max', { type: 'Number' }).valueAsNumber;
    expect(() => new TableScaling(stack, 'Scaling', { table: bareTable(stack, dynamodb.BillingMode.PROVISIONED), read: { min: 5, max } })).toThrow(
      /read.max is a token .* it must be compared with read.min; make both tokens, or neither/,
    );
  });

  it('a cooldown that is not whole seconds', () => {
    const stack = new Stack(new App(), 'Cooldown');
    expect(
      () =>
        new TableScaling(stack, 'Scaling', {
          table: bareTable(stack, dynamodb.BillingMode.PROVISIONED),
          read: { min: 5, max: 50 },
          scaleInCooldown: Duration.millis(2500),
        }),
    ).toThrow(/TableScaling: scaleInCooldown \(2.5 seconds\) is not a whole number of seconds/);
  });
});

describe('TableScaling with tokens', () => {
  it('passes token min and max through to the scalable target', () => {
    const stack = new Stack(new App(), 'Tokens');
    const min = new CfnParameter(stack, 'Min', { type: 'Number' }).valueAsNumber;
    const max = new CfnParameter(stack, 'Max', { type: 'Number' }).valueAsNumber;
    new TableScaling(stack, 'Scaling', { table: bareTable(stack, dynamodb.BillingMode.PROVISIONED), write: { min, max } });
    Template.fromStack(stack).hasResourceProperties('AWS::ApplicationAutoScaling::ScalableTarget', {
      MinCapacity: { Ref: 'Min' },
      MaxCapacity: { Ref: 'Max' },
    });
  });

  it('uses no deprecated aws-cdk-lib API (synth fails on one with JSII_DEPRECATED=fail)', () => {
    const previous = process.env.JSII_DEPRECATED;
    process.env.JSII_DEPRECATED = 'fail';
    try {
      const stack = new Stack(new App(), 'NotDeprecated');
      expect(
        () =>
          new TableScaling(stack, 'Scaling', {
            table: bareTable(stack, dynamodb.BillingMode.PROVISIONED),
            read: { min: 5, max: 50 },
            write: { min: 5, max: 50 },
          }),
      ).not.toThrow();
    } finally {
      if (previous === undefined) delete process.env.JSII_DEPRECATED;
      else process.env.JSII_DEPRECATED = previous;
    }
  });
});

import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import type * as ecs from 'aws-cdk-lib/aws-ecs';
import type * as lambda from 'aws-cdk-lib/aws-lambda';

/** What holds a workload's capacity, and the walls it scales between. */
export type WorkloadCapacity =
  | { readonly kind: 'ecs'; readonly service: ecs.BaseService; readonly minCapacity: number; readonly maxCapacity: number }
  | { readonly kind: 'lambda'; readonly function: lambda.IFunction; readonly maxConcurrency: number }
  | { readonly kind: 'dynamodb'; readonly table: dynamodb.ITable; readonly maxCapacity: number; readonly capacity: 'read' | 'write' };

const MINUTE = Duration.minutes(1);

/** The capacity the workload actually has (running tasks, concurrency, provisioned units); unlabelled, so alarms keep the plain metric form. */
export function metricCurrentCapacity(capacity: WorkloadCapacity): cloudwatch.Metric {
  switch (capacity.kind) {
    case 'ecs':
      return containerInsights(capacity.service, 'RunningTaskCount');
    case 'lambda':
      return capacity.function.metric('ConcurrentExecutions', { statistic: 'Maximum', period: MINUTE });
    case 'dynamodb':
      return dynamoMetric(capacity.table, capacity.capacity === 'read' ? 'ProvisionedReadCapacityUnits' : 'ProvisionedWriteCapacityUnits');
  }
}

/** What the autoscaler asked for, where the service reports it. */
export function metricRequestedCapacity(capacity: WorkloadCapacity): cloudwatch.IMetric | undefined {
  return capacity.kind === 'ecs' ? containerInsights(capacity.service, 'DesiredTaskCount', 'Desired tasks') : undefined;
}

/** The load a DynamoDB table consumed, next to what was provisioned. */
export function metricConsumedCapacity(capacity: WorkloadCapacity): cloudwatch.IMetric | undefined {
  if (capacity.kind !== 'dynamodb') return undefined;
  const name = capacity.capacity === 'read' ? 'ConsumedReadCapacityUnits' : 'ConsumedWriteCapacityUnits';
  // Consumed units are summed per period; per second is what provisioned capacity is measured in.
  return new cloudwatch.MathExpression({
    expression: 'consumed / PERIOD(consumed)',
    usingMetrics: { consumed: dynamoMetric(capacity.table, name, 'Sum') },
    label: 'Consumed per second',
    period: MINUTE,
  });
}

export function maxCapacityOf(capacity: WorkloadCapacity): number {
  return capacity.kind === 'lambda' ? capacity.maxConcurrency : capacity.maxCapacity;
}

function containerInsights(service: ecs.BaseService, metricName: string, label?: string): cloudwatch.Metric {
  return new cloudwatch.Metric({
    namespace: 'ECS/ContainerInsights',
    metricName,
    dimensionsMap: { ClusterName: service.cluster.clusterName, ServiceName: service.serviceName },
    statistic: 'Average',
    period: MINUTE,
    label,
  });
}

function dynamoMetric(table: dynamodb.ITable, metricName: string, statistic = 'Average'): cloudwatch.Metric {
  return new cloudwatch.Metric({
    namespace: 'AWS/DynamoDB',
    metricName,
    dimensionsMap: { TableName: table.tableName },
    statistic,
    period: MINUTE,
  });
}

/** CPU and memory utilization of an ECS service (AWS/ECS, average and busiest task): what a task count cannot show. */
export function ecsUtilizationWidgets(service: ecs.BaseService): cloudwatch.GraphWidget[] {
  const dimensionsMap = { ClusterName: service.cluster.clusterName, ServiceName: service.serviceName };
  return (['CPUUtilization', 'MemoryUtilization'] as const).map(
    (metricName) =>
      new cloudwatch.GraphWidget({
        title: `${metricName === 'CPUUtilization' ? 'CPU' : 'Memory'} utilization (%)`,
        width: 12,
        left: (['Average', 'Maximum'] as const).map(
          (statistic) => new cloudwatch.Metric({ namespace: 'AWS/ECS', metricName, dimensionsMap, statistic, period: MINUTE, label: statistic }),
        ),
        leftYAxis: { min: 0, max: 100 },
      }),
  );
}

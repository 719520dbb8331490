// A provisioned DynamoDB table whose read capacity tracks 70% utilization, with headroom's predictor raising
// its floor ahead of the daily peak (forecast only until you switch the mode).
import { App, Duration, Stack, type StackProps } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import type { Construct } from 'constructs';
import { PredictiveScaling, PredictorMode, TableScaling, WorkloadDashboard } from 'cdk-headroom';

export class DynamoDbPredictiveFloorsStack extends Stack {
  constructor(scope: Construct, id: string, props?: StackProps) {
    super(scope, id, props);
    const table = new dynamodb.Table(this, 'Sessions', {
      partitionKey: { name: 'sessionId', type: dynamodb.AttributeType.STRING },
      billingMode: dynamodb.BillingMode.PROVISIONED,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
    });
    const scaling = new TableScaling(this, 'Scaling', { table, read: { min: 5, max: 2000 }, write: { min: 5, max: 500 } });

    const predictor = new PredictiveScaling(this, 'Predictor', { mode: PredictorMode.FORECAST_ONLY });
    predictor.addTarget({
      workload: 'sessions-read',
      scalableTarget: scaling.readTarget!,
      // The load is what the table consumed; one read capacity unit serves one strongly consistent 4 KB read a second.
      load: [table.metricConsumedReadCapacityUnits({ statistic: 'Sum', period: Duration.hours(1) })],
      unitThroughput: 1,
    });
    new WorkloadDashboard(this, 'Dashboard', {
      workload: 'sessions-read',
      capacity: { kind: 'dynamodb', table, maxCapacity: 2000, capacity: 'read' },
      predictor: { interval: predictor.interval },
    });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  new DynamoDbPredictiveFloorsStack(new App(), 'DynamoDbPredictiveFloors');
}

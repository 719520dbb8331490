// A Lambda consumer of an SQS queue: your handler (./handler.ts) bundled by NodejsFunction with your settings,
// wired by headroom to its queue, dead-letter queue, idempotency table, alarms and dashboard.
import { fileURLToPath } from 'node:url';
import { App, Duration, Stack, type StackProps } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import type { Construct } from 'constructs';
import { AlarmTopic, QueueConsumerFunction } from 'cdk-headroom';

export class LambdaQueueConsumerStack extends Stack {
  constructor(scope: Construct, id: string, props?: StackProps) {
    super(scope, id, props);
    const alarms = new AlarmTopic(this, 'Alarms');
    const consumer = new QueueConsumerFunction(this, 'Orders', {
      entry: fileURLToPath(new URL('./handler.ts', import.meta.url)),
      acceptableLatency: Duration.minutes(2), // the SLO the alarms hold the oldest message to
      runtime: lambda.Runtime.NODEJS_22_X,
      memorySize: 1024,
      timeout: Duration.seconds(30), // the queue's visibility timeout becomes 3 minutes (six times this)
      maxConcurrency: 20,
      idempotency: true,
      bundling: { minify: true, sourceMap: true },
      alarmTopic: alarms.topic,
      workload: 'orders',
    });
    consumer.addDashboard();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  new LambdaQueueConsumerStack(new App(), 'LambdaQueueConsumer');
}

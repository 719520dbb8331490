import { App, CfnParameter, Duration, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { describe, expect, it } from 'vitest';
import { QueueConsumerFunction, type QueueConsumerFunctionProps } from '../../stacks/index.ts';
import { demoWorkerEntry } from '../support/handler-entries.ts';
import { assertCfnLintClean, checkedTemplate, nagCheckedApp } from '../support/template-checks.ts';

function consumerStack(overrides: Partial<QueueConsumerFunctionProps> = {}): Stack {
  const stack = new Stack(nagCheckedApp(), 'Consumer');
  new QueueConsumerFunction(stack, 'Orders', {
    entry: demoWorkerEntry,
    acceptableLatency: Duration.minutes(2),
    ...overrides,
  });
  return stack;
}

describe('QueueConsumerFunction', () => {
  describe('by default', () => {
    const template = checkedTemplate(consumerStack({ timeout: Duration.seconds(20), maxConcurrency: 25, idempotency: true }));

    it('reports batch item failures and caps concurrency at maxConcurrency', () => {
      template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
        FunctionResponseTypes: ['ReportBatchItemFailures'],
        ScalingConfig: { MaximumConcurrency: 25 },
        BatchSize: 10,
      });
    });

    it('sets the visibility timeout to six times the function timeout', () => {
      template.hasResourceProperties('AWS::SQS::Queue', { VisibilityTimeout: 120, MessageRetentionPeriod: 345_600 });
      template.hasResourceProperties('AWS::Lambda::Function', { Timeout: 20, Runtime: 'nodejs22.x' });
    });

    it('moves a message to a DLQ that outlives the queue after five receives', () => {
      template.hasResourceProperties('AWS::SQS::Queue', {
        RedrivePolicy: { maxReceiveCount: 5, deadLetterTargetArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('DeadLetterQueue'), 'Arn'] } },
      });
      template.hasResourceProperties('AWS::SQS::Queue', { MessageRetentionPeriod: 1_209_600 });
    });

    it('encrypts both queues and refuses requests without SSL', () => {
      template.allResourcesProperties('AWS::SQS::Queue', { SqsManagedSseEnabled: true });
      template.resourcePropertiesCountIs(
        'AWS::SQS::QueuePolicy',
        { PolicyDocument: { Statement: [Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } })] } },
        2,
      );
    });

    it('lets the handler only get, put, update and delete idempotency records: what Powertools calls', () => {
      template.hasResourceProperties('AWS::IAM::Policy', {
        PolicyDocument: {
          Statement: Match.arrayWith([
            {
              Action: ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem'],
              Effect: 'Allow',
              Resource: [{ 'Fn::GetAtt': [Match.stringLikeRegexp('^OrdersIdempotencyTable'), 'Arn'] }],
            },
          ]),
        },
      });
      const actions = Object.values(template.findResources('AWS::IAM::Policy')).flatMap((policy) =>
        (policy.Properties.PolicyDocument.Statement as { Action: string | string[] }[]).flatMap((statement) => statement.Action),
      );
      expect(actions.filter((action) => action.startsWith('dynamodb:')).sort()).toEqual([
        'dynamodb:DeleteItem',
        'dynamodb:GetItem',
        'dynamodb:PutItem',
        'dynamodb:UpdateItem',
      ]);
    });

    it('bundles the entry with NodejsFunction’s own defaults, adding none of headroom’s', () => {
      template.hasResourceProperties('AWS::Lambda::Function', {
        Handler: 'index.handler',
        Architectures: ['arm64'],
        MemorySize: 512,
        Environment: { Variables: Match.objectLike({ NODE_OPTIONS: Match.absent() }) },
      });
    });

    it('gives the handler an idempotency table it may read and write', () => {
      template.hasResourceProperties('AWS::DynamoDB::Table', {
        KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
        TimeToLiveSpecification: { AttributeName: 'expiration', Enabled: true },
      });
      template.hasResourceProperties('AWS::Lambda::Function', {
        Environment: { Variables: Match.objectLike({ HEADROOM_IDEMPOTENCY_TABLE: Match.anyValue() }) },
      });
    });

    it('tells the consumer kit its workload and metrics namespace', () => {
      template.hasResourceProperties('AWS::Lambda::Function', {
        Environment: {
          Variables: Match.objectLike({ HEADROOM_WORKLOAD: Match.stringLikeRegexp('^Consumer-Orders'), POWERTOOLS_METRICS_NAMESPACE: 'Headroom' }),
        },
      });
    });

    it('alarms on the latency SLO and on a non-empty DLQ', () => {
      template.hasResourceProperties('AWS::CloudWatch::Alarm', { MetricName: 'ApproximateAgeOfOldestMessage', Threshold: 120 });
      template.hasResourceProperties('AWS::CloudWatch::Alarm', { MetricName: 'ApproximateNumberOfMessagesVisible', Threshold: 0 });
    });
  });

  describe('rejects at synth', () => {
    it('a visibility timeout under six function timeouts, with the minimum that works', () => {
      expect(() => consumerStack({ timeout: Duration.seconds(30), visibilityTimeout: Duration.seconds(60) })).toThrow(
        /visibilityTimeout \(1 minute\) is under six times the function timeout .* at least 180 seconds/,
      );
    });

    it('fewer than five receives before the DLQ', () => {
      expect(() => consumerStack({ maxReceiveCount: 2 })).toThrow(/maxReceiveCount must be a whole number between 5 and 1000, got 2/);
    });

    it('a DLQ retention no longer than the queue’s', () => {
      expect(() => consumerStack({ retentionPeriod: Duration.days(14), deadLetterRetentionPeriod: Duration.days(14) })).toThrow(
        /deadLetterRetentionPeriod .* must be longer than retentionPeriod/,
      );
    });

    it('a maximum concurrency below SQS’s minimum of 2', () => {
      expect(() => consumerStack({ maxConcurrency: 1 })).toThrow(/maxConcurrency must be a whole number between 2 and 1000, got 1/);
    });

    it('a batch size above 10 without a batching window', () => {
      expect(() => consumerStack({ batchSize: 100 })).toThrow(/batchSize \(100\) above 10 needs a batching window/);
    });
  });
});

function parameter(stack: Stack, name: string): CfnParameter {
  return new CfnParameter(stack, name, { type: 'Number' });
}

describe('QueueConsumerFunction with the Lambda options users expect', () => {
  it('takes runtime, architecture, memory, timeout, layers, environment and a VPC, and may then manage network interfaces', () => {
    const stack = new Stack(nagCheckedApp(), 'Options');
    const vpc = new ec2.Vpc(stack, 'Vpc', { maxAzs: 2, natGateways: 1, flowLogs: { all: { trafficType: ec2.FlowLogTrafficType.REJECT } } });
    const layer = lambda.LayerVersion.fromLayerVersionArn(stack, 'Layer', 'arn:aws:lambda:us-east-1:123456789012:layer:shared:3');
    new QueueConsumerFunction(stack, 'Orders', {
      entry: demoWorkerEntry,
      acceptableLatency: Duration.minutes(2),
      runtime: lambda.Runtime.NODEJS_24_X,
      architecture: lambda.Architecture.X86_64,
      memorySize: 1769,
      timeout: Duration.minutes(2),
      layers: [layer],
      vpc,
      environment: { DOWNSTREAM_URL: 'https://example.com' },
      bundling: { minify: true },
    });
    const template = checkedTemplate(stack);
    template.hasResourceProperties('AWS::Lambda::Function', {
      Runtime: 'nodejs24.x',
      Architectures: ['x86_64'],
      MemorySize: 1769,
      Timeout: 120,
      Layers: ['arn:aws:lambda:us-east-1:123456789012:layer:shared:3'],
      VpcConfig: { SubnetIds: Match.anyValue(), SecurityGroupIds: Match.anyValue() },
      Environment: { Variables: Match.objectLike({ DOWNSTREAM_URL: 'https://example.com', HEADROOM_WORKLOAD: Match.anyValue() }) },
    });
    template.hasResourceProperties('AWS::IAM::Role', {
      ManagedPolicyArns: [{ 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':iam::aws:policy/service-role/AWSLambdaVPCAccessExecutionRole']] }],
    });
    template.hasResourceProperties('AWS::SQS::Queue', { VisibilityTimeout: 720 });
  });

  it('wires the queue to your own function, reads its timeout and gives it the kit’s environment', () => {
    const stack = new Stack(new App(), 'OwnFunction');
    const own = new lambda.Function(stack, 'Mine', {
      runtime: lambda.Runtime.NODEJS_22_X,
      handler: 'index.handler',
      code: lambda.Code.fromInline('exports.handler = async () => ({ batchItemFailures: [] });'),
      timeout: Duration.seconds(40),
    });
    const consumer = new QueueConsumerFunction(stack, 'Orders', {
      function: own,
      acceptableLatency: Duration.minutes(2),
      idempotency: true,
      workload: 'orders',
    });
    expect(consumer.function).toBe(own);
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::SQS::Queue', { VisibilityTimeout: 240 });
    template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      FunctionName: { Ref: Match.stringLikeRegexp('^Mine') },
      FunctionResponseTypes: ['ReportBatchItemFailures'],
    });
    template.hasResourceProperties('AWS::Lambda::Function', {
      Timeout: 40,
      Environment: {
        Variables: {
          HEADROOM_WORKLOAD: 'orders',
          POWERTOOLS_METRICS_NAMESPACE: 'Headroom',
          HEADROOM_IDEMPOTENCY_TABLE: { Ref: Match.stringLikeRegexp('^OrdersIdempotencyTable') },
        },
      },
    });
    assertCfnLintClean(stack);
  });

  it('wires an imported function given its timeout', () => {
    const stack = new Stack(new App(), 'Imported');
    const imported = lambda.Function.fromFunctionArn(stack, 'Theirs', 'arn:aws:lambda:us-east-1:123456789012:function:orders');
    new QueueConsumerFunction(stack, 'Orders', { function: imported, timeout: Duration.seconds(50), acceptableLatency: Duration.minutes(2) });
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::SQS::Queue', { VisibilityTimeout: 300 });
    template.hasResourceProperties('AWS::Lambda::EventSourceMapping', { FunctionName: 'orders' });
  });

  it('makes FIFO queues on request, FIFO dead-letter queue included', () => {
    const stack = new Stack(nagCheckedApp(), 'Fifo');
    new QueueConsumerFunction(stack, 'Orders', { entry: demoWorkerEntry, acceptableLatency: Duration.minutes(2), fifo: true });
    const template = checkedTemplate(stack);
    const queues = Object.values(template.findResources('AWS::SQS::Queue'));
    expect(queues.map((queue) => queue.Properties.FifoQueue)).toEqual([true, true]);
  });

  it('passes a CfnParameter through to the template where it is only copied (maxConcurrency, memorySize)', () => {
    const stack = new Stack(new App(), 'Parameters');
    const consumer = new QueueConsumerFunction(stack, 'Orders', {
      entry: demoWorkerEntry,
      acceptableLatency: Duration.minutes(2),
      maxConcurrency: parameter(stack, 'Concurrency').valueAsNumber,
      memorySize: parameter(stack, 'Memory').valueAsNumber,
    });
    consumer.addDashboard();
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::Lambda::EventSourceMapping', { ScalingConfig: { MaximumConcurrency: { Ref: 'Concurrency' } } });
    template.hasResourceProperties('AWS::Lambda::Function', { MemorySize: { Ref: 'Memory' } });
    expect(JSON.stringify(template.toJSON())).not.toMatch(/e\+28\d|e\+29\d/);
  });

  it('takes a token timeout with an explicit visibilityTimeout', () => {
    const stack = new Stack(new App(), 'TokenTimeout');
    new QueueConsumerFunction(stack, 'Orders', {
      entry: demoWorkerEntry,
      acceptableLatency: Duration.minutes(2),
      timeout: Duration.seconds(parameter(stack, 'Timeout').valueAsNumber),
      visibilityTimeout: Duration.minutes(15),
    });
    Template.fromStack(stack).hasResourceProperties('AWS::Lambda::Function', { Timeout: { Ref: 'Timeout' } });
  });
});

describe('QueueConsumerFunction rejects at synth, naming the prop and the fix', () => {
  const cases: [string, () => Partial<QueueConsumerFunctionProps>, RegExp][] = [
    [
      'a timeout over Lambda’s 15 minutes',
      () => ({ timeout: Duration.minutes(16) }),
      /timeout \(16 minutes\) must be between 1 second and 15 minutes/,
    ],
    [
      'a timeout that is not whole seconds',
      () => ({ timeout: Duration.millis(1500) }),
      /timeout \(1.5 seconds\) is not a whole number of seconds.*Duration.seconds\(1\) or Duration.seconds\(2\)/,
    ],
    ['memory under 128 MiB', () => ({ memorySize: 64 }), /memorySize must be a whole number between 128 and 10240, got 64/],
    ['memory that is not a whole number of MiB', () => ({ memorySize: 600.5 }), /memorySize must be a whole number between 128 and 10240, got 600.5/],
    ['memory over 10240 MiB', () => ({ memorySize: 10_241 }), /memorySize must be a whole number between 128 and 10240, got 10241/],
    [
      'a FIFO batch over 10 records',
      () => ({ fifo: true, batchSize: 11, maxBatchingWindow: Duration.seconds(5) }),
      /batchSize must be a whole number between 1 and 10, got 11/,
    ],
    [
      'a batching window over 5 minutes',
      () => ({ batchSize: 100, maxBatchingWindow: Duration.minutes(6) }),
      /maxBatchingWindow \(6 minutes\) must be between 0 seconds and 5 minutes/,
    ],
    [
      'a visibility timeout over SQS’s 12 hours',
      () => ({ visibilityTimeout: Duration.hours(13) }),
      /visibilityTimeout \(13 hours\) must be between 0 seconds and 12 hours/,
    ],
    [
      'a retention period under SQS’s minute',
      () => ({ retentionPeriod: Duration.seconds(30) }),
      /retentionPeriod \(30 seconds\) must be between 1 minute and 14 days/,
    ],
    [
      'a retention period that is not whole seconds',
      () => ({ retentionPeriod: Duration.millis(90_500) }),
      /retentionPeriod \(90.5 seconds\) is not a whole number of seconds/,
    ],
    [
      'an SLO under one second (an alarm threshold of 0)',
      () => ({ acceptableLatency: Duration.millis(400) }),
      /acceptableLatency \(400 millis\) is under one second.*at least Duration.seconds\(1\)/,
    ],
    [
      'an SLO longer than the queue’s retention (SQS deletes the message first)',
      () => ({ retentionPeriod: Duration.hours(1), acceptableLatency: Duration.hours(2) }),
      /acceptableLatency \(2 hours\) is longer than the queue \(retentionPeriod\)'s message retention \(3600 seconds\)/,
    ],
    ['a runtime that is not Node.js', () => ({ runtime: lambda.Runtime.PYTHON_3_13 }), /runtime \(python3.13\) is not a Node.js runtime.*NODEJS_/],
    ['subnets without a VPC', () => ({ vpcSubnets: { subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS } }), /vpcSubnets is set without a vpc/],
    [
      'a workload CloudWatch cannot take as a dimension',
      () => ({ workload: 'Bestellungen-Köln' }),
      /workload "Bestellungen-Köln" cannot be a CloudWatch dimension value \(it contains "ö"/,
    ],
  ];
  for (const [name, props, message] of cases) {
    it(name, () => {
      expect(() => consumerStack(props())).toThrow(message);
    });
  }

  it('a token timeout with no visibilityTimeout, which is derived from it', () => {
    const stack = new Stack(new App(), 'TokenTimeout');
    expect(
      () =>
        new QueueConsumerFunction(stack, 'Orders', {
          entry: demoWorkerEntry,
          acceptableLatency: Duration.minutes(2),
          timeout: Duration.seconds(parameter(stack, 'Timeout').valueAsNumber),
        }),
    ).toThrow(
      /QueueConsumerFunction: timeout is a token .* cannot check or compute with at synth: the visibility timeout is derived from it .* give visibilityTimeout as well/,
    );
  });

  it('a token retention period, which must be compared with the DLQ’s', () => {
    const stack = new Stack(new App(), 'TokenRetention');
    expect(
      () =>
        new QueueConsumerFunction(stack, 'Orders', {
          entry: demoWorkerEntry,
          acceptableLatency: Duration.minutes(2),
          retentionPeriod: Duration.seconds(parameter(stack, 'Retention').valueAsNumber),
        }),
    ).toThrow(/retentionPeriod is a token .* it must be compared with deadLetterRetentionPeriod/);
  });

  const functionCases: [string, (stack: Stack) => Partial<QueueConsumerFunctionProps>, RegExp][] = [
    [
      'both an entry and a function',
      (stack) => ({ function: lambda.Function.fromFunctionName(stack, 'F', 'orders'), timeout: Duration.seconds(10) }),
      /entry and function are both set. Give entry .* or function .*, not both/,
    ],
    ['neither an entry nor a function', () => ({ entry: undefined }), /entry and function are both unset/],
    [
      'build options with your own function',
      (stack) => ({ entry: undefined, function: inlineFunction(stack), memorySize: 1024, layers: [] }),
      /memorySize, layers only configure the function headroom builds from entry. Set them on your own function instead/,
    ],
    [
      'a timeout beside your own lambda.Function',
      (stack) => ({ entry: undefined, function: inlineFunction(stack), timeout: Duration.seconds(10) }),
      /timeout is set with your own lambda.Function, whose timeout headroom reads/,
    ],
    [
      'an imported function without its timeout',
      (stack) => ({ entry: undefined, function: lambda.Function.fromFunctionName(stack, 'F', 'orders') }),
      /timeout is required with an imported function/,
    ],
    [
      'idempotency on an imported function',
      (stack) => ({
        entry: undefined,
        function: lambda.Function.fromFunctionName(stack, 'F', 'orders'),
        timeout: Duration.seconds(10),
        idempotency: true,
      }),
      /idempotency needs HEADROOM_IDEMPOTENCY_TABLE set on the function, which headroom cannot do on an imported function/,
    ],
    [
      'your own function whose timeout is too long for the queue',
      (stack) => ({ entry: undefined, function: inlineFunction(stack, Duration.minutes(5)), visibilityTimeout: Duration.minutes(10) }),
      /visibilityTimeout \(10 minutes\) is under six times the function timeout \(5 minutes\)/,
    ],
  ];
  for (const [name, props, message] of functionCases) {
    it(name, () => {
      const stack = new Stack(new App(), 'Own');
      expect(
        () => new QueueConsumerFunction(stack, 'Orders', { entry: demoWorkerEntry, acceptableLatency: Duration.minutes(2), ...props(stack) }),
      ).toThrow(message);
    });
  }
});

function inlineFunction(stack: Stack, timeout = Duration.seconds(30)): lambda.Function {
  return new lambda.Function(stack, 'Mine', {
    runtime: lambda.Runtime.NODEJS_22_X,
    handler: 'index.handler',
    code: lambda.Code.fromInline('exports.handler = async () => ({});'),
    timeout,
  });
}

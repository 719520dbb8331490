import { Duration, RemovalPolicy, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';
import * as logs from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';
import type { QueueConsumerFunctionProps } from './queue-consumer-function.ts';
import { InvalidPropError, requireSecondsBetween, requireWholeNumber } from '../common/prop-validation.ts';
import { esbuildAvailable } from './esbuild-check.ts';

/** How QueueConsumerFunction builds the user's function from an entry file (none of it applies to `function`). */
export type ConsumerBuildOptions = Pick<
  QueueConsumerFunctionProps,
  | 'entry'
  | 'handler'
  | 'runtime'
  | 'architecture'
  | 'memorySize'
  | 'vpc'
  | 'vpcSubnets'
  | 'securityGroups'
  | 'layers'
  | 'bundling'
  | 'depsLockFilePath'
  | 'logRetention'
  | 'environment'
>;

export const BUILD_OPTIONS: readonly (keyof ConsumerBuildOptions)[] = [
  'entry',
  'handler',
  'runtime',
  'architecture',
  'memorySize',
  'vpc',
  'vpcSubnets',
  'securityGroups',
  'layers',
  'bundling',
  'depsLockFilePath',
  'logRetention',
  'environment',
];

const NAME = 'QueueConsumerFunction';
const LAMBDA_MAX_TIMEOUT = Duration.minutes(15);

/** Checks a function timeout against Lambda's limits (1 s to 15 minutes, whole seconds). */
export function requireFunctionTimeout(timeout: Duration): void {
  requireSecondsBetween(NAME, 'timeout', timeout, Duration.seconds(1), LAMBDA_MAX_TIMEOUT);
}

/**
 * The user's consumer, bundled by aws-cdk-lib's NodejsFunction with the user's own bundling options: headroom
 * adds none of its bundling settings to their code. What headroom does add is the role and log group every
 * headroom function has: a role that may write only to the function's own log group (no managed policy, no
 * wildcard log groups), plus Lambda's VPC access policy when the function runs in a VPC.
 */
export function buildConsumerFunction(
  scope: Construct,
  id: string,
  options: ConsumerBuildOptions & { readonly entry: string; readonly timeout: Duration; readonly serviceName: string },
): NodejsFunction {
  const runtime = options.runtime ?? lambda.Runtime.NODEJS_22_X;
  if (runtime.family !== lambda.RuntimeFamily.NODEJS) {
    throw new InvalidPropError(
      NAME,
      'runtime',
      `(${runtime.name}) is not a Node.js runtime, and the entry is bundled by NodejsFunction`,
      'Use a lambda.Runtime.NODEJS_* runtime, or pass your own function as `function`.',
    );
  }
  const memorySize = options.memorySize ?? 512;
  requireWholeNumber(NAME, 'memorySize', memorySize, 128, 10_240);
  if (!options.vpc && (options.vpcSubnets || options.securityGroups)) {
    throw new InvalidPropError(NAME, options.vpcSubnets ? 'vpcSubnets' : 'securityGroups', 'is set without a vpc', 'Set vpc too, or remove it.');
  }

  if (!options.bundling?.forceDockerBundling && !esbuildAvailable()) {
    throw new InvalidPropError(
      NAME,
      'entry',
      'is bundled by NodejsFunction, which needs esbuild and finds none in this app (pnpm and yarn PnP do not hoist it; npm usually does)',
      'Add esbuild to your app: npm install --save-dev esbuild (pnpm add -D esbuild), or set bundling.forceDockerBundling to bundle in Docker.',
    );
  }

  const logGroup = new logs.LogGroup(scope, `${id}Logs`, {
    retention: options.logRetention ?? logs.RetentionDays.ONE_MONTH,
    removalPolicy: RemovalPolicy.DESTROY,
  });
  const role = new iam.Role(scope, `${id}Role`, {
    assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
    description: `Execution role of ${options.serviceName}`,
  });
  // A log group's Arn attribute already covers its streams (it ends in `:*`), and nothing beyond them.
  role.addToPrincipalPolicy(new iam.PolicyStatement({ actions: ['logs:CreateLogStream', 'logs:PutLogEvents'], resources: [logGroup.logGroupArn] }));
  if (options.vpc) {
    role.addManagedPolicy(iam.ManagedPolicy.fromAwsManagedPolicyName('service-role/AWSLambdaVPCAccessExecutionRole'));
    Validations.of(role).acknowledge({
      id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaVPCAccessExecutionRole]',
      reason: 'Lambda needs these network-interface permissions to run in a VPC; AWS keeps the managed policy in step with what Lambda needs.',
    });
  }

  const consumer = new NodejsFunction(scope, id, {
    entry: options.entry,
    handler: options.handler ?? 'handler',
    description: `headroom queue consumer (${options.serviceName})`,
    runtime,
    architecture: options.architecture ?? lambda.Architecture.ARM_64,
    memorySize,
    timeout: options.timeout,
    vpc: options.vpc,
    vpcSubnets: options.vpcSubnets,
    securityGroups: options.securityGroups,
    layers: options.layers,
    role,
    logGroup,
    depsLockFilePath: options.depsLockFilePath,
    bundling: options.bundling,
    environment: { POWERTOOLS_SERVICE_NAME: options.serviceName, ...options.environment },
  });
  if (runtime === lambda.Runtime.NODEJS_22_X) {
    Validations.of(consumer).acknowledge({
      id: 'AwsSolutions-L1',
      reason: "Node.js 22 is the runtime headroom's consumer kit is tested on; set the runtime prop to move to a newer one.",
    });
  }
  return consumer;
}

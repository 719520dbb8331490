import { fileURLToPath } from 'node:url';
import { Duration, RemovalPolicy, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';

/** Absolute path of a handler entry in this package's functions/ folder. */
export function functionEntry(name: string): string {
  return fileURLToPath(new URL(`../../functions/${name}/handler.ts`, import.meta.url));
}

export interface HeadroomFunctionProps {
  /** The handler's entry file (TypeScript), bundled locally by esbuild. */
  readonly entry: string;
  readonly description: string;
  /** Powertools service name, also the logger's `service` field. */
  readonly serviceName: string;
  readonly timeout?: Duration;
  readonly memorySize?: number;
  readonly environment?: Record<string, string>;
  readonly logRetention?: logs.RetentionDays;
}

/**
 * The Lambda defaults every headroom function shares: Node.js 22 on ARM, an ESM bundle minified by local
 * esbuild with the AWS SDK left to the runtime, and a role whose only standing permission is writing to
 * the function's own log group (no managed policy, no wildcard log groups).
 */
export class HeadroomFunction extends NodejsFunction {
  constructor(scope: Construct, id: string, props: HeadroomFunctionProps) {
    const logGroup = new logs.LogGroup(scope, `${id}Logs`, {
      retention: props.logRetention ?? logs.RetentionDays.ONE_MONTH,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    const role = new iam.Role(scope, `${id}Role`, {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: `Execution role of ${props.serviceName}`,
    });
    // A log group's Arn attribute already covers its streams (it ends in `:*`), and nothing beyond them.
    role.addToPrincipalPolicy(
      new iam.PolicyStatement({ actions: ['logs:CreateLogStream', 'logs:PutLogEvents'], resources: [logGroup.logGroupArn] }),
    );
    super(scope, id, {
      entry: props.entry,
      handler: 'handler',
      description: props.description,
      runtime: lambda.Runtime.NODEJS_22_X,
      architecture: lambda.Architecture.ARM_64,
      memorySize: props.memorySize ?? 256,
      timeout: props.timeout ?? Duration.seconds(30),
      role,
      logGroup,
      environment: {
        POWERTOOLS_SERVICE_NAME: props.serviceName,
        NODE_OPTIONS: '--enable-source-maps',
        ...props.environment,
      },
      bundling: {
        format: OutputFormat.ESM,
        target: 'node22',
        minify: true,
        sourceMap: true,
        externalModules: ['@aws-sdk/*'],
        // Powertools and middy ship CommonJS pieces that call require(); give the ESM bundle one.
        banner: "import { createRequire as __headroomRequire } from 'node:module'; const require = __headroomRequire(import.meta.url);",
      },
    });
    Validations.of(this).acknowledge({
      id: 'AwsSolutions-L1',
      reason: 'headroom pins Node.js 22: the runtime its bundles target and are tested on.',
    });
  }
}

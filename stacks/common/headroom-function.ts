import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { Duration, RemovalPolicy, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';
import { checkDeployLimits } from './deploy-limits.ts';

/** headroom's own Lambda handlers, bundled when the package is built (`npm run build`) and shipped as assets. */
export type HeadroomHandler = 'backlog-publisher' | 'predictor' | 'demo-worker';
/** Pre-built assets: the handlers, and the reference app's worker task (its bundle and Dockerfile). */
export type HeadroomAsset = HeadroomHandler | 'demo-worker-task';

/**
 * The folder holding a pre-built handler: `dist/assets/<handler>` of the package this file belongs to. The
 * library is compiled to CommonJS, where `__dirname` is this file's folder (vitest defines it for the sources
 * too), so the walk up finds the package's own assets wherever it is installed or bundled.
 */
export function handlerAssetDir(handler: HeadroomAsset): string {
  for (let dir = __dirname; ; dir = dirname(dir)) {
    const candidate = join(dir, 'dist', 'assets', handler);
    if (existsSync(join(candidate, 'index.mjs'))) return candidate;
    if (dirname(dir) === dir) {
      throw new Error(
        `headroom: the pre-built ${handler} handler is missing (no dist/assets/${handler}/index.mjs above ${__dirname}); run \`npm run build\``,
      );
    }
  }
}

export interface HeadroomFunctionProps {
  /** Which of headroom's pre-built handlers the function runs. */
  readonly handler: HeadroomHandler;
  readonly description: string;
  /** Powertools service name, also the logger's `service` field. */
  readonly serviceName: string;
  readonly timeout?: Duration;
  readonly memorySize?: number;
  readonly environment?: Record<string, string>;
  readonly logRetention?: logs.RetentionDays;
}

/**
 * One of headroom's own handlers (Node.js 22 on ARM), from the asset `npm run build` bundled: a user's synth
 * re-bundles nothing of ours and needs neither esbuild nor Docker.
 */
export class HeadroomFunction extends lambda.Function {
  constructor(scope: Construct, id: string, props: HeadroomFunctionProps) {
    super(scope, id, {
      ...functionDefaults(scope, id, props),
      code: lambda.Code.fromAsset(handlerAssetDir(props.handler)),
      handler: 'index.handler',
    });
    checkDeployLimits(this);
    Validations.of(this).acknowledge({
      id: 'AwsSolutions-L1',
      reason: 'headroom pins Node.js 22: the runtime its bundles target and are tested on.',
    });
  }
}

/**
 * The defaults every headroom function shares: Node.js 22 on ARM and a role whose only standing permission is
 * writing to the function's own log group (no managed policy, no wildcard log groups).
 */
function functionDefaults(scope: Construct, id: string, props: HeadroomFunctionProps) {
  const logGroup = new logs.LogGroup(scope, `${id}Logs`, {
    retention: props.logRetention ?? logs.RetentionDays.ONE_MONTH,
    removalPolicy: RemovalPolicy.DESTROY,
  });
  const role = new iam.Role(scope, `${id}Role`, {
    assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
    description: `Execution role of ${props.serviceName}`,
  });
  // A log group's Arn attribute already covers its streams (it ends in `:*`), and nothing beyond them.
  role.addToPrincipalPolicy(new iam.PolicyStatement({ actions: ['logs:CreateLogStream', 'logs:PutLogEvents'], resources: [logGroup.logGroupArn] }));
  return {
    description: props.description,
    runtime: lambda.Runtime.NODEJS_22_X,
    architecture: lambda.Architecture.ARM_64,
    memorySize: props.memorySize ?? 256,
    timeout: props.timeout ?? Duration.seconds(30),
    role,
    logGroup,
    environment: {
      POWERTOOLS_SERVICE_NAME: props.serviceName,
      ...props.environment,
    },
  };
}

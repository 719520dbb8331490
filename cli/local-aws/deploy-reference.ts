import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { requireDemoDependencies } from '../demo/demo-dependencies.ts';
import { localAwsEnvironment } from './moto-server.ts';

const run = promisify(execFile);
// The CLI package's own pinned cdk CLI, and the reference app its build bundled (cli/dist/reference-app.cjs):
// the same files whether this runs from a clone or from an install.
const referenceApp = join(cliPackageRoot(), 'dist', 'reference-app.cjs');

function cliPackageRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'package.json'))) dir = dirname(dir);
  return dir;
}

/** moto's account and region: what `cdk bootstrap` needs to be told explicitly. */
export const LOCAL_ACCOUNT = '123456789012';
export const LOCAL_REGION = 'us-east-1';

export interface DeployedStack {
  readonly stackName: string;
  /** The cloud assembly the deploy used (its template is what the scaling resources are read from). */
  readonly assemblyDir: string;
}

/**
 * Bootstraps the local AWS and deploys the reference app with the pinned CDK CLI, exactly as a user runs
 * `cdk deploy`. moto's CloudFormation stores most resources but skips some types; see applySkippedResources.
 */
export async function deployReferenceApp(endpoint: string, onProgress: (line: string) => void = () => {}): Promise<DeployedStack> {
  const { cdkCli } = requireDemoDependencies();
  const env = {
    ...process.env,
    ...localAwsEnvironment(endpoint),
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    CDK_DISABLE_VERSION_CHECK: '1',
  };
  if (!existsSync(referenceApp)) throw new Error(`the reference app is not built (${referenceApp} is missing): run \`npm run build\``);
  const assemblyDir = mkdtempSync(join(tmpdir(), 'headroom-cdk-out-'));
  const options = { cwd: mkdtempSync(join(tmpdir(), 'headroom-cdk-app-')), env, maxBuffer: 64 * 1024 * 1024 };
  // No Docker here to build the worker's image, and moto runs no containers: the stand-in image (reference-stack.ts).
  const app = ['--app', `${process.execPath} ${referenceApp}`, '--context', 'headroom:localAws=true'];
  onProgress('bootstrapping the local AWS (cdk bootstrap)');
  await run(cdkCli, ['bootstrap', ...app, `aws://${LOCAL_ACCOUNT}/${LOCAL_REGION}`, '--output', assemblyDir, '--no-notices'], options);
  onProgress('deploying the reference app (cdk deploy)');
  await run(
    cdkCli,
    ['deploy', ...app, 'HeadroomReference', '--require-approval', 'never', '--output', assemblyDir, '--no-notices', '--progress', 'events'],
    options,
  );
  return { stackName: 'HeadroomReference', assemblyDir };
}

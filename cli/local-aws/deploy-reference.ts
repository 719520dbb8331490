import { execFile } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { localAwsEnvironment } from './moto-server.ts';

const run = promisify(execFile);
const repoRoot = fileURLToPath(new URL('../../', import.meta.url));
const cdkCli = join(repoRoot, 'node_modules', '.bin', 'cdk');

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
  const env = { ...process.env, ...localAwsEnvironment(endpoint), AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true', CDK_DISABLE_VERSION_CHECK: '1' };
  const assemblyDir = mkdtempSync(join(tmpdir(), 'headroom-cdk-out-'));
  const options = { cwd: repoRoot, env, maxBuffer: 64 * 1024 * 1024 };
  onProgress('bootstrapping the local AWS (cdk bootstrap)');
  await run(cdkCli, ['bootstrap', `aws://${LOCAL_ACCOUNT}/${LOCAL_REGION}`, '--output', assemblyDir, '--no-notices'], options);
  onProgress('deploying the reference app (cdk deploy)');
  await run(cdkCli, ['deploy', 'HeadroomReference', '--require-approval', 'never', '--output', assemblyDir, '--no-notices', '--progress', 'events'], options);
  return { stackName: 'HeadroomReference', assemblyDir };
}

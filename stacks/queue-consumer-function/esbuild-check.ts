import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

/**
 * Whether NodejsFunction will find esbuild, looked for as aws-cdk-lib does (a module beside aws-cdk-lib, or an
 * `esbuild` on the PATH) plus the app's own folder. Without it NodejsFunction falls back to Docker and fails with a
 * Docker error that says nothing of esbuild: under pnpm (no hoisting) an app whose template never listed esbuild
 * meets exactly that. aws-cdk-lib, "aws-lambda-nodejs" README, "Local bundling": "If esbuild is available it will be
 * used to bundle your code in your environment".
 */
export function esbuildAvailable(appDir: string = process.cwd()): boolean {
  const fromApp = createRequire(join(appDir, 'package.json'));
  const places = [appDir];
  try {
    places.push(dirname(fromApp.resolve('aws-cdk-lib/package.json')));
  } catch {
    // aws-cdk-lib not resolvable from the app's folder (a synth run elsewhere): the PATH check still applies.
  }
  for (const place of places) {
    try {
      createRequire(join(place, 'package.json')).resolve('esbuild');
      return true;
    } catch {
      // not here
    }
  }
  return spawnSync(process.platform === 'win32' ? 'esbuild.cmd' : 'esbuild', ['--version'], { stdio: 'ignore' }).status === 0;
}

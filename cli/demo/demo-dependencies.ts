import { createRequire } from 'node:module';
import cliPackage from '../package.json' with { type: 'json' };

/**
 * The packages only `headroom demo` needs (it deploys the reference app with the CDK CLI): optional peers of the CLI,
 * so `forecast` and `backtest` install without ~300 MB of CDK. Checked on first use, naming the one command that
 * installs what is missing.
 */
export const DEMO_PACKAGES = ['aws-cdk', 'aws-cdk-lib', 'constructs', 'cdk-nag', 'cdk-monitoring-constructs'] as const;

const entryOf: Record<(typeof DEMO_PACKAGES)[number], string> = {
  'aws-cdk': 'aws-cdk/bin/cdk',
  'aws-cdk-lib': 'aws-cdk-lib',
  constructs: 'constructs',
  'cdk-nag': 'cdk-nag',
  'cdk-monitoring-constructs': 'cdk-monitoring-constructs',
};

/** The path of the pinned cdk CLI, once every demo package resolves; otherwise an error naming the install command. */
export function requireDemoDependencies(resolve: (id: string) => string = createRequire(import.meta.url).resolve): { cdkCli: string } {
  const missing = DEMO_PACKAGES.filter((name) => {
    try {
      resolve(entryOf[name]);
      return false;
    } catch {
      return true;
    }
  });
  if (missing.length > 0) {
    const peers = (cliPackage as { peerDependencies?: Record<string, string> }).peerDependencies ?? {};
    const install = missing.map((name) => `${name}@${JSON.stringify(peers[name] ?? 'latest')}`.replace(/"/g, "'")).join(' ');
    throw new Error(
      `headroom demo deploys the reference app with the CDK, which the CLI does not install for forecast and backtest: missing ${missing.join(', ')}. Install them beside the CLI: npm install ${install}`,
    );
  }
  return { cdkCli: resolve(entryOf['aws-cdk']) };
}

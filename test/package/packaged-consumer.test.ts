import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { tracesDir } from '../cli/run-cli.ts';
import { editJson, packPackages, readmeExamples, reinstallWithAwsCdkLib, scaffoldApp, sh, writeInto } from './consumer-app.ts';

// headroom as users get it: the packed tarballs, installed into fresh `cdk init` apps (TypeScript and
// JavaScript) made by the pinned CDK CLI, with the README's examples as the apps' code. Each template's own
// build, `cdk synth` and jest test run unmodified.
const SCAFFOLD_TIMEOUT = 600_000;
const STEP_TIMEOUT = 300_000;
/** The oldest aws-cdk-lib the peer range allows; the newest is what the scaffold installs. */
const LOWEST_AWS_CDK_LIB = '2.257.0';

const examples = readmeExamples();
let tarballs: Awaited<ReturnType<typeof packPackages>>;

beforeAll(async () => {
  tarballs = await packPackages();
}, STEP_TIMEOUT);

function tarballFiles(tarball: string): string[] {
  return execFileSync('tar', ['tzf', tarball], { encoding: 'utf8' })
    .trim()
    .split('\n')
    .map((line) => line.replace(/^package\//, ''));
}

describe('the cdk-headroom tarball', () => {
  it('ships compiled JavaScript, declarations, the pre-built handlers, LICENSE and README only', () => {
    const files = tarballFiles(tarballs.library);
    expect(files).toEqual(expect.arrayContaining(['LICENSE', 'README.md', 'package.json', 'dist/stacks/index.js', 'dist/stacks/index.d.ts']));
    expect(files).toEqual(expect.arrayContaining(['dist/assets/backlog-publisher/index.mjs', 'dist/assets/predictor/index.mjs']));
    const unexpected = files.filter((file) => !/^(LICENSE|README\.md|package\.json)$/.test(file) && !/^dist\/.*\.(js|d\.ts|mjs|json)$/.test(file));
    expect(unexpected).toEqual([]);
    expect(files.filter((file) => /\.map$|(?<!\.d)\.ts$|^(test|bench|\.ci|cli|examples)\//.test(file))).toEqual([]);
  });

  it('declares aws-cdk-lib and constructs as peers and no CLI-only or test-only dependency', () => {
    const manifest = JSON.parse(execFileSync('tar', ['xzf', tarballs.library, '-O', 'package/package.json'], { encoding: 'utf8' })) as {
      dependencies: Record<string, string>;
      peerDependencies: Record<string, string>;
    };
    expect(Object.keys(manifest.peerDependencies)).toEqual(expect.arrayContaining(['aws-cdk-lib', 'constructs']));
    const forbidden = ['aws-cdk-lib', 'constructs', 'commander', 'tsx', 'cdk-nag', '@resvg/resvg-js', 'vega', 'vega-lite', 'esbuild', 'aws-cdk'];
    expect(Object.keys(manifest.dependencies).filter((name) => forbidden.includes(name) || name.startsWith('@aws-sdk/'))).toEqual([]);
  });
});

describe('a TypeScript app from `cdk init app --language typescript`', () => {
  let app: string;
  beforeAll(async () => {
    app = await scaffoldApp('typescript', 'ts-app');
    // As the README says: the idempotency example needs the AWS SDK's DynamoDB clients.
    await sh(app, 'npm', [
      'install',
      '--no-audit',
      '--no-fund',
      '--prefer-offline',
      tarballs.library,
      '@aws-sdk/client-dynamodb',
      '@aws-sdk/lib-dynamodb',
    ]);
    for (const example of examples.filter((candidate) => candidate.language === 'ts')) writeInto(app, example.path, example.code);
  }, SCAFFOLD_TIMEOUT);

  it('takes the README examples as its code: the quickstart replaces the entry, and each file is one', () => {
    expect(examples.map((example) => example.path)).toEqual(expect.arrayContaining(['bin/ts-app.ts', 'bin/js-app.js']));
    expect(examples.length).toBeGreaterThanOrEqual(6);
  });

  it(
    "builds with the template's own `npm run build` (tsc), no compiler flag added",
    async () => {
      await sh(app, 'npm', ['run', 'build']);
    },
    STEP_TIMEOUT,
  );

  // aws-cdk-lib's own declarations do not hold under exactOptionalPropertyTypes (a Vpc is not an IVpc there), so
  // the claim is about ours: checked with skipLibCheck off, headroom's declarations report nothing.
  it(
    'keeps its declarations clean under exactOptionalPropertyTypes and noPropertyAccessFromIndexSignature',
    async () => {
      const flags = ['--noEmit', '--skipLibCheck', 'false', '--exactOptionalPropertyTypes', '--noPropertyAccessFromIndexSignature'];
      const output = await sh(app, 'npx', ['tsc', ...flags]).then(
        (result) => result.stdout,
        (error: Error) => error.message,
      );
      expect(output.split('\n').filter((line) => line.includes('node_modules/cdk-headroom/'))).toEqual([]);
    },
    STEP_TIMEOUT,
  );

  it(
    'synthesizes the quickstart with `cdk synth`, using the pre-built handlers without bundling anything',
    async () => {
      const { stdout, stderr } = await sh(app, 'npx', ['cdk', 'synth', '--quiet']);
      expect(`${stdout}${stderr}`).not.toMatch(/Bundling asset/);
      const template = readFileSync(join(app, 'cdk.out', 'Workers.template.json'), 'utf8');
      expect(template).toContain('AWS::ApplicationAutoScaling::ScalingPolicy');
      const assetDirs = readdirSync(join(app, 'cdk.out')).filter((name) => name.startsWith('asset.'));
      expect(assetDirs.length).toBeGreaterThan(0);
      for (const dir of assetDirs) expect(readdirSync(join(app, 'cdk.out', dir)).filter((file) => file.endsWith('.map'))).toEqual([]);
    },
    STEP_TIMEOUT,
  );

  it.each(
    examples
      .filter((example) => example.language === 'ts' && example.path.startsWith('bin/') && example.path !== 'bin/ts-app.ts')
      .map((example) => example.path),
  )(
    'synthesizes the README example %s',
    async (path) => {
      const out = join(app, `cdk.out.${path.replace(/\W/g, '-')}`);
      await sh(app, 'npx', ['cdk', 'synth', '--quiet', '--app', `npx tsx ${path}`, '--output', out]);
      expect(readdirSync(out).some((file) => file.endsWith('.template.json'))).toBe(true);
    },
    STEP_TIMEOUT,
  );

  it(
    "passes the template's own jest test and the README's test example",
    async () => {
      const { stdout, stderr } = await sh(app, 'npm', ['test']);
      expect(`${stdout}${stderr}`).toMatch(/Tests:\s+\d+ passed, \d+ total/);
      expect(`${stdout}${stderr}`).not.toMatch(/failed/);
    },
    STEP_TIMEOUT,
  );

  it(
    'loads with require() and import from plain Node',
    async () => {
      const required = await sh(app, 'node', [
        '-e',
        "const h = require('cdk-headroom'); const c = require('cdk-headroom/consumer'); console.log(typeof h.QueueScaledService, typeof c.createQueueConsumer)",
      ]);
      expect(required.stdout.trim()).toBe('function function');
      const imported = await sh(app, 'node', [
        '--input-type=module',
        '-e',
        "import { PredictiveScaling } from 'cdk-headroom'; import { createQueueConsumer } from 'cdk-headroom/consumer'; console.log(typeof PredictiveScaling, typeof createQueueConsumer)",
      ]);
      expect(imported.stdout.trim()).toBe('function function');
    },
    STEP_TIMEOUT,
  );

  it(
    `synthesizes on the lowest aws-cdk-lib the peer range allows (${LOWEST_AWS_CDK_LIB})`,
    async () => {
      const lowest = await reinstallWithAwsCdkLib(app, LOWEST_AWS_CDK_LIB);
      const installed = JSON.parse(readFileSync(join(lowest, 'node_modules', 'aws-cdk-lib', 'package.json'), 'utf8')) as { version: string };
      expect(installed.version).toBe(LOWEST_AWS_CDK_LIB);
      await sh(lowest, 'npx', ['cdk', 'synth', '--quiet']);
      expect(readFileSync(join(lowest, 'cdk.out', 'Workers.template.json'), 'utf8')).toContain('AWS::ApplicationAutoScaling::ScalingPolicy');
    },
    SCAFFOLD_TIMEOUT,
  );
});

describe('a JavaScript app from `cdk init app --language javascript`', () => {
  let app: string;
  beforeAll(async () => {
    app = await scaffoldApp('javascript', 'js-app');
    await sh(app, 'npm', ['install', '--no-audit', '--no-fund', '--prefer-offline', tarballs.library]);
    for (const example of examples.filter((candidate) => candidate.language === 'js')) writeInto(app, example.path, example.code);
  }, SCAFFOLD_TIMEOUT);

  it(
    'synthesizes the README JavaScript example with `cdk synth`',
    async () => {
      await sh(app, 'npx', ['cdk', 'synth', '--quiet']);
      expect(readdirSync(join(app, 'cdk.out')).some((file) => file.endsWith('.template.json'))).toBe(true);
    },
    STEP_TIMEOUT,
  );

  it(
    "passes the template's own jest test",
    async () => {
      const { stdout, stderr } = await sh(app, 'npm', ['test']);
      expect(`${stdout}${stderr}`).toMatch(/Tests:\s+\d+ passed, \d+ total/);
    },
    STEP_TIMEOUT,
  );
});

describe('the headroom CLI installed from cdk-headroom-cli', () => {
  let dir: string;
  beforeAll(async () => {
    const { mkdtempSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    dir = mkdtempSync(join(tmpdir(), 'headroom-cli-user-'));
    await sh(dir, 'npm', ['init', '-y']);
    editJson(join(dir, 'package.json'), (manifest) => ({ ...manifest, private: true }));
    await sh(dir, 'npm', ['install', '--no-audit', '--no-fund', '--prefer-offline', tarballs.library, tarballs.cli]);
  }, SCAFFOLD_TIMEOUT);

  it('prints its help', async () => {
    const { stdout } = await sh(dir, 'npx', ['headroom', '--help']);
    expect(stdout).toMatch(/forecast/);
    expect(stdout).toMatch(/backtest/);
    expect(stdout).toMatch(/demo/);
  });

  it(
    'forecasts a trace as JSON',
    async () => {
      const trace = join(tracesDir, 'nyc-taxi-passengers-30min.csv');
      const { stdout } = await sh(dir, 'npx', [
        'headroom',
        'forecast',
        '--trace',
        trace,
        '--until',
        '2015-01-20T00:00:00Z',
        '--horizon',
        '24h',
        '--json',
      ]);
      const forecast = JSON.parse(stdout) as { forecast: Array<{ p50: number; p90: number }> };
      expect(forecast.forecast).toHaveLength(48);
      expect(forecast.forecast.every((point) => point.p90 >= point.p50)).toBe(true);
    },
    STEP_TIMEOUT,
  );

  it(
    'backtests a trace and writes the HTML report',
    async () => {
      const trace = join(tracesDir, 'aws-elb-requests-5min.csv');
      const report = join(dir, 'report');
      const { stdout } = await sh(dir, 'npx', [
        'headroom',
        'backtest',
        '--trace',
        trace,
        '--throughput',
        '0.05',
        '--startup',
        '90s',
        '--slo',
        '5m',
        '--max',
        '40',
        '--json',
        '--report',
        report,
      ]);
      const result = JSON.parse(stdout) as { policies: Array<{ name: string }> };
      expect(result.policies.map((policy) => policy.name)).toContain('oracle');
      expect(readFileSync(join(report, 'report.html'), 'utf8')).toMatch(/<svg|<img/);
    },
    STEP_TIMEOUT,
  );

  it('installs without the CDK, which only the demo needs, and says how to add it on the demo’s first use', async () => {
    for (const name of ['aws-cdk', 'cdk-nag']) expect(existsSync(join(dir, 'node_modules', name))).toBe(false);
    const demo = await sh(dir, 'npx', ['headroom', 'demo', '--report', join(dir, 'no-demo')]).then(
      () => 'exited 0',
      (error: Error) => error.message,
    );
    expect(demo).toMatch(/^headroom: headroom demo deploys the reference app with the CDK, .*missing aws-cdk.*npm install aws-cdk@'2\.1148\.1'/m);
  });

  it(
    'runs the end-to-end demo on a local AWS (moto) once its CDK peers are installed',
    async () => {
      await sh(dir, 'npm', ['install', '--no-audit', '--no-fund', '--prefer-offline', 'aws-cdk@2.1148.1', 'cdk-nag@^3.0.2']);
      const { stdout } = await sh(dir, 'npx', ['headroom', 'demo', '--report', join(dir, 'demo-report')]);
      expect(stdout).toMatch(/cdk deploy/);
      expect(existsSync(join(dir, 'demo-report', 'report.html'))).toBe(true);
    },
    SCAFFOLD_TIMEOUT,
  );
});

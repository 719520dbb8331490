// What construct users install and what synth costs them:
//   npm run bench -- package
// Packs cdk-headroom (build it first: `npm run build`), installs it into a fresh project beside aws-cdk-lib and
// constructs, and compares with cdk-monitoring-constructs installed the same way; times `cdk synth`-equivalent
// runs (a fresh node process that builds and synthesizes the README quickstart) with headroom and with the same
// resources without it, alternating in one run. Writes bench/results/package.md.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { median } from './support/traces.ts';

const repo = fileURLToPath(new URL('..', import.meta.url));
const SYNTH_RUNS = 7;
const SYNTH_RATIO_TARGET = 1.1;

interface Footprint {
  readonly name: string;
  readonly packages: number;
  readonly bytes: number;
}

function npm(cwd: string, args: string[]): string {
  return execFileSync('npm', args, {
    cwd,
    encoding: 'utf8',
    env: { ...process.env, npm_config_update_notifier: 'false' },
    maxBuffer: 64 * 1024 * 1024,
  });
}

function directoryBytes(dir: string): number {
  let total = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isFile()) total += statSync(join(entry.parentPath, entry.name)).size;
  }
  return total;
}

function installedPackages(dir: string): Set<string> {
  const lines = npm(dir, ['ls', '--all', '--parseable']).trim().split('\n').slice(1);
  return new Set(lines.map((line) => line.slice(line.indexOf('node_modules'))));
}

/** Installs `spec` into a project that already has the peers, and counts what it added. */
function footprint(name: string, spec: string, peers: string[]): Footprint {
  const dir = mkdtempSync(join(tmpdir(), 'headroom-footprint-'));
  npm(dir, ['init', '-y']);
  npm(dir, ['install', '--no-audit', '--no-fund', '--prefer-offline', ...peers]);
  const before = installedPackages(dir);
  const bytesBefore = directoryBytes(join(dir, 'node_modules'));
  npm(dir, ['install', '--no-audit', '--no-fund', '--prefer-offline', spec]);
  const after = installedPackages(dir);
  return { name, packages: [...after].filter((path) => !before.has(path)).length, bytes: directoryBytes(join(dir, 'node_modules')) - bytesBefore };
}

const quickstart = (withHeadroom: boolean) => `
const { App, Duration, Stack } = require('aws-cdk-lib');
const ec2 = require('aws-cdk-lib/aws-ec2');
const ecs = require('aws-cdk-lib/aws-ecs');
const sqs = require('aws-cdk-lib/aws-sqs');
const app = new App({ outdir: process.argv[2] });
const stack = new Stack(app, 'Workers');
const cluster = new ecs.Cluster(stack, 'Cluster', { vpc: new ec2.Vpc(stack, 'Vpc', { maxAzs: 2 }), containerInsightsV2: ecs.ContainerInsights.ENABLED });
const deadLetterQueue = new sqs.Queue(stack, 'DeadLetters', { retentionPeriod: Duration.days(14), enforceSSL: true });
const queue = new sqs.Queue(stack, 'Jobs', { enforceSSL: true, deadLetterQueue: { queue: deadLetterQueue, maxReceiveCount: 5 } });
const taskDefinition = new ecs.FargateTaskDefinition(stack, 'Task');
taskDefinition.addContainer('worker', { image: ecs.ContainerImage.fromRegistry('public.ecr.aws/docker/library/busybox:stable'), logging: ecs.LogDrivers.awsLogs({ streamPrefix: 'worker' }) });
queue.grantConsumeMessages(taskDefinition.taskRole);
const service = new ecs.FargateService(stack, 'Worker', { cluster, taskDefinition });
${
  withHeadroom
    ? "const { QueueScaledService } = require('cdk-headroom');\nnew QueueScaledService(stack, 'Scaling', { service, queue, acceptableLatency: Duration.minutes(2), timePerMessage: Duration.millis(1500), maxCapacity: 50, burstStepScaling: true }).addDashboard();"
    : "service.autoScaleTaskCount({ minCapacity: 1, maxCapacity: 50 }).scaleOnCpuUtilization('Cpu', { targetUtilizationPercent: 50 });"
}
app.synth();
`;

function timeSynth(script: string): number {
  const out = mkdtempSync(join(tmpdir(), 'headroom-synth-'));
  const started = process.hrtime.bigint();
  execFileSync(process.execPath, [script, out], { cwd: repo, stdio: 'ignore' });
  return Number(process.hrtime.bigint() - started) / 1e6;
}

export async function run(): Promise<void> {
  const packDir = mkdtempSync(join(tmpdir(), 'headroom-bench-pack-'));
  const packed = JSON.parse(npm(repo, ['pack', '--ignore-scripts', '--json', '--pack-destination', packDir])) as Array<{
    filename: string;
    size: number;
    unpackedSize: number;
    entryCount: number;
  }>;
  const tarball = packed[0]!;
  const assetsDir = join(repo, 'dist', 'assets');
  const assets = readdirSync(assetsDir).map((name) => ({
    name,
    bytes: directoryBytes(join(assetsDir, name)),
    files: readdirSync(join(assetsDir, name)),
  }));

  const peers = ['aws-cdk-lib@~2.276.0', 'constructs@^10.5.1'];
  const footprints = [
    footprint('cdk-headroom', join(packDir, tarball.filename), peers),
    footprint('cdk-monitoring-constructs', 'cdk-monitoring-constructs@^10.2.0', peers),
  ];

  // In the package root (not under node_modules), so require('cdk-headroom') self-resolves to the built dist/.
  const scratch = join(repo, '.headroom', 'bench-synth');
  mkdirSync(scratch, { recursive: true });
  const withScript = join(scratch, 'with-headroom.cjs');
  const withoutScript = join(scratch, 'without-headroom.cjs');
  writeFileSync(withScript, quickstart(true));
  writeFileSync(withoutScript, quickstart(false));
  timeSynth(withScript);
  timeSynth(withoutScript);
  const withTimes: number[] = [];
  const withoutTimes: number[] = [];
  for (let runIndex = 0; runIndex < SYNTH_RUNS; runIndex++) {
    withTimes.push(timeSynth(withScript));
    withoutTimes.push(timeSynth(withoutScript));
  }
  const ratio = median(withTimes) / median(withoutTimes);

  const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;
  const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(2)} MB`;
  const lines = [
    '# Package: what construct users install, and what synth costs them',
    '',
    `Command: \`npm run build && npm run bench -- package\`. Machine: ${process.platform} ${process.arch}, Node ${process.version}, ${new Date().toISOString().slice(0, 10)}.`,
    '',
    `## Tarball\n\n${tarball.filename}: ${kb(tarball.size)} packed, ${kb(tarball.unpackedSize)} unpacked, ${tarball.entryCount} files.`,
    '',
    '## Installed beside aws-cdk-lib and constructs (a fresh project, npm)',
    '',
    '| package | packages added | size added |',
    '| --- | --- | --- |',
    ...footprints.map((row) => `| ${row.name} | ${row.packages} | ${mb(row.bytes)} |`),
    '',
    'cdk-headroom depends on cdk-monitoring-constructs (its dashboards), so its footprint includes that one.',
    '',
    '## Pre-built Lambda assets (dist/assets, no source maps)',
    '',
    '| handler | size | files |',
    '| --- | --- | --- |',
    ...assets.map((asset) => `| ${asset.name} | ${kb(asset.bytes)} | ${asset.files.join(', ')} |`),
    '',
    `## Synth time: README quickstart with headroom vs the same resources with CPU target tracking instead (${SYNTH_RUNS} alternating runs, fresh process each)`,
    '',
    '| app | median ms | runs (ms) |',
    '| --- | --- | --- |',
    `| with headroom | ${median(withTimes).toFixed(0)} | ${withTimes.map((time) => time.toFixed(0)).join(', ')} |`,
    `| without headroom | ${median(withoutTimes).toFixed(0)} | ${withoutTimes.map((time) => time.toFixed(0)).join(', ')} |`,
    '',
    `Ratio: **${ratio.toFixed(2)}** (target <= ${SYNTH_RATIO_TARGET}: ${ratio <= SYNTH_RATIO_TARGET ? 'met' : 'missed'}). Nothing is bundled at synth: the handlers' assets are copied as built.`,
    '',
  ];
  const results = join(repo, 'bench', 'results');
  mkdirSync(results, { recursive: true });
  writeFileSync(join(results, 'package.md'), lines.join('\n'));
  console.log(lines.join('\n'));
}

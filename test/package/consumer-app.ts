import { execFile } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const run = promisify(execFile);

export const repoRoot = fileURLToPath(new URL('../../', import.meta.url));
const cdkCli = join(repoRoot, 'node_modules', '.bin', 'cdk');

export interface CommandResult {
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs a command in `cwd` as a user's shell would; a failure names the command and shows its output. */
export async function sh(cwd: string, command: string, args: readonly string[], env: Record<string, string> = {}): Promise<CommandResult> {
  try {
    const { stdout, stderr } = await run(command, [...args], {
      cwd,
      env: { ...process.env, CDK_DISABLE_VERSION_CHECK: '1', npm_config_update_notifier: 'false', ...env },
      maxBuffer: 64 * 1024 * 1024,
    });
    return { stdout, stderr };
  } catch (error) {
    const failure = error as Error & { stdout?: string; stderr?: string };
    // The child's stack lines are kept readable but unparsable as frames: vitest would otherwise read those files'
    // source maps (the user's inline ones included) and crash on them.
    const output = `${failure.stdout ?? ''}\n${failure.stderr ?? ''}`.replace(/^(\s+)at /gm, '$1@ ');
    if (/ENOTFOUND|EAI_AGAIN|ECONNREFUSED|ETIMEDOUT|ENETUNREACH/.test(output)) {
      throw new Error(
        `the packaged-consumer test needs the npm registry (or a warm npm cache) to scaffold apps, and could not reach it:\n${output.slice(-2000)}`,
      );
    }
    throw new Error(`\`${command} ${args.join(' ')}\` failed in ${cwd}:\n${output.slice(-6000)}`);
  }
}

/** Packs both packages as `npm publish` would, into a fresh folder; the suite built them beforehand. */
export async function packPackages(): Promise<{ library: string; cli: string; dir: string }> {
  const dir = mkdtempSync(join(tmpdir(), 'headroom-pack-'));
  const pack = async (args: string[]) => {
    const { stdout } = await sh(repoRoot, 'npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', dir, ...args]);
    return join(dir, (JSON.parse(stdout) as Array<{ filename: string }>)[0]!.filename);
  };
  return { library: await pack([]), cli: await pack(['-w', 'cli']), dir };
}

/**
 * A fresh `cdk init app` scaffold from the pinned CDK CLI, installed from the registry as a user's would be
 * (npm's cache keeps repeated runs fast).
 */
export async function scaffoldApp(language: 'typescript' | 'javascript', name: string): Promise<string> {
  const dir = join(mkdtempSync(join(tmpdir(), 'headroom-user-')), name);
  mkdirSync(dir);
  await sh(dir, cdkCli, ['init', 'app', '--language', language, '--generate-only']);
  // This machine's registry mirror lacks @babel/traverse 7.29.16, which jest 30's newest Babel helpers ask for;
  // pinning the newest served 7.29 is the only change to the template, and only to let it install here.
  editJson(join(dir, 'package.json'), (manifest) => ({ ...manifest, overrides: { '@babel/traverse': '7.29.15' } }));
  await sh(dir, 'npm', ['install', '--no-audit', '--no-fund', '--prefer-offline']);
  return dir;
}

export function editJson(file: string, edit: (value: Record<string, unknown>) => Record<string, unknown>): void {
  writeFileSync(file, `${JSON.stringify(edit(JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>), null, 2)}\n`);
}

export interface ReadmeExample {
  /** Where the example goes in the user's app, from its first line (`// bin/queue-worker.ts`). */
  readonly path: string;
  readonly language: 'ts' | 'js';
  readonly code: string;
}

/** The README's code blocks that start with the comment naming their file: the examples users copy. */
export function readmeExamples(): ReadmeExample[] {
  const readme = readFileSync(join(repoRoot, 'README.md'), 'utf8');
  return [...readme.matchAll(/```(ts|js)\n\/\/ ((?:bin|lib|lambda|test)\/[\w./-]+\.(?:ts|js))\n([\s\S]*?)```/g)].map((match) => ({
    language: match[1] as 'ts' | 'js',
    path: match[2]!,
    code: match[3]!,
  }));
}

export function writeInto(dir: string, path: string, code: string): void {
  mkdirSync(dirname(join(dir, path)), { recursive: true });
  writeFileSync(join(dir, path), code);
}

/**
 * A copy of an installed app's own files (no node_modules, lock or cloud assembly), installed afresh with `aws-cdk-lib`
 * pinned to `version`: npm does not downgrade aws-cdk-lib's bundled dependencies in place, so a fresh install
 * is what a user on that version has.
 */
export async function reinstallWithAwsCdkLib(app: string, version: string): Promise<string> {
  const copy = join(mkdtempSync(join(tmpdir(), 'headroom-user-lowest-')), 'app');
  cpSync(app, copy, { recursive: true, filter: (source) => !/\/(node_modules|cdk\.out[^/]*|package-lock\.json)$/.test(source) });
  editJson(join(copy, 'package.json'), (manifest) => ({
    ...manifest,
    dependencies: { ...(manifest.dependencies as Record<string, string>), 'aws-cdk-lib': version },
  }));
  await sh(copy, 'npm', ['install', '--no-audit', '--no-fund', '--prefer-offline']);
  return copy;
}

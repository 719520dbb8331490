#!/usr/bin/env node
// Builds what ships: the construct library as CommonJS + .d.ts (dist/), headroom's own Lambda handlers as
// pre-bundled assets (dist/assets/), and the command line as its own package (cli/dist/).
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';

const root = fileURLToPath(new URL('..', import.meta.url));
const dist = join(root, 'dist');
const cliDist = join(root, 'cli', 'dist');
const handlers = ['backlog-publisher', 'predictor', 'demo-worker'];
/** The runtime kits users import into their own code: shipped as CommonJS and as ES modules (see step 2b). */
const kits = ['functions/queue-consumer', 'functions/queue-worker'];

rmSync(dist, { recursive: true, force: true });
rmSync(cliDist, { recursive: true, force: true });

// 1. tsc emits ESM JavaScript and declarations; the declarations' `.ts` specifiers become `.js`.
const esm = join(dist, 'esm');
execFileSync(process.execPath, [join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', join(root, 'tsconfig.build.json')], {
  stdio: 'inherit',
});

// 2. The library ships as CommonJS (what jest, ts-node and `require` load; `import` loads it too), one file per
// module so classes keep one identity across entry points.
for (const file of filesUnder(esm, '.js').filter((name) => !name.endsWith('.d.ts'))) {
  const { code } = await esbuild.transform(readFileSync(join(esm, file), 'utf8'), {
    format: 'cjs',
    platform: 'node',
    target: 'node20',
    loader: 'js',
  });
  writeOut(join(dist, file), code.replace(/require\("(\.{1,2}\/[^"]+)\.js"\)/g, 'require("$1.js")'));
}
for (const file of filesUnder(esm, '.d.ts')) {
  const text = readFileSync(join(esm, file), 'utf8').replace(/((?:from|import)\s*\(?\s*['"]\.{1,2}\/[^'"]+)\.ts(['"])/g, '$1.js$2');
  writeOut(join(dist, file), text);
}
writeOut(join(dist, 'package.json'), `${JSON.stringify({ type: 'commonjs' }, null, 2)}\n`);

// 2b. The runtime kits also ship as ES modules (dist/esm/, the `import` condition of their exports): bundled into
// an ESM Lambda or worker, the CommonJS copy would pull in Powertools' CommonJS build, whose require("node:console")
// esbuild cannot turn into an import ("Dynamic require of "node:console" is not supported"). The constructs stay
// CommonJS only; the kits' ESM copies keep only the modules the kits reach.
const kitModules = new Set();
const reach = (file) => {
  if (kitModules.has(file)) return;
  kitModules.add(file);
  const code = readFileSync(join(esm, file), 'utf8');
  for (const [, specifier] of code.matchAll(/(?:from|import)\s*\(?\s*["'](\.{1,2}\/[^"']+)["']/g)) reach(join(dirname(file), specifier));
};
for (const kit of kits) for (const entry of filesUnder(join(esm, kit), '.js').filter((name) => !name.endsWith('.d.ts'))) reach(join(kit, entry));
for (const file of filesUnder(esm, '')) {
  if (!kitModules.has(file) && !statSync(join(esm, file)).isDirectory()) rmSync(join(esm, file));
}
writeOut(join(esm, 'package.json'), `${JSON.stringify({ type: 'module' }, null, 2)}\n`);

// 3. headroom's own handlers: minified ESM bundles with the AWS SDK left to the Node.js 22 runtime, no source maps.
for (const handler of handlers) {
  await esbuild.build({
    entryPoints: [join(root, 'functions', handler, 'handler.ts')],
    outfile: join(dist, 'assets', handler, 'index.mjs'),
    bundle: true,
    minify: true,
    format: 'esm',
    platform: 'node',
    target: 'node22',
    external: ['@aws-sdk/*'],
    // Powertools and middy ship CommonJS pieces that call require(); give the ESM bundle one.
    banner: { js: "import { createRequire as __headroomRequire } from 'node:module'; const require = __headroomRequire(import.meta.url);" },
    logLevel: 'warning',
  });
}

// 3b. The reference app's worker task: the worker kit and the AWS SDK in one ESM bundle (an ECS task has no SDK of its
// own), ES-module builds first (the SDK's CommonJS builds require() Node built-ins), and the image that runs it.
const workerTask = join(dist, 'assets', 'demo-worker-task');
await esbuild.build({
  entryPoints: [join(root, 'functions', 'demo-worker', 'task.ts')],
  outfile: join(workerTask, 'index.mjs'),
  bundle: true,
  minify: true,
  format: 'esm',
  platform: 'node',
  target: 'node22',
  mainFields: ['module', 'main'],
  banner: { js: "import { createRequire as __headroomRequire } from 'node:module'; const require = __headroomRequire(import.meta.url);" },
  logLevel: 'warning',
});
writeOut(
  join(workerTask, 'Dockerfile'),
  'FROM public.ecr.aws/docker/library/node:22-slim\nWORKDIR /app\nCOPY index.mjs .\nUSER node\nCMD ["node", "index.mjs"]\n',
);

// 4. The command line: our code bundled, npm packages left to the CLI package's dependencies. The demo's
// reference app is a CommonJS bundle the pinned cdk CLI runs; it finds the handlers' assets beside it.
const cliCommon = { bundle: true, platform: 'node', target: 'node20', packages: 'external', logLevel: 'warning' };
await esbuild.build({
  ...cliCommon,
  entryPoints: [join(root, 'cli', 'main.ts')],
  outfile: join(cliDist, 'main.mjs'),
  format: 'esm',
});
await esbuild.build({
  ...cliCommon,
  entryPoints: [join(root, 'stacks', 'app.ts')],
  outfile: join(cliDist, 'reference-app.cjs'),
  format: 'cjs',
});
cpSync(join(dist, 'assets'), join(cliDist, 'assets'), { recursive: true });
console.log(`built ${relative(root, dist)}/ and ${relative(root, cliDist)}/`);

function writeOut(file, text) {
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, text);
}

function filesUnder(dir, ending) {
  return readdirSync(dir, { recursive: true }).filter((name) => name.endsWith(ending));
}

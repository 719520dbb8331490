// Bundle size, cold module-init time and the queue consumer kit's per-message overhead:
//   npm run bench -- functions
// Writes bench/results/functions.md.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { build, type Metafile } from 'esbuild';
import { createQueueConsumer } from '../functions/queue-consumer/index.ts';
import { lambdaContext } from '../test/support/lambda-context.ts';
import { sqsRecord } from '../test/support/sqs-record.ts';
import { median } from './support/traces.ts';

const repo = fileURLToPath(new URL('..', import.meta.url));
// Inside the repo's node_modules so the bundles' external @aws-sdk/* imports resolve, as the runtime's would.
const outDir = join(repo, 'node_modules', '.cache', 'headroom-bench');

const BUNDLE_TARGET_BYTES = 50 * 1024;
const INIT_TARGET_MS = 50;
const OVERHEAD_TARGET = 1.1;
const INIT_RUNS = 9;

interface Entry {
  readonly name: string;
  readonly what: string;
  readonly source: { readonly entry: string } | { readonly contents: string };
}

const entries: Entry[] = [
  { name: 'backlog-publisher', what: 'functions/backlog-publisher/handler.ts', source: { entry: 'functions/backlog-publisher/handler.ts' } },
  {
    name: 'demo-worker',
    what: 'functions/demo-worker/handler.ts (kit + DynamoDB idempotency)',
    source: { entry: 'functions/demo-worker/handler.ts' },
  },
  { name: 'predictor', what: 'functions/predictor/handler.ts (forecaster + planner)', source: { entry: 'functions/predictor/handler.ts' } },
  {
    name: 'kit-minimal-consumer',
    what: 'a consumer built with the kit, no idempotency',
    source: {
      contents:
        "import { createQueueConsumer } from './functions/queue-consumer/index.ts';\nexport const handler = createQueueConsumer(async (body) => body.length, { idempotency: false });\n",
    },
  },
];

/** The same esbuild settings as HeadroomFunction's NodejsFunction bundling. */
async function bundle(entry: Entry): Promise<{ file: string; bytes: number; sdkImports: string[] }> {
  const file = join(outDir, `${entry.name}.mjs`);
  const common = {
    bundle: true,
    minify: true,
    format: 'esm' as const,
    platform: 'node' as const,
    target: 'node22',
    external: ['@aws-sdk/*'],
    banner: { js: "import { createRequire as __headroomRequire } from 'node:module'; const require = __headroomRequire(import.meta.url);" },
    outfile: file,
    metafile: true,
    logLevel: 'error' as const,
  };
  const result =
    'entry' in entry.source
      ? await build({ ...common, entryPoints: [join(repo, entry.source.entry)] })
      : await build({ ...common, stdin: { contents: entry.source.contents, resolveDir: repo, loader: 'ts', sourcefile: `${entry.name}.ts` } });
  const output = Object.values((result.metafile as Metafile).outputs)[0]!;
  const sdkImports = [
    ...new Set(output.imports.filter((imported) => imported.external && imported.path.startsWith('@aws-sdk/')).map((imported) => imported.path)),
  ];
  return { file, bytes: output.bytes, sdkImports };
}

const benchEnv = {
  ...process.env,
  AWS_REGION: 'us-east-1',
  AWS_ACCESS_KEY_ID: 'bench',
  AWS_SECRET_ACCESS_KEY: 'bench',
  POWERTOOLS_SERVICE_NAME: 'bench',
  HEADROOM_IDEMPOTENCY_TABLE: 'bench-idempotency',
  HEADROOM_BACKLOG_SOURCES: '[]',
};

/** Milliseconds a fresh `node` takes to import (evaluate) one module: a cold start's module init. */
function coldImportMs(file: string): number {
  const script = `const t = performance.now(); await import(${JSON.stringify(pathToFileURL(file).href)}); process.stdout.write(String(performance.now() - t));`;
  try {
    return Number(
      execFileSync(process.execPath, ['--input-type=module', '-e', script], { env: benchEnv, encoding: 'utf8', cwd: outDir, stdio: 'pipe' }),
    );
  } catch (error) {
    const stderr = String((error as { stderr?: string }).stderr ?? '');
    // A minified bundle's stack trace is one huge line: keep the error's own line.
    const reason = stderr
      .split('\n')
      .filter((line) => /Error/.test(line) && line.length < 2000)
      .join('\n');
    throw new Error(`importing ${file} failed: ${reason || stderr.slice(-500)}`);
  }
}

// --- per-message overhead -------------------------------------------------------------------------------

function sqsEvent(size: number, bodyBytes: number): SQSEvent {
  const body = JSON.stringify({ orderId: 'x', pad: 'p'.repeat(Math.max(0, bodyBytes - 30)) });
  return { Records: Array.from({ length: size }, (_, index) => sqsRecord({ messageId: `m-${index}`, body })) };
}

// Long enough that the kit's deadline awareness never stops a measured batch.
const context = lambdaContext(3_600_000);

interface Workload {
  readonly label: string;
  readonly bodyBytes: number;
  readonly work: (body: string) => unknown;
}

const workloads: Workload[] = [
  { label: 'parse a 200 B JSON body (almost no work: worst case for the ratio)', bodyBytes: 200, work: (body) => JSON.parse(body) },
  {
    label: 'parse a 2 KB JSON body + SHA-256 of it',
    bodyBytes: 2_000,
    work: (body) =>
      createHash('sha256')
        .update(JSON.stringify(JSON.parse(body)))
        .digest('hex'),
  },
  {
    label: 'parse a 2 KB JSON body + 20 SHA-256 rounds (~0.1 ms of CPU)',
    bodyBytes: 2_000,
    work: (body) => {
      let digest = JSON.stringify(JSON.parse(body));
      for (let round = 0; round < 20; round += 1) digest = createHash('sha256').update(digest).update(body).digest('hex');
      return digest;
    },
  },
];

/** What a hand-written handler minimally does: the same work per record, failures collected for the response. */
function bareLoop(work: (body: string) => unknown) {
  return async (event: SQSEvent): Promise<SQSBatchResponse> => {
    const batchItemFailures: { itemIdentifier: string }[] = [];
    for (const record of event.Records) {
      try {
        await work(record.body);
      } catch {
        batchItemFailures.push({ itemIdentifier: record.messageId });
      }
    }
    return { batchItemFailures };
  };
}

/** Runs `invoke` over the batch `rounds` times; returns nanoseconds per message. */
async function nsPerMessage(invoke: () => Promise<unknown>, rounds: number, batchSize: number): Promise<number> {
  const started = process.hrtime.bigint();
  for (let round = 0; round < rounds; round += 1) await invoke();
  return Number(process.hrtime.bigint() - started) / (rounds * batchSize);
}

async function overheadRows(): Promise<string[]> {
  const batchSize = 100;
  const rows: string[] = [];
  // EMF and log lines go to a sink that only counts bytes, like Lambda's log pipe: their cost is kept.
  const write = process.stdout.write.bind(process.stdout);
  let sunk = 0;
  const sink = (chunk: string | Uint8Array): boolean => {
    sunk += chunk.length;
    return true;
  };
  for (const workload of workloads) {
    const event = sqsEvent(batchSize, workload.bodyBytes);
    const bare = bareLoop(workload.work);
    const kitParallel = createQueueConsumer((body: string) => workload.work(body), { env: {} });
    const kitSequential = createQueueConsumer((body: string) => workload.work(body), { env: {}, processInParallel: false });
    const samples = { bare: [] as number[], parallel: [] as number[], sequential: [] as number[] };
    process.stdout.write = sink as typeof process.stdout.write;
    try {
      // Warm up, then alternate the three so drift and GC hit them alike.
      for (let warm = 0; warm < 50; warm += 1) {
        await bare(event);
        await kitParallel(event, context);
        await kitSequential(event, context);
      }
      for (let sample = 0; sample < 15; sample += 1) {
        samples.bare.push(await nsPerMessage(() => bare(event), 40, batchSize));
        samples.parallel.push(await nsPerMessage(() => kitParallel(event, context), 40, batchSize));
        samples.sequential.push(await nsPerMessage(() => kitSequential(event, context), 40, batchSize));
      }
    } finally {
      process.stdout.write = write;
    }
    const bareNs = median(samples.bare);
    const parallelNs = median(samples.parallel);
    const sequentialNs = median(samples.sequential);
    const ratio = (ns: number): string => `${(ns / bareNs).toFixed(2)}${ns / bareNs <= OVERHEAD_TARGET ? '' : ' ✗'}`;
    rows.push(
      `| ${workload.label} | ${(bareNs / 1000).toFixed(1)} | ${(parallelNs / 1000).toFixed(1)} | ${ratio(parallelNs)} | ${(sequentialNs / 1000).toFixed(1)} | ${ratio(sequentialNs)} | ${((parallelNs - bareNs) / 1000).toFixed(1)} |`,
    );
  }
  if (sunk === 0) throw new Error('the kit wrote no EMF: the overhead measured would leave out its metrics');
  return rows;
}

export async function run(): Promise<void> {
  mkdirSync(outDir, { recursive: true });
  const bundles = await Promise.all(entries.map(async (entry) => ({ entry, ...(await bundle(entry)) })));

  // Baselines measured in the same run: an empty module, and a module importing only the SDK clients a bundle
  // imports (the runtime provides them, but loading them is still part of the function's init).
  const empty = join(outDir, 'empty.mjs');
  writeFileSync(empty, 'export const handler = async () => undefined;\n');
  const sdkOnly = new Map<string, string>();
  for (const { entry, sdkImports } of bundles) {
    const file = join(outDir, `${entry.name}.sdk-only.mjs`);
    writeFileSync(file, `${sdkImports.map((path) => `import ${JSON.stringify(path)};`).join('\n')}\n`);
    sdkOnly.set(entry.name, file);
  }
  const files = [empty, ...bundles.flatMap(({ entry, file }) => [file, sdkOnly.get(entry.name)!])];
  const times = new Map<string, number[]>(files.map((file) => [file, []]));
  for (let round = 0; round < INIT_RUNS; round += 1) for (const file of files) times.get(file)!.push(coldImportMs(file));
  const emptyMs = median(times.get(empty)!);

  const sizeRows = bundles.map(({ entry, bytes, file, sdkImports }) => {
    const initMs = median(times.get(file)!);
    const sdkMs = median(times.get(sdkOnly.get(entry.name)!)!);
    const mark = (ok: boolean): string => (ok ? '✓' : '✗');
    return `| ${entry.what} | ${(bytes / 1024).toFixed(1)} ${mark(bytes <= BUNDLE_TARGET_BYTES)} | ${initMs.toFixed(1)} ${mark(initMs <= INIT_TARGET_MS)} | ${(initMs / emptyMs).toFixed(1)} | ${sdkMs.toFixed(1)} | ${(initMs - sdkMs).toFixed(1)} | ${sdkImports.map((path) => path.replace('@aws-sdk/', '')).join(', ')} |`;
  });
  const overhead = await overheadRows();

  const report = [
    '# Functions: bundle size, cold init, consumer kit overhead',
    '',
    'Reproduce: `npm run bench -- functions` (writes this file).',
    '',
    `Measured ${new Date().toISOString().slice(0, 10)} on Node ${process.version} (${process.platform}/${process.arch}); Lambda runs Node.js 22.`,
    '',
    '## Bundles and cold module init',
    '',
    'esbuild, minified ESM, platform node, target node22, `@aws-sdk/*` external (the runtime provides it), the',
    "same settings as the constructs' NodejsFunction. Init = time for a fresh `node` process to import the bundle",
    `(median of ${INIT_RUNS} processes, runs interleaved); the empty module's import took ${emptyMs.toFixed(1)} ms in the same run.`,
    "`SDK only` imports just the SDK clients the bundle imports: the runtime's share of the init; `own code` is the rest.",
    `Targets: bundle <= 50 KB, init <= ${INIT_TARGET_MS} ms.`,
    '',
    '| bundle | size (KB) | init (ms) | init / empty module | SDK only (ms) | own code (ms) | SDK clients imported |',
    '| --- | ---: | ---: | ---: | ---: | ---: | --- |',
    ...sizeRows,
    '',
    '## Queue consumer kit: per-message overhead',
    '',
    'Batches of 100 records, in-process; the bare loop does the same work per record and collects failures into',
    "a batch response, nothing else. The kit adds Powertools' BatchProcessor, middy, the Logger context, EMF",
    '(MessageProcessingTime per message, counts per batch; written to a byte-counting sink) and the deadline race.',
    `Median of 15 samples of 40 batches each, interleaved. Target: ratio <= ${OVERHEAD_TARGET}.`,
    '',
    '| work per message | bare loop (µs/msg) | kit, parallel (µs/msg) | ratio | kit, sequential (µs/msg) | ratio | kit overhead (µs/msg) |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: |',
    ...overhead,
    '',
  ].join('\n');
  mkdirSync(join(dirname(fileURLToPath(import.meta.url)), 'results'), { recursive: true });
  writeFileSync(fileURLToPath(new URL('./results/functions.md', import.meta.url)), report);
  console.log(report);
}

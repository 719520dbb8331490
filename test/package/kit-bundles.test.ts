import { execFile, spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { CreateQueueCommand, GetQueueAttributesCommand, SendMessageBatchCommand, SQSClient } from '@aws-sdk/client-sqs';
import * as esbuild from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { uniqueName } from '../support/names.ts';

// Both runtime kits as users ship them: an entry that imports `cdk-headroom/consumer` or `cdk-headroom/worker`,
// bundled by esbuild (what NodejsFunction runs) as CommonJS and as an ES module, then run by node against moto.
// The package's exports resolve the import to the built dist/ (run `npm run build` first).
const run = promisify(execFile);
const root = join(import.meta.dirname, '..', '..');
let workDir: string;

beforeAll(() => {
  if (!existsSync(join(root, 'dist', 'esm', 'functions', 'queue-worker', 'index.js')))
    throw new Error('the kits are not built (dist/esm/functions/queue-worker/index.js is missing): run `npm run build`');
  // Under the package, so the bundler resolves `cdk-headroom/...` as the package's own exports (a self-reference).
  mkdirSync(join(root, 'node_modules', '.cache'), { recursive: true });
  workDir = mkdtempSync(join(root, 'node_modules', '.cache', 'kit-bundles-'));
});
afterAll(() => rmSync(workDir, { recursive: true, force: true }));

const CONSUMER_ENTRY = `
import { createQueueConsumer } from 'cdk-headroom/consumer';
const handler = createQueueConsumer(async (body: string) => { if (body === 'poison') throw undefined; }, { env: {} });
const record = (messageId: string) => ({ messageId, body: messageId, receiptHandle: 'r', md5OfBody: '', eventSource: 'aws:sqs',
  eventSourceARN: 'arn:aws:sqs:us-east-1:123456789012:orders', awsRegion: 'us-east-1', messageAttributes: {},
  attributes: { ApproximateReceiveCount: '1', SentTimestamp: String(Date.now()), SenderId: 's', ApproximateFirstReceiveTimestamp: '1' } });
const context = { functionName: 'f', awsRequestId: 'r', getRemainingTimeInMillis: () => 30000 } as never;
handler({ Records: [record('ok'), record('poison')] }, context).then((response) => console.log('RESULT ' + JSON.stringify(response)));
`;

const WORKER_ENTRY = `
import { createQueueWorker } from 'cdk-headroom/worker';
const worker = createQueueWorker(async (message: { n: number }) => message.n, {
  queueUrl: process.env.QUEUE_URL!, parse: JSON.parse, waitTimeSeconds: 1, metrics: false, stopSignals: [],
});
const done = worker.run();
const poll = setInterval(() => { if (worker.summary.processed === 3) { clearInterval(poll); void worker.stop(); } }, 50);
done.then((summary) => console.log('RESULT ' + JSON.stringify(summary)));
`;

async function bundleAndRun(entrySource: string, format: 'cjs' | 'esm', env: Record<string, string> = {}): Promise<unknown> {
  const name = uniqueName(format);
  const entry = join(workDir, `${name}.ts`);
  writeFileSync(entry, entrySource);
  const outfile = join(workDir, `${name}.${format === 'esm' ? 'mjs' : 'cjs'}`);
  // No banner defining `require` (a CommonJS module reached from the ESM bundle would crash it). The SDK is bundled
  // too, as for an ECS task, which has none of its own; for ESM with module-first resolution, as NodejsFunction's docs
  // advise for ESM (the SDK's CommonJS builds require("node:zlib"), which an ESM bundle cannot).
  await esbuild.build({
    entryPoints: [entry],
    outfile,
    bundle: true,
    platform: 'node',
    target: 'node20',
    format,
    ...(format === 'esm' ? { mainFields: ['module', 'main'] } : {}),
    logLevel: 'error',
  });
  const { stdout } = await run(process.execPath, [outfile], { env: { ...process.env, POWERTOOLS_LOG_LEVEL: 'SILENT', ...env }, timeout: 60_000 });
  const line = stdout.split('\n').find((text) => text.startsWith('RESULT '));
  if (!line) throw new Error(`the bundle printed no result: ${stdout}`);
  return JSON.parse(line.slice('RESULT '.length));
}

describe.each(['esm', 'cjs'] as const)('the kits bundled by esbuild as %s', (format) => {
  it('the Lambda kit loads and answers a batch, the failing record reported', async () => {
    expect(await bundleAndRun(CONSUMER_ENTRY, format)).toEqual({ batchItemFailures: [{ itemIdentifier: 'poison' }] });
  });

  it('the worker kit loads and consumes a queue on moto', async () => {
    const sqs = new SQSClient({});
    const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: uniqueName('bundled-worker') }));
    await sqs.send(new SendMessageBatchCommand({ QueueUrl, Entries: [1, 2, 3].map((n) => ({ Id: `m${n}`, MessageBody: JSON.stringify({ n }) })) }));
    expect(await bundleAndRun(WORKER_ENTRY, format, { QUEUE_URL: QueueUrl! })).toMatchObject({ received: 3, processed: 3, failed: 0 });
    const { Attributes } = await sqs.send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['ApproximateNumberOfMessages'] }));
    expect(Attributes?.ApproximateNumberOfMessages).toBe('0');
  });
});

describe("the reference app's worker task image (dist/assets/demo-worker-task)", () => {
  it('consumes orders from QUEUE_URL and, on a real SIGTERM, stops and exits 0 with its summary', async () => {
    const sqs = new SQSClient({});
    const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: uniqueName('worker-task') }));
    const orders = [1, 2, 3, 4, 5].map((n) => ({
      Id: `o${n}`,
      MessageBody: JSON.stringify({ orderId: `o${n}`, lines: [{ sku: 's', quantity: n, unitPrice: 1 }] }),
    }));
    await sqs.send(new SendMessageBatchCommand({ QueueUrl, Entries: orders }));
    const child = spawn(process.execPath, [join(root, 'dist', 'assets', 'demo-worker-task', 'index.mjs')], {
      env: { ...process.env, QUEUE_URL: QueueUrl!, POWERTOOLS_LOG_LEVEL: 'SILENT' },
    });
    let stdout = '';
    child.stdout.on('data', (chunk) => {
      stdout += String(chunk);
    });
    const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
    for (let waited = 0; waited < 30_000; waited += 200) {
      const { Attributes } = await sqs.send(
        new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'] }),
      );
      if (Attributes?.ApproximateNumberOfMessages === '0' && Attributes.ApproximateNumberOfMessagesNotVisible === '0') break;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    const line = stdout.split('\n').find((text) => text.includes('"worker stopped"'));
    expect(JSON.parse(line!)).toMatchObject({ received: 5, processed: 5, failed: 0 });
  }, 60_000);
});

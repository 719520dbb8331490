// The worker kit: its overhead per message against a bare ReceiveMessage/DeleteMessage loop on moto (same run, same
// server), the messages per second one process sustains at concurrency 1 and 10, and the simulator's work lost to
// scale-in with and without task protection on traces with long jobs. Writes bench/results/worker.md.
//   nice npm run bench -- worker
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import {
  CreateQueueCommand,
  DeleteMessageBatchCommand,
  DeleteMessageCommand,
  ReceiveMessageCommand,
  SendMessageBatchCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import { localAwsEnvironment, startLocalAws } from '../cli/local-aws/moto-server.ts';
import { createQueueWorker } from '../functions/queue-worker/index.ts';
import { arrivalsPerMinute } from '../shared/simulate/arrivals.ts';
import type { BacklogParameters } from '../shared/simulate/parameters.ts';
import { simulateReactive } from '../shared/simulate/replay.ts';
import { replayScaleInLoss } from '../shared/simulate/scale-in-loss.ts';
import { lastDays } from '../shared/series/regular-series.ts';
import { median, readTraceFile, table } from './support/traces.ts';

const MESSAGES = 100;
const ROUNDS = 3;

async function fill(sqs: SQSClient, name: string): Promise<string> {
  const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: name, Attributes: { VisibilityTimeout: '60' } }));
  for (let start = 0; start < MESSAGES; start += 10) {
    await sqs.send(
      new SendMessageBatchCommand({
        QueueUrl,
        Entries: Array.from({ length: 10 }, (_, index) => ({ Id: `m${index}`, MessageBody: JSON.stringify({ n: start + index }) })),
      }),
    );
  }
  return QueueUrl!;
}

/** The baseline: receive, handle (nothing), delete; one message per receive at concurrency 1, ten (batch delete) at 10. */
async function bareLoop(sqs: SQSClient, queueUrl: string, batch: 1 | 10): Promise<number> {
  const began = performance.now();
  let handled = 0;
  while (handled < MESSAGES) {
    const { Messages = [] } = await sqs.send(new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: batch, WaitTimeSeconds: 1 }));
    for (const message of Messages) JSON.parse(message.Body!);
    if (batch === 1 && Messages[0]) await sqs.send(new DeleteMessageCommand({ QueueUrl: queueUrl, ReceiptHandle: Messages[0].ReceiptHandle }));
    else if (Messages.length > 0)
      await sqs.send(
        new DeleteMessageBatchCommand({
          QueueUrl: queueUrl,
          Entries: Messages.map((message, index) => ({ Id: String(index), ReceiptHandle: message.ReceiptHandle })),
        }),
      );
    handled += Messages.length;
  }
  return performance.now() - began;
}

async function kitLoop(sqs: SQSClient, queueUrl: string, concurrency: number): Promise<number> {
  const worker = createQueueWorker(async () => undefined, {
    queueUrl,
    parse: JSON.parse,
    concurrency,
    waitTimeSeconds: 1,
    sqsClient: sqs,
    stopSignals: [],
    metrics: false,
    taskProtection: false,
  });
  const began = performance.now();
  const done = worker.run();
  await new Promise<void>((resolve) => {
    const poll = setInterval(() => {
      if (worker.summary.processed >= MESSAGES) {
        clearInterval(poll);
        resolve();
      }
    }, 5);
  });
  const elapsed = performance.now() - began;
  await worker.stop();
  await done;
  return elapsed;
}

async function overhead(): Promise<string> {
  const localAws = await startLocalAws();
  Object.assign(process.env, localAwsEnvironment(localAws.endpoint), { POWERTOOLS_LOG_LEVEL: 'SILENT' });
  const sqs = new SQSClient({});
  try {
    const rows: string[][] = [];
    for (const concurrency of [1, 10] as const) {
      const bare: number[] = [];
      const kit: number[] = [];
      for (let round = 0; round < ROUNDS; round++) {
        // Alternate, so drift on the shared machine hits both alike.
        bare.push(await bareLoop(sqs, await fill(sqs, `bench-bare-${concurrency}-${round}-${Date.now()}`), concurrency));
        kit.push(await kitLoop(sqs, await fill(sqs, `bench-kit-${concurrency}-${round}-${Date.now()}`), concurrency));
      }
      const bareMs = median(bare) / MESSAGES;
      const kitMs = median(kit) / MESSAGES;
      rows.push([
        String(concurrency),
        `${(1000 / bareMs).toFixed(0)}`,
        `${(1000 / kitMs).toFixed(0)}`,
        `${bareMs.toFixed(2)}`,
        `${kitMs.toFixed(2)}`,
        `${(kitMs / bareMs).toFixed(2)}`,
      ]);
      console.log(`concurrency ${concurrency}: bare ${bareMs.toFixed(2)} ms/msg, kit ${kitMs.toFixed(2)} ms/msg`);
    }
    return table(['concurrency', 'bare msg/s', 'kit msg/s', 'bare ms/msg', 'kit ms/msg', 'kit / bare'], rows);
  } finally {
    await localAws.stop();
  }
}

/** Long jobs: 20 minutes each, the traces scaled so their busiest minute needs 30 workers. */
const JOB_MINUTES = 20;
const PEAK_WORKERS = 30;
const TRACE_DAYS = 14;
const parameters: BacklogParameters = {
  throughputPerWorker: 1 / (JOB_MINUTES * 60),
  startupMs: 90_000,
  sloMs: 3_600_000,
  minCapacity: 1,
  maxCapacity: 40,
};
const TRACES = [
  ['nyc-taxi (regular)', 'nyc-taxi-passengers-30min.csv'],
  ['twitter AAPL (bursty)', 'twitter-volume-AAPL-5min.csv'],
] as const;
const POLICIES = ['backlog-target-tracking', 'headroom-reactive'] as const;

function scaleInLoss(): string {
  const rows: string[][] = [];
  for (const [label, file] of TRACES) {
    const raw = arrivalsPerMinute(lastDays(readTraceFile(file), TRACE_DAYS));
    const scale = PEAK_WORKERS / JOB_MINUTES / Math.max(...raw);
    const arrivals = raw.map((value) => value * scale);
    for (const policy of POLICIES) {
      const { timeline } = simulateReactive(policy, arrivals, [], parameters, undefined, {}, () => undefined);
      for (const protection of [false, true]) {
        const loss = replayScaleInLoss(arrivals, timeline.running, {
          jobMinutes: JOB_MINUTES,
          protection,
          idleReleaseMinutes: 1,
          visibilityTimeoutMinutes: 5,
        });
        rows.push([
          label,
          policy,
          protection ? 'on' : 'off',
          String(loss.jobsCompleted),
          String(loss.jobsCutShort),
          `${((100 * loss.jobsCutShort) / Math.max(1, loss.jobsCompleted)).toFixed(1)}%`,
          (loss.workMinutesLost / 60).toFixed(1),
          (loss.taskMinutes / 60).toFixed(0),
          (loss.protectedOverrunTaskMinutes / 60).toFixed(1),
          String(loss.maxWaitMinutes),
        ]);
      }
    }
  }
  return table(
    [
      'trace',
      'policy',
      'protection',
      'jobs done',
      'cut short',
      'cut / done',
      'task-hours lost',
      'task-hours paid',
      'task-hours kept by protection',
      'max wait (min)',
    ],
    rows,
  );
}

export async function run(): Promise<void> {
  const lossTable = scaleInLoss();
  console.log(lossTable);
  writeReport('(not measured yet: the run did not finish)', lossTable);
  writeReport(await overhead(), lossTable);
}

function writeReport(overheadTable: string, lossTable: string): void {
  const report = [
    '# Worker kit',
    '',
    `Measured by \`nice npm run bench -- worker\` (bench/worker.bench.ts) on moto, ${MESSAGES} messages per round, median of ${ROUNDS} rounds, on a`,
    'shared 2-core machine: the ratios matter, not the absolute rates (moto answers far slower than SQS).',
    '',
    '## Overhead per message against a bare ReceiveMessage/DeleteMessage loop',
    '',
    'The handler does nothing (JSON.parse of the body), so the difference is the kit: record conversion, the heartbeat,',
    'FIFO grouping, batched deletes, logging. At concurrency 1 both receive one message and delete it; at 10 the bare',
    'loop receives ten and deletes them in one batch, the kit keeps up to ten in flight.',
    '',
    overheadTable,
    '',
    "Within moto's noise the kit costs nothing measurable: a round trip to moto takes 35-60 ms on this machine, the",
    "kit's own work per message well under a millisecond, and which loop ran first in a round moves the figures more",
    'than the kit does (hence a ratio below 1 at concurrency 1). Against SQS, with round trips of a few milliseconds,',
    'this bench does not bound the overhead more tightly than that.',
    '',
    '## Work lost to scale-in, with and without task protection',
    '',
    `Each message keeps one task busy ${JOB_MINUTES} minutes; the traces' last ${TRACE_DAYS} days scaled so the busiest minute needs`,
    `${PEAK_WORKERS} tasks. The policy's started-task count per minute (the simulator's replay) is replayed with whole jobs`,
    '(shared/simulate/scale-in-loss.ts): without protection a scale-in stops tasks ECS chooses (modelled as a seeded',
    'uniform choice) and a busy one loses its job, which starts again after the 5-minute visibility timeout; with',
    'protection a busy task (or one idle for under a minute) is never chosen and the scale-in waits, its tasks paid for',
    '("task-hours kept by protection").',
    '',
    lossTable,
    '',
    "Open loop: the policy's task counts come from the fluid replay, which does not see the jobs a scale-in cut short,",
    'so without protection the re-queued jobs are served only by capacity the policy would have had anyway (hence the',
    'long waits and the jobs still unfinished at the end). What protection costs here is the task-hours it keeps',
    'running; what it saves is the task-hours lost and the jobs redone.',
    '',
  ].join('\n');
  writeFileSync(fileURLToPath(new URL('results/worker.md', import.meta.url)), report);
  console.log(report);
}

import { setTimeout as sleep } from 'node:timers/promises';
import { CreateQueueCommand, SendMessageBatchCommand, SQSClient } from '@aws-sdk/client-sqs';
import { Logger } from '@aws-lambda-powertools/logger';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createQueueWorker, TaskProtectionClient, TaskProtectionError } from '../../functions/queue-worker/index.ts';
import { type FakeEcsAgent, startFakeEcsAgent } from '../support/ecs-agent-task-protection.ts';
import { uniqueName } from '../support/names.ts';

// There is no ECS agent here and moto has no task-protection API: the client and the worker talk to a local server
// that answers with exactly the request and response shapes the ECS developer guide documents (quoted in
// test/support/ecs-agent-task-protection.ts). Whether ECS then spares the task at scale-in is ECS's part and unproven here.
vi.stubEnv('POWERTOOLS_LOG_LEVEL', 'SILENT');

let agent: FakeEcsAgent;
beforeEach(async () => {
  agent = await startFakeEcsAgent();
});
afterEach(async () => {
  await agent.close();
});

describe('TaskProtectionClient against the documented agent endpoint', () => {
  it('protects with PUT {"ProtectionEnabled":true,"ExpiresInMinutes":n} and reads the expiry from the answer', async () => {
    const client = new TaskProtectionClient(agent.agentUri);
    const before = Date.now();
    const status = await client.set(true, 15);
    expect(agent.requests).toEqual([
      { method: 'PUT', path: '/task-protection/v1/state', body: { ProtectionEnabled: true, ExpiresInMinutes: 15 }, at: expect.any(Number) },
    ]);
    expect(status.protectionEnabled).toBe(true);
    expect(status.taskArn).toMatch(/^arn:aws:ecs:.*:task\//);
    // ExpirationDate is whole seconds: within a second of 15 minutes from now.
    expect(status.expiresAt! - before).toBeGreaterThan(15 * 60_000 - 1000);
    expect(status.expiresAt! - before).toBeLessThanOrEqual(15 * 60_000 + 1000);
  });

  it('releases with PUT {"ProtectionEnabled":false}, and GET then reports no protection and a null expiry', async () => {
    const client = new TaskProtectionClient(agent.agentUri);
    await client.set(true, 5);
    await client.set(false);
    expect(agent.requests[1]!.body).toEqual({ ProtectionEnabled: false });
    expect(await client.get()).toEqual({ protectionEnabled: false, expiresAt: undefined, taskArn: expect.any(String) });
  });

  it('turns the documented failure shape into a TaskProtectionError with its Reason', async () => {
    agent.setMode('task-not-valid');
    const error = await new TaskProtectionClient(agent.agentUri).set(true, 5).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(TaskProtectionError);
    expect(error).toMatchObject({ code: 'TASK_NOT_VALID', message: 'ECS task protection failed: TASK_NOT_VALID' });
  });

  it('turns the documented error shape into a TaskProtectionError with its Code and Message', async () => {
    agent.setMode('access-denied');
    const error = await new TaskProtectionClient(agent.agentUri).set(true, 5).catch((caught: unknown) => caught);
    expect(error).toMatchObject({
      code: 'AccessDeniedException',
      message: expect.stringMatching(/not authorized to perform: ecs:UpdateTaskProtection/),
    });
  });

  it('says the agent did not answer when nothing listens at ECS_AGENT_URI', async () => {
    const closed = agent.agentUri;
    await agent.close();
    agent = await startFakeEcsAgent();
    const error = await new TaskProtectionClient(closed, 1000).get().catch((caught: unknown) => caught);
    expect(error).toMatchObject({ code: 'AgentUnreachable' });
  });
});

describe('a worker on ECS protects its task while it holds messages', () => {
  const sqs = new SQSClient({});

  async function queueWith(bodies: readonly string[]): Promise<string> {
    const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: uniqueName('protected') }));
    for (let start = 0; start < bodies.length; start += 10)
      await sqs.send(
        new SendMessageBatchCommand({
          QueueUrl,
          Entries: bodies.slice(start, start + 10).map((body, index) => ({ Id: `m${index}`, MessageBody: body })),
        }),
      );
    return QueueUrl!;
  }

  it('is protected whenever a message is being handled, protects once for a run of messages and releases after idling', async () => {
    const queueUrl = await queueWith(Array.from({ length: 20 }, (_, index) => `m${index}`));
    const protectedDuringHandling: boolean[] = [];
    const worker = createQueueWorker(
      async () => {
        protectedDuringHandling.push(agent.protectedNow());
        await sleep(20);
      },
      {
        queueUrl,
        waitTimeSeconds: 1,
        concurrency: 2,
        stopSignals: [],
        metrics: false,
        // What ECS injects into the container; the worker turns protection on from it.
        env: { ECS_AGENT_URI: agent.agentUri },
        taskProtection: { idleReleaseMs: 500 },
      },
    );
    const done = worker.run();
    await until(() => worker.summary.processed === 20, 20_000);
    // The first message may start before the agent has answered the first PUT: work never waits on protection.
    expect(protectedDuringHandling.slice(2).every(Boolean)).toBe(true);
    expect(worker.taskProtected).toBe(true);
    await until(() => !agent.protectedNow(), 5_000);
    await worker.stop();
    await done;
    const puts = agent.requests.filter((request) => request.method === 'PUT').map((request) => request.body);
    // Hysteresis: one protect for the whole run of 20 messages, one release after 500 ms idle; ECS's default expiry is
    // never used (ExpiresInMinutes always sent), so a task that crashed while protected is released within 15 minutes.
    expect(puts).toEqual([{ ProtectionEnabled: true, ExpiresInMinutes: 15 }, { ProtectionEnabled: false }]);
  });

  it('goes on handling messages when the agent refuses protection (the task role lacks ecs:UpdateTaskProtection)', async () => {
    agent.setMode('access-denied');
    const queueUrl = await queueWith(['a', 'b', 'c']);
    const logger = new Logger({ logLevel: 'SILENT' });
    const warn = vi.spyOn(logger, 'warn');
    const worker = createQueueWorker(async () => undefined, {
      queueUrl,
      waitTimeSeconds: 1,
      stopSignals: [],
      metrics: false,
      logger,
      taskProtection: { agentUri: agent.agentUri },
    });
    const done = worker.run();
    await until(() => worker.summary.processed === 3, 10_000);
    await worker.stop();
    await done;
    expect(worker.taskProtected).toBe(false);
    expect(warn.mock.calls.some(([message]) => /could not protect the task from scale-in/.test(String(message)))).toBe(true);
  });
});

async function until(condition: () => boolean, timeoutMs: number): Promise<void> {
  const giveUpAt = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > giveUpAt) throw new Error('timed out');
    await sleep(25);
  }
}

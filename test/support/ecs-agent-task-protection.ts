import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A stand-in for the ECS container agent's task scale-in protection endpoint, answering exactly as the ECS developer
 * guide documents it (https://docs.aws.amazon.com/AmazonECS/latest/developerguide/task-scale-in-protection-endpoint.html):
 *
 *   "Use a PUT request to this URI from within a container to set task scale-in protection. A GET request to this URI
 *    returns the current protection status of a task."   URI: $ECS_AGENT_URI/task-protection/v1/state
 *   Request: "ProtectionEnabled — Specify true to mark a task for protection. Specify false to remove protection ...
 *    Type: Boolean, Required: Yes"; "ExpiresInMinutes — ... a minimum of 1 minute to up to 2,880 minutes (48 hours) ...
 *    If you don't specify the time, then the task is automatically protected for 120 minutes (2 hours). Type: Integer,
 *    Required: No"
 *   Response (protected): { "protection": { "ExpirationDate": "2022-10-06T02:29:16Z", "ProtectionEnabled": true,
 *    "TaskArn": "arn:aws:ecs:us-west-2:111122223333:task/1234567890abcdef0" } }  ("ExpirationDate ... If the task is
 *    not protected, this value will be null.")
 *   Failure: { "failure": { "Arn": "...", "Detail": null, "Reason": "TASK_NOT_VALID" } }
 *   Error: { "requestID": "12345-abc-6789-0123-abc", "error": { "Arn": "...", "Code": "AccessDeniedException",
 *    "Message": "User: ... is not authorized to perform: ecs:GetTaskProtection ..." } }, and
 *    { "requestID": "...", "error": { "Arn": "...", "Code": "ThrottlingException", "Message": "Rate exceeded" } }
 *
 * It is not the agent (there is none here): it holds the task's protection state, applies ExpiresInMinutes against the
 * real clock, records every request, and can be told to answer the documented failure or error shapes.
 */
export interface AgentRequest {
  readonly method: string;
  readonly path: string;
  readonly body: Record<string, unknown> | undefined;
  readonly at: number;
}

export type AgentMode = 'ok' | 'task-not-valid' | 'access-denied' | 'throttling';

export interface FakeEcsAgent {
  readonly agentUri: string;
  readonly requests: AgentRequest[];
  /** The task's protection as the agent would report it now. */
  protectedNow(): boolean;
  setMode(mode: AgentMode): void;
  close(): Promise<void>;
}

const TASK_ARN = 'arn:aws:ecs:us-east-1:123456789012:task/headroom/0123456789abcdef0';

export async function startFakeEcsAgent(): Promise<FakeEcsAgent> {
  const requests: AgentRequest[] = [];
  let expiresAt: number | undefined;
  let mode: AgentMode = 'ok';
  const protectedNow = () => expiresAt !== undefined && expiresAt > Date.now();

  const server: Server = createServer(async (request, response) => {
    const text = await readBody(request);
    const body = text ? (JSON.parse(text) as Record<string, unknown>) : undefined;
    requests.push({ method: request.method ?? '', path: request.url ?? '', body, at: Date.now() });
    const answer = (status: number, json: unknown) => {
      response.writeHead(status, { 'Content-Type': 'application/json' });
      response.end(JSON.stringify(json));
    };
    if (request.url !== '/task-protection/v1/state') return answer(404, { error: { Arn: TASK_ARN, Code: 'NotFound', Message: 'no such path' } });
    if (mode === 'task-not-valid') return answer(200, { failure: { Arn: TASK_ARN, Detail: null, Reason: 'TASK_NOT_VALID' } });
    if (mode === 'access-denied')
      return answer(400, {
        requestID: '12345-abc-6789-0123-abc',
        error: {
          Arn: TASK_ARN,
          Code: 'AccessDeniedException',
          Message: `User: arn:aws:sts::123456789012:assumed-role/task-role/0123 is not authorized to perform: ecs:UpdateTaskProtection on resource: ${TASK_ARN}`,
        },
      });
    if (mode === 'throttling')
      return answer(400, { requestID: '12345-abc-6789-0123-abc', error: { Arn: TASK_ARN, Code: 'ThrottlingException', Message: 'Rate exceeded' } });
    if (request.method === 'PUT') {
      if (typeof body?.ProtectionEnabled !== 'boolean')
        return answer(400, { error: { Arn: TASK_ARN, Code: 'InvalidParameterException', Message: 'ProtectionEnabled is required' } });
      const minutes = body.ExpiresInMinutes ?? 120;
      if (!Number.isInteger(minutes) || (minutes as number) < 1 || (minutes as number) > 2880)
        return answer(400, { error: { Arn: TASK_ARN, Code: 'InvalidParameterException', Message: 'ExpiresInMinutes must be 1 to 2880' } });
      expiresAt = body.ProtectionEnabled ? Date.now() + (minutes as number) * 60_000 : undefined;
    } else if (request.method !== 'GET') {
      return answer(405, { error: { Arn: TASK_ARN, Code: 'MethodNotAllowed', Message: request.method } });
    }
    const on = protectedNow();
    return answer(200, {
      protection: {
        ExpirationDate: on ? new Date(expiresAt!).toISOString().replace(/\.\d{3}Z$/, 'Z') : null,
        ProtectionEnabled: on,
        TaskArn: TASK_ARN,
      },
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    agentUri: `http://127.0.0.1:${port}`,
    requests,
    protectedNow,
    setMode: (next) => {
      mode = next;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

async function readBody(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

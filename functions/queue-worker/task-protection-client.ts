import { TaskProtectionError } from './errors.ts';

/** ECS sets this in every container of a task (Fargate platform 1.4+, EC2 agent 1.65+). */
export const ECS_AGENT_URI_VARIABLE = 'ECS_AGENT_URI';

export interface TaskProtectionStatus {
  readonly protectionEnabled: boolean;
  /** When the protection expires (ms since the epoch); undefined when not protected. */
  readonly expiresAt: number | undefined;
  readonly taskArn: string | undefined;
}

/**
 * The ECS container agent's task scale-in protection endpoint, `$ECS_AGENT_URI/task-protection/v1/state`:
 * PUT `{"ProtectionEnabled": bool, "ExpiresInMinutes": n}`, GET for the current state. The agent answers
 * `{"protection": {...}}`, `{"failure": {"Arn", "Detail", "Reason"}}` or `{"error": {"Arn", "Code", "Message"}}`.
 * https://docs.aws.amazon.com/AmazonECS/latest/developerguide/task-scale-in-protection-endpoint.html
 * The agent calls ECS's UpdateTaskProtection/GetTaskProtection with the task role: that role needs
 * ecs:UpdateTaskProtection and ecs:GetTaskProtection (QueueScaledService grants them).
 */
export class TaskProtectionClient {
  private readonly url: string;

  constructor(
    agentUri: string,
    private readonly timeoutMs = 5_000,
  ) {
    this.url = `${agentUri.replace(/\/$/, '')}/task-protection/v1/state`;
  }

  async set(protectionEnabled: boolean, expiresInMinutes?: number): Promise<TaskProtectionStatus> {
    const body = protectionEnabled ? { ProtectionEnabled: true, ExpiresInMinutes: expiresInMinutes } : { ProtectionEnabled: false };
    return this.call('PUT', JSON.stringify(body));
  }

  async get(): Promise<TaskProtectionStatus> {
    return this.call('GET');
  }

  private async call(method: 'GET' | 'PUT', body?: string): Promise<TaskProtectionStatus> {
    let response: Response;
    try {
      response = await fetch(this.url, {
        method,
        body,
        headers: body ? { 'Content-Type': 'application/json' } : {},
        signal: AbortSignal.timeout(this.timeoutMs),
      });
    } catch (error) {
      throw new TaskProtectionError(`the ECS agent at ${this.url} did not answer: ${(error as Error).message}`, 'AgentUnreachable');
    }
    const text = await response.text();
    let parsed: AgentResponse;
    try {
      parsed = JSON.parse(text) as AgentResponse;
    } catch {
      throw new TaskProtectionError(
        `the ECS agent answered ${response.status} with a body that is not JSON: ${text.slice(0, 200)}`,
        'InvalidResponse',
      );
    }
    if (parsed.error) {
      const { Code = 'Unknown', Message = '' } = parsed.error;
      throw new TaskProtectionError(`ECS task protection error ${Code}: ${Message}`, Code);
    }
    if (parsed.failure) {
      const { Reason = 'Unknown', Detail } = parsed.failure;
      throw new TaskProtectionError(`ECS task protection failed: ${Reason}${Detail ? ` (${Detail})` : ''}`, Reason);
    }
    if (!parsed.protection)
      throw new TaskProtectionError(`the ECS agent answered ${response.status} without a protection: ${text.slice(0, 200)}`, 'InvalidResponse');
    const { ProtectionEnabled, ExpirationDate, TaskArn } = parsed.protection;
    const expiresAt = ExpirationDate ? Date.parse(ExpirationDate) : undefined;
    return { protectionEnabled: ProtectionEnabled === true, expiresAt: Number.isFinite(expiresAt) ? expiresAt : undefined, taskArn: TaskArn };
  }
}

interface AgentResponse {
  readonly protection?: { readonly ExpirationDate?: string | null; readonly ProtectionEnabled?: boolean; readonly TaskArn?: string };
  readonly failure?: { readonly Arn?: string; readonly Detail?: string | null; readonly Reason?: string };
  readonly error?: { readonly Arn?: string; readonly Code?: string; readonly Message?: string };
}

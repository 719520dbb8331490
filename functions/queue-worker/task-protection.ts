import type { Logger } from '@aws-lambda-powertools/logger';
import {
  PROTECTION_DEFAULTS,
  type ProtectionAction,
  type ProtectionSettings,
  protectionAction,
  protectionSettingsProblem,
} from '../../shared/worker/task-protection.ts';
import { QueueWorkerConfigError } from './errors.ts';
import { TaskProtectionClient } from './task-protection-client.ts';

export interface TaskProtectionOptions {
  /** @default process.env.ECS_AGENT_URI (protection is off where it is not set: not on ECS) */
  readonly agentUri?: string;
  /** How long each protect lasts unless renewed (ECS: 1 to 2,880); a crashed task is protected at most this long. @default 15 */
  readonly expiresInMinutes?: number;
  /** Renew a busy task's protection once less than this is left. @default 300000 (5 minutes) */
  readonly renewBeforeMs?: number;
  /** Give the protection back once the task has been idle this long. @default 30000 */
  readonly idleReleaseMs?: number;
}

/**
 * Keeps the task protected from scale-in while it holds messages: `acquire()` when a message is received,
 * `release()` when it is deleted or given back. Calls the ECS agent only on the transitions the shared policy
 * picks (protect on idle -> busy, renew before expiry, release after `idleReleaseMs` idle), one call at a time.
 * A failed call is logged and retried with backoff; work never waits on protection.
 */
export class BusyTaskProtection {
  private holding = 0;
  private protectedUntil: number | undefined;
  private idleSince: number | undefined;
  private inFlight: Promise<void> | undefined;
  private again = false;
  private retryAt = 0;
  private consecutiveFailures = 0;
  private timer: NodeJS.Timeout | undefined;
  private readonly settings: ProtectionSettings;
  /** Calls made to the agent, by outcome: for tests, logs and the report. */
  readonly calls = { protect: 0, release: 0, failed: 0 };

  constructor(
    private readonly client: TaskProtectionClient,
    options: TaskProtectionOptions,
    private readonly logger: Logger,
    private readonly now: () => number = Date.now,
  ) {
    this.settings = {
      expiresInMinutes: options.expiresInMinutes ?? PROTECTION_DEFAULTS.expiresInMinutes,
      renewBeforeMs: options.renewBeforeMs ?? Math.min(PROTECTION_DEFAULTS.renewBeforeMs, ((options.expiresInMinutes ?? 15) * 60_000) / 3),
      idleReleaseMs: options.idleReleaseMs ?? PROTECTION_DEFAULTS.idleReleaseMs,
    };
    const problem = protectionSettingsProblem(this.settings);
    if (problem) throw new QueueWorkerConfigError(`createQueueWorker: taskProtection.${problem}`);
    this.idleSince = now();
  }

  /** Protection for a worker on ECS (ECS_AGENT_URI set), or undefined elsewhere or when turned off. */
  static fromEnvironment(
    options: TaskProtectionOptions | false | undefined,
    env: Readonly<Record<string, string | undefined>>,
    logger: Logger,
  ): BusyTaskProtection | undefined {
    if (options === false) return undefined;
    const agentUri = options?.agentUri ?? env.ECS_AGENT_URI;
    if (!agentUri) return undefined;
    return new BusyTaskProtection(new TaskProtectionClient(agentUri), options ?? {}, logger);
  }

  get isProtected(): boolean {
    return this.protectedUntil !== undefined && this.protectedUntil > this.now();
  }

  start(): void {
    const everyMs = Math.max(250, Math.min(15_000, this.settings.renewBeforeMs / 4, this.settings.idleReleaseMs / 4 || 15_000));
    this.timer = setInterval(() => this.evaluate(), everyMs);
    this.timer.unref();
  }

  acquire(count = 1): void {
    this.holding += count;
    this.idleSince = undefined;
    this.evaluate();
  }

  release(count = 1): void {
    this.holding = Math.max(0, this.holding - count);
    if (this.holding === 0) this.idleSince = this.now();
    this.evaluate();
  }

  /** On stop: no more renewals, and the protection given back (the task is leaving anyway). */
  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.inFlight;
    if (this.isProtected) await this.apply('release');
  }

  private evaluate(): void {
    if (this.inFlight) {
      this.again = true;
      return;
    }
    const now = this.now();
    if (now < this.retryAt) return;
    const action = protectionAction({ busy: this.holding > 0, protectedUntil: this.protectedUntil, idleSince: this.idleSince }, now, this.settings);
    if (action === 'none') return;
    this.inFlight = this.apply(action).finally(() => {
      this.inFlight = undefined;
      if (this.again) {
        this.again = false;
        this.evaluate();
      }
    });
  }

  private async apply(action: Exclude<ProtectionAction, 'none'>): Promise<void> {
    const protect = action === 'protect';
    try {
      const status = await this.client.set(protect, this.settings.expiresInMinutes);
      this.calls[action] += 1;
      this.consecutiveFailures = 0;
      this.protectedUntil = status.protectionEnabled ? (status.expiresAt ?? this.now() + this.settings.expiresInMinutes * 60_000) : undefined;
    } catch (error) {
      this.calls.failed += 1;
      this.consecutiveFailures += 1;
      this.retryAt = this.now() + Math.min(60_000, 1000 * 2 ** (this.consecutiveFailures - 1));
      this.logger.warn(
        `could not ${protect ? 'protect the task from' : 'release the task for'} scale-in; work goes on unprotected and the call is retried`,
        {
          error: error as Error,
        },
      );
    }
  }
}

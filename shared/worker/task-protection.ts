/**
 * When a worker task asks ECS for scale-in protection and when it gives it back: protect on idle -> busy, renew
 * while busy before the protection expires, release only after the task has stayed idle for `idleReleaseMs`
 * (hysteresis, so a task between two messages does not call ECS twice per message). The protection always has
 * an expiry, so a task that crashes while protected becomes eligible for scale-in again on its own.
 * https://docs.aws.amazon.com/AmazonECS/latest/developerguide/task-scale-in-protection.html
 */
export interface ProtectionSettings {
  /** ExpiresInMinutes sent with each protect; ECS accepts 1 to 2,880. */
  readonly expiresInMinutes: number;
  /** Renew a busy task's protection once less than this is left of it. */
  readonly renewBeforeMs: number;
  /** Release the protection once the task has been idle this long. */
  readonly idleReleaseMs: number;
}

export interface ProtectionState {
  /** Messages the task holds (received and not yet deleted or released). */
  readonly busy: boolean;
  /** When ECS said the protection expires; undefined when the task is not protected. */
  readonly protectedUntil: number | undefined;
  /** When the task last became idle; undefined while busy. */
  readonly idleSince: number | undefined;
}

export type ProtectionAction = 'protect' | 'release' | 'none';

export const PROTECTION_DEFAULTS: ProtectionSettings = { expiresInMinutes: 15, renewBeforeMs: 5 * 60_000, idleReleaseMs: 30_000 };

/** The one call (if any) the task should make now. */
export function protectionAction(state: ProtectionState, nowMs: number, settings: ProtectionSettings): ProtectionAction {
  const protectedNow = state.protectedUntil !== undefined && state.protectedUntil > nowMs;
  if (state.busy) return !protectedNow || state.protectedUntil! - nowMs <= settings.renewBeforeMs ? 'protect' : 'none';
  if (!protectedNow) return 'none';
  return state.idleSince !== undefined && nowMs - state.idleSince >= settings.idleReleaseMs ? 'release' : 'none';
}

/** Checks the settings against what ECS accepts; the message names the option and the fix. */
export function protectionSettingsProblem(settings: ProtectionSettings): string | undefined {
  const { expiresInMinutes, renewBeforeMs, idleReleaseMs } = settings;
  if (!Number.isInteger(expiresInMinutes) || expiresInMinutes < 1 || expiresInMinutes > 2880)
    return `expiresInMinutes must be a whole number from 1 to 2880 (ECS's range), got ${expiresInMinutes}`;
  if (!(renewBeforeMs > 0) || renewBeforeMs >= expiresInMinutes * 60_000)
    return `renewBeforeMs must be above 0 and below expiresInMinutes (${expiresInMinutes * 60_000} ms), got ${renewBeforeMs}`;
  if (!(idleReleaseMs >= 0)) return `idleReleaseMs must be 0 or more, got ${idleReleaseMs}`;
  return undefined;
}

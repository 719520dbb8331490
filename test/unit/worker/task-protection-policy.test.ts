import { describe, expect, it } from 'vitest';
import { protectionAction, protectionSettingsProblem, type ProtectionSettings } from '../../../shared/worker/task-protection.ts';

const settings: ProtectionSettings = { expiresInMinutes: 15, renewBeforeMs: 300_000, idleReleaseMs: 30_000 };
const minute = 60_000;

describe('when a worker task asks for scale-in protection', () => {
  it('protects on idle -> busy', () => {
    expect(protectionAction({ busy: true, protectedUntil: undefined, idleSince: undefined }, 0, settings)).toBe('protect');
  });

  it('asks nothing more while a busy task has more than renewBeforeMs of protection left', () => {
    expect(protectionAction({ busy: true, protectedUntil: 15 * minute, idleSince: undefined }, 9 * minute, settings)).toBe('none');
  });

  it('renews a busy task once less than renewBeforeMs is left, before it expires', () => {
    expect(protectionAction({ busy: true, protectedUntil: 15 * minute, idleSince: undefined }, 10 * minute, settings)).toBe('protect');
  });

  it('protects again a busy task whose protection expired (ECS cleared it)', () => {
    expect(protectionAction({ busy: true, protectedUntil: 15 * minute, idleSince: undefined }, 16 * minute, settings)).toBe('protect');
  });

  it('keeps the protection of a task idle for less than idleReleaseMs (hysteresis)', () => {
    expect(protectionAction({ busy: false, protectedUntil: 15 * minute, idleSince: minute }, minute + 29_999, settings)).toBe('none');
  });

  it('releases it once the task has been idle for idleReleaseMs', () => {
    expect(protectionAction({ busy: false, protectedUntil: 15 * minute, idleSince: minute }, minute + 30_000, settings)).toBe('release');
  });

  it('calls nothing for an idle task that is not protected, or whose protection already expired', () => {
    expect(protectionAction({ busy: false, protectedUntil: undefined, idleSince: 0 }, 10 * minute, settings)).toBe('none');
    expect(protectionAction({ busy: false, protectedUntil: 15 * minute, idleSince: 0 }, 16 * minute, settings)).toBe('none');
  });
});

describe('task protection settings', () => {
  it('accepts what ECS accepts', () => {
    expect(protectionSettingsProblem(settings)).toBeUndefined();
    expect(protectionSettingsProblem({ ...settings, expiresInMinutes: 2880 })).toBeUndefined();
  });

  it('refuses an expiry outside ECS range of 1 to 2,880 minutes, naming it', () => {
    expect(protectionSettingsProblem({ ...settings, expiresInMinutes: 0 })).toMatch(/expiresInMinutes must be a whole number from 1 to 2880/);
    expect(protectionSettingsProblem({ ...settings, expiresInMinutes: 2881 })).toMatch(/expiresInMinutes/);
  });

  it('refuses a renewal point at or beyond the expiry, which would renew on every check', () => {
    expect(protectionSettingsProblem({ ...settings, renewBeforeMs: 15 * minute })).toMatch(
      /renewBeforeMs must be above 0 and below expiresInMinutes/,
    );
  });
});

import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const bin = fileURLToPath(new URL('../../bin/headroom.mjs', import.meta.url));

/** Runs the real `headroom` command line as a user would, in a fresh process. */
export function runCli(
  args: readonly string[],
  env: Record<string, string> = {},
  options: { timeoutMs?: number } = {},
): { status: number; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, [bin, ...args], {
    encoding: 'utf8',
    env: { ...process.env, ...env },
    timeout: options.timeoutMs ?? 120_000,
  });
  return { status: result.status ?? -1, stdout: result.stdout, stderr: result.stderr };
}

export const tracesDir = fileURLToPath(new URL('../../../shared/traces/', import.meta.url));

import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { esbuildAvailable } from '../../stacks/queue-consumer-function/esbuild-check.ts';

// QueueConsumerFunction refuses at synth, naming the fix, where NodejsFunction would find no esbuild and fall back to
// a Docker error (a pnpm app whose template never listed esbuild).
describe('esbuild for QueueConsumerFunction', () => {
  const path = process.env.PATH;
  afterEach(() => {
    process.env.PATH = path;
  });

  it('is found in an app that has it (this repository)', () => {
    expect(esbuildAvailable(process.cwd())).toBe(true);
  });

  it('is not found in an app folder with no esbuild and none on the PATH', () => {
    process.env.PATH = '';
    expect(esbuildAvailable(mkdtempSync(join(tmpdir(), 'headroom-no-esbuild-')))).toBe(false);
  });
});

// The predictor's invariants over many simulated operator days: the world test (test/support/predictor-world.ts)
// played for more seeds and runs than CI can afford. `npm run bench -- predictor-world` (writes
// bench/results/predictor-world.md); WORLD_SEEDS=1,2,... and WORLD_RUNS=48 choose the sweep.
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { localAwsEnvironment, startLocalAws } from '../cli/local-aws/moto-server.ts';
import { playWorlds } from '../test/support/predictor-world.ts';

const SEEDS = (process.env.WORLD_SEEDS ?? '1,2,3,4,5,6,7,8,9,10').split(',').map(Number);
const RUNS = Number(process.env.WORLD_RUNS ?? 48);

export async function run(): Promise<void> {
  const localAws = await startLocalAws();
  Object.assign(process.env, localAwsEnvironment(localAws.endpoint), { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' });
  try {
    const started = performance.now();
    const played = await playWorlds(SEEDS, RUNS);
    const minutes = (performance.now() - started) / 60_000;
    const lines = [
      '# Predictor world: invariants over simulated operator days',
      '',
      `${played.seeds} seeds x ${played.runs} hourly runs x 3 targets (${played.targetRuns} target-runs, ${played.failedTargetRuns} failed on a drawn fault or refused history), ${played.firedActions} own actions fired by the emulated Application Auto Scaling; ${minutes.toFixed(1)} min.`,
      '',
      `- Faults drawn: ${JSON.stringify(played.faults)}`,
      `- User changes drawn: ${JSON.stringify(played.userChanges)}`,
      `- Violations: ${played.violations.length} (${JSON.stringify(played.byKind)}), in ${played.seedsWithViolations} of ${played.seeds} seeds`,
      `- Own actions that fired below a wall the user set after the last run that could write (no run saw it; not counted): ${played.unseenChanges}`,
      '',
      ...played.violations.slice(0, 40).map((violation) => `  - ${violation}`),
    ];
    const report = `${lines.join('\n')}\n`;
    console.log(report);
    writeFileSync(fileURLToPath(new URL('results/predictor-world.md', import.meta.url)), report);
  } finally {
    await localAws.stop();
  }
}

import { describe, expect, it } from 'vitest';
import { playWorlds } from '../../support/predictor-world.ts';

// Hourly runs over simulated days against moto, with Application Auto Scaling's firing of scheduled actions, its
// 200-action quota and its 50-per-page listings emulated where moto lacks them (test/support/predictor-world.ts),
// faults and user changes drawn from each seed. More seeds: `npm run bench -- predictor-world`.
const SEEDS = (process.env.WORLD_SEEDS ?? '1,2').split(',').map(Number);
const RUNS = Number(process.env.WORLD_RUNS ?? 10);

describe('the predictor in a world that moves between its runs', () => {
  it('holds its invariants at every fired action and in the projection after every run', {
    timeout: Number(process.env.WORLD_TIMEOUT ?? 240_000),
  }, async () => {
    const played = await playWorlds(SEEDS, RUNS, { verbose: process.env.WORLD_VERBOSE === '1' });
    console.info(
      `world: ${played.seeds} seeds x ${played.runs} runs (${played.targetRuns} target-runs, ${played.failedTargetRuns} failed), ${played.firedActions} own actions fired; faults ${JSON.stringify(played.faults)}; user changes ${JSON.stringify(played.userChanges)}; violations ${JSON.stringify(played.byKind)}`,
    );
    expect(played.firedActions).toBeGreaterThan(0);
    expect(Object.values(played.userChanges).reduce((a, b) => a + b, 0)).toBeGreaterThan(0);
    expect(played.violations).toEqual([]);
  });
});

import { afterEach, describe, expect, it, vi } from 'vitest';
import { DEMO_LOAD_START_MS, demoFigures, demoHistoryEndingAt, demoLoad } from '../../cli/demo/demo-load.ts';

// The demo's figures are a function of its fixed synthetic load, never of the wall clock: two runs at different
// times (faked here, hours and days apart) must print the same numbers (issue 25: 462 vs 459 minutes, 0.9 vs 0.85).
describe('the demo’s figures', () => {
  afterEach(() => vi.useRealTimers());

  it('come from a load that starts at a fixed time whatever the clock says', () => {
    vi.useFakeTimers({ now: Date.UTC(2026, 11, 3, 15, 25), toFake: ['Date'] });
    const first = demoLoad();
    vi.setSystemTime(Date.UTC(2027, 4, 17, 9, 41));
    expect(demoLoad()).toEqual(first);
    expect(first.startMs).toBe(DEMO_LOAD_START_MS);
  });

  it('seed the same values into CloudWatch, moved to end at the current hour', () => {
    const now = new Date(Date.UTC(2026, 11, 3, 15, 25));
    const seeded = demoHistoryEndingAt(now);
    expect(seeded.values).toEqual(demoLoad().values);
    expect(seeded.startMs + seeded.values.length * seeded.stepMs).toBe(Date.UTC(2026, 11, 3, 15));
  });

  it('are the same at two runs at different times: every policy’s score, the floor settings and the web target', () => {
    vi.useFakeTimers({ now: Date.UTC(2026, 11, 3, 15, 25), toFake: ['Date'] });
    const first = demoFigures();
    vi.setSystemTime(Date.UTC(2026, 11, 4, 2, 7));
    const second = demoFigures();
    expect(second.queue.policies).toEqual(first.queue.policies);
    expect(second.queue.floorSettings).toEqual(first.queue.floorSettings);
    expect(second.web.policies).toEqual(first.web.policies);
    expect(second.webTuning.chosen).toBe(first.webTuning.chosen);
    expect(second.table.rows).toEqual(first.table.rows);
  }, 120_000);
});

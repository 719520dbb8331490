import { describe, expect, it } from 'vitest';
import { syntheticLoad } from '../../../shared/synthetic-load/synthetic-load.ts';

const MONDAY = Date.UTC(2026, 10, 2);
const HOUR = 3_600_000;

describe('syntheticLoad', () => {
  const week = syntheticLoad({ startMs: MONDAY, stepMs: HOUR, days: 7, meanRate: 10, noise: 0 });

  it('is the same for the same seed and differs for another', () => {
    const options = { startMs: MONDAY, stepMs: HOUR, days: 3, meanRate: 10 };
    expect(syntheticLoad(options)).toEqual(syntheticLoad(options));
    expect(syntheticLoad({ ...options, seed: 7 }).values).not.toEqual(syntheticLoad(options).values);
  });

  it('peaks in the afternoon and bottoms out at night (UTC)', () => {
    const monday = week.values.slice(0, 24);
    expect(monday.indexOf(Math.max(...monday))).toBe(15);
    expect(monday.indexOf(Math.min(...monday))).toBe(3);
  });

  it('is quieter at the weekend', () => {
    const saturday = week.values.slice(5 * 24, 6 * 24);
    const monday = week.values.slice(0, 24);
    expect(saturday.reduce((a, b) => a + b) / monday.reduce((a, b) => a + b)).toBeCloseTo(0.55, 5);
  });

  it('multiplies the load during the flash crowd only', () => {
    const crowd = syntheticLoad({
      startMs: MONDAY,
      stepMs: HOUR,
      days: 1,
      meanRate: 10,
      noise: 0,
      flashCrowd: { startMs: MONDAY + 10 * HOUR, durationMs: 2 * HOUR, multiplier: 4 },
    });
    const plain = syntheticLoad({ startMs: MONDAY, stepMs: HOUR, days: 1, meanRate: 10, noise: 0 });
    expect(crowd.values.map((value, index) => value / plain.values[index]!)).toEqual(
      Array.from({ length: 24 }, (_, hour) => (hour === 10 || hour === 11 ? 4 : 1)),
    );
  });

  it('never produces negative or non-finite load, even with heavy noise', () => {
    const noisy = syntheticLoad({ startMs: MONDAY, stepMs: 60_000, days: 2, meanRate: 5, noise: 2 });
    expect(noisy.values.every((value) => Number.isFinite(value) && value >= 0)).toBe(true);
  });
});

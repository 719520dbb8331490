import type { RegularSeries } from '../series/regular-series.ts';

/**
 * The demo's built-in workload: a daily cycle, quieter weekends, multiplicative noise and one flash crowd,
 * all from a seed, so that every run of `npm start` sees the same two weeks.
 */
export interface SyntheticLoadOptions {
  /** Epoch ms (UTC) of the first step. */
  readonly startMs: number;
  readonly stepMs: number;
  readonly days: number;
  /** Mean arrivals per second on a weekday. */
  readonly meanRate: number;
  /** Peak-to-mean swing of the daily cycle, 0..1. @default 0.6 */
  readonly dailySwing?: number;
  /** Weekend load as a share of weekday load. @default 0.55 */
  readonly weekendShare?: number;
  /** Standard deviation of the multiplicative noise. @default 0.08 */
  readonly noise?: number;
  /** One burst on top of the pattern. @default none */
  readonly flashCrowd?: { readonly startMs: number; readonly durationMs: number; readonly multiplier: number };
  /** @default 1998 */
  readonly seed?: number;
}

const DAY_MS = 86_400_000;
const PEAK_HOUR_UTC = 15;

/** mulberry32: a small, well-known 32-bit PRNG; enough for demo noise and fully reproducible. */
function seededUniform(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

function standardNormal(uniform: () => number): number {
  const u = Math.max(uniform(), Number.EPSILON);
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * uniform());
}

/** Arrivals per second at each step. */
export function syntheticLoad(options: SyntheticLoadOptions): RegularSeries {
  const { startMs, stepMs, days, meanRate } = options;
  if (!(stepMs > 0) || !(days > 0) || !(meanRate >= 0)) {
    throw new Error(`syntheticLoad: stepMs and days must be positive and meanRate non-negative (got ${stepMs}, ${days}, ${meanRate})`);
  }
  const dailySwing = options.dailySwing ?? 0.6;
  const weekendShare = options.weekendShare ?? 0.55;
  const noise = options.noise ?? 0.08;
  const uniform = seededUniform(options.seed ?? 1998);
  const steps = Math.round((days * DAY_MS) / stepMs);
  const values = new Array<number>(steps);
  for (let index = 0; index < steps; index++) {
    const t = startMs + index * stepMs;
    const hourOfDay = (((t % DAY_MS) + DAY_MS) % DAY_MS) / 3_600_000;
    const daily = 1 + dailySwing * Math.cos((2 * Math.PI * (hourOfDay - PEAK_HOUR_UTC)) / 24);
    const dayOfWeek = new Date(t).getUTCDay();
    const weekly = dayOfWeek === 0 || dayOfWeek === 6 ? weekendShare : 1;
    const crowd = options.flashCrowd;
    const burst = crowd && t >= crowd.startMs && t < crowd.startMs + crowd.durationMs ? crowd.multiplier : 1;
    const jitter = Math.max(0, 1 + noise * standardNormal(uniform));
    values[index] = meanRate * daily * weekly * burst * jitter;
  }
  return { startMs, stepMs, values };
}

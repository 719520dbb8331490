// The SRE workbook's multiwindow, multi-burn-rate alert maths (The Site Reliability Workbook, ch. 5).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  badShareThreshold,
  budgetSpentAtFiring,
  burnRateForBudgetSpent,
  burnRateOf,
  errorBudgetRemaining,
  firingMinutes,
  trailingBadShare,
  validateAlerts,
  WORKBOOK_ALERTS,
  type BurnRateAlert,
} from '../../../shared/slo/index.ts';

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;
const [page1h, page6h, ticket3d] = WORKBOOK_ALERTS as [BurnRateAlert, BurnRateAlert, BurnRateAlert];

describe('burn rates', () => {
  it('derives the workbook’s 14.4, 6 and 1 from 2%, 5% and 10% of a 30-day budget over 1 h, 6 h and 3 days', () => {
    expect(burnRateForBudgetSpent(0.02, HOUR_MS)).toBeCloseTo(14.4, 9);
    expect(burnRateForBudgetSpent(0.05, 6 * HOUR_MS)).toBeCloseTo(6, 9);
    expect(burnRateForBudgetSpent(0.1, 3 * DAY_MS)).toBeCloseTo(1, 9);
  });

  it('gives each workbook alert the budget share it is meant to have spent when it fires', () => {
    expect(WORKBOOK_ALERTS.map((alert) => budgetSpentAtFiring(alert))).toEqual([0.02, 0.05, 0.1].map((share) => expect.closeTo(share, 9)));
  });

  it('uses short windows of 1/12 of the long ones', () => {
    for (const alert of WORKBOOK_ALERTS) expect(alert.longWindowMs / alert.shortWindowMs).toBe(12);
  });

  it('measures a burn rate as the bad share over the error budget', () => {
    expect(burnRateOf(0.001, 0.999)).toBeCloseTo(1, 9);
    expect(burnRateOf(0.0144, 0.999)).toBeCloseTo(14.4, 9);
  });

  it('puts the 14.4x threshold of a 99.9% objective at 1.44% bad events', () => {
    expect(badShareThreshold(14.4, 0.999)).toBeCloseTo(0.0144, 12);
  });
});

describe('error budget remaining', () => {
  it('is 1 with no bad events, 0 when the bad share equals the budget, negative when overspent', () => {
    expect(errorBudgetRemaining(0, 1000, 0.99)).toBe(1);
    expect(errorBudgetRemaining(10, 1000, 0.99)).toBeCloseTo(0, 12);
    expect(errorBudgetRemaining(20, 1000, 0.99)).toBeCloseTo(-1, 12);
  });

  it('is the whole budget when nothing happened', () => {
    expect(errorBudgetRemaining(0, 0, 0.99)).toBe(1);
  });
});

describe('trailing windows', () => {
  it('divides the bad by the total events of the last n minutes only', () => {
    expect(trailingBadShare([1, 0, 0, 3], [10, 10, 10, 10], 2)).toEqual([0.1, 0.05, 0, 0.15]);
  });

  it('has no value for a window without events', () => {
    expect(trailingBadShare([0, 0], [0, 0], 1)).toEqual([Number.NaN, Number.NaN]);
  });

  it('matches a direct sum over every window (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.nat(50), fc.nat(50)), { minLength: 1, maxLength: 60 }), fc.integer({ min: 1, max: 20 }), (pairs, window) => {
        const total = pairs.map(([a, b]) => a + b);
        const bad = pairs.map(([a]) => a);
        const shares = trailingBadShare(bad, total, window);
        shares.forEach((share, minute) => {
          const from = Math.max(0, minute - window + 1);
          const t = total.slice(from, minute + 1).reduce((s, v) => s + v, 0);
          const b = bad.slice(from, minute + 1).reduce((s, v) => s + v, 0);
          if (t === 0) expect(share).toBeNaN();
          else expect(share).toBeCloseTo(b / t, 9);
        });
      }),
      { numRuns: 300 },
    );
  });
});

describe('firing', () => {
  const objective = 0.999;
  const minutes = 180;
  const total = new Array<number>(minutes).fill(1000);

  it('pages within minutes of a burst of 2% errors (14.4x is 1.44%) once the hour has seen enough of it', () => {
    const bad = total.map((_, minute) => (minute >= 60 ? 20 : 0));
    const firing = firingMinutes(page1h, bad, total, objective);
    const first = firing.indexOf(true);
    // 60 x 1.44% / 2% = 43.2 minutes of a 2% burn fill the hour's window past the threshold.
    expect(first).toBe(60 + 43);
  });

  it('stops paging within the short window once the burn stops, though the long window is still over', () => {
    const bad = total.map((_, minute) => (minute < 120 ? 50 : 0));
    const firing = firingMinutes(page1h, bad, total, objective);
    expect(firing[119]).toBe(true);
    // The 5-minute window clears after 5 quiet minutes; the 1-hour one would stay over for 31 more.
    expect(firing[124]).toBe(false);
    expect(trailingBadShare(bad, total, 60)[124]!).toBeGreaterThan(badShareThreshold(14.4, objective));
  });

  it('does not page on a burn slower than 14.4x however long it lasts', () => {
    const bad = total.map(() => 10); // 1% bad: 10x
    expect(firingMinutes(page1h, bad, total, objective).some(Boolean)).toBe(false);
  });

  it('fires the 6x page once six hours of a 10x burn have spent the budget share', () => {
    const long = new Array<number>(8 * 60).fill(1000);
    const bad = long.map(() => 10);
    const firing = firingMinutes(page6h, bad, long, objective);
    expect(firing.some(Boolean)).toBe(true);
    expect(firingMinutes(ticket3d, bad, long, objective).some(Boolean)).toBe(true);
  });
});

describe('validation', () => {
  it('accepts the workbook alerts at 99.9%', () => {
    expect(() => validateAlerts(WORKBOOK_ALERTS, 0.999)).not.toThrow();
  });

  it('refuses an objective outside (0, 1), naming it', () => {
    expect(() => validateAlerts(WORKBOOK_ALERTS, 99.9)).toThrow(/objective must be a fraction strictly between 0 and 1, got 99.9/);
  });

  it('refuses a burn rate that could never fire for the objective', () => {
    expect(() => validateAlerts(WORKBOOK_ALERTS, 0.9)).toThrow(/alerts\[page-1h\]\.burnRate \(14.4\) x the error budget .* is over 1.*at most 10.0/);
  });

  it('refuses a window longer than one CloudWatch alarm can evaluate (7 days)', () => {
    expect(() => validateAlerts([{ ...ticket3d, longWindowMs: 8 * DAY_MS }], 0.999)).toThrow(
      /alerts\[ticket-3d\]\.longWindowMs must be whole minutes from 1 minute to 7 days/,
    );
  });

  it('refuses a window that is not whole minutes', () => {
    expect(() => validateAlerts([{ ...page1h, shortWindowMs: 90_000 }], 0.999)).toThrow(/shortWindowMs must be whole minutes/);
  });

  it('refuses a short window that is not shorter than the long one', () => {
    expect(() => validateAlerts([{ ...page1h, shortWindowMs: HOUR_MS }], 0.999)).toThrow(/shortWindowMs must be shorter than longWindowMs/);
  });

  it('refuses two alerts with one name', () => {
    expect(() => validateAlerts([page1h, page1h], 0.999)).toThrow(/name is used twice/);
  });
});

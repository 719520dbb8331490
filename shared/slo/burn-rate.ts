/**
 * Multiwindow, multi-burn-rate SLO alerts (Beyer et al., The Site Reliability Workbook, O'Reilly 2018, ch. 5
 * "Alerting on SLOs", section 6): an alert fires when the error budget burns at `burnRate` times the rate that
 * would use it up exactly over the SLO period, measured over a long window (the budget spent is significant)
 * AND a short window (it is still burning now, so the alert resets soon after the burn stops).
 *
 * Burn rate = (share of bad events) / (1 - objective); a burn rate b sustained over a window w spends
 * b x w / period of the budget, which is how the workbook derives 14.4 (2% of a 30-day budget in 1 h),
 * 6 (5% in 6 h) and 1 (10% in 3 days).
 */

const MINUTE_MS = 60_000;
const HOUR_MS = 60 * MINUTE_MS;
const DAY_MS = 24 * HOUR_MS;

export type AlertSeverity = 'page' | 'ticket';

export interface BurnRateAlert {
  /** Short name used in alarm names and logical ids, e.g. `page-1h`. */
  readonly name: string;
  readonly severity: AlertSeverity;
  /** Fires when the budget burns at least this many times the sustainable rate... */
  readonly burnRate: number;
  /** ...over this window... */
  readonly longWindowMs: number;
  /** ...and over this one (the workbook uses 1/12 of the long window). */
  readonly shortWindowMs: number;
}

/** The workbook's recommended alerts for a 30-day SLO period. */
export const WORKBOOK_ALERTS: readonly BurnRateAlert[] = [
  { name: 'page-1h', severity: 'page', burnRate: 14.4, longWindowMs: HOUR_MS, shortWindowMs: 5 * MINUTE_MS },
  { name: 'page-6h', severity: 'page', burnRate: 6, longWindowMs: 6 * HOUR_MS, shortWindowMs: 30 * MINUTE_MS },
  { name: 'ticket-3d', severity: 'ticket', burnRate: 1, longWindowMs: 3 * DAY_MS, shortWindowMs: 6 * HOUR_MS },
];

export const DEFAULT_SLO_PERIOD_MS = 30 * DAY_MS;

export class SloInputError extends RangeError {
  constructor(
    readonly field: string,
    readonly problem: string,
    readonly fix: string,
  ) {
    super(`${field} ${problem}. ${fix}`);
    this.name = 'SloInputError';
  }
}

/** The share of events that may be bad: 1 - objective. */
export function errorBudget(objective: number): number {
  if (!(objective > 0 && objective < 1))
    throw new SloInputError('objective', `must be a fraction strictly between 0 and 1, got ${objective}`, 'Use for example 0.999 for 99.9%.');
  return 1 - objective;
}

/** How fast the budget burns when `badShare` of events are bad: 1 uses it up exactly over the SLO period. */
export function burnRateOf(badShare: number, objective: number): number {
  return badShare / errorBudget(objective);
}

/** The burn rate that spends `budgetShare` of the budget within `windowMs` (the workbook's derivation). */
export function burnRateForBudgetSpent(budgetShare: number, windowMs: number, periodMs = DEFAULT_SLO_PERIOD_MS): number {
  return (budgetShare * periodMs) / windowMs;
}

/** The share of bad events over a window at which an alert with this burn rate fires. */
export function badShareThreshold(burnRate: number, objective: number): number {
  return burnRate * errorBudget(objective);
}

/** The share of the budget left after `bad` of `total` events were bad (negative once overspent; 1 with no events). */
export function errorBudgetRemaining(bad: number, total: number, objective: number): number {
  if (!(total > 0)) return 1;
  return 1 - burnRateOf(bad / total, objective);
}

/** Share of the period's budget one alert's long window has spent when it fires. */
export function budgetSpentAtFiring(alert: BurnRateAlert, periodMs = DEFAULT_SLO_PERIOD_MS): number {
  return (alert.burnRate * alert.longWindowMs) / periodMs;
}

/**
 * CloudWatch's limits on one metric-math alarm (PutMetricAlarm, `Period`): a period of 60 s or a multiple of it,
 * and period x evaluation periods at most 7 days (604,800 s), or at most 1 day for periods under an hour.
 * Each window is one alarm datapoint whose period is the whole window (metric math has no moving-window sum, and
 * M-of-N datapoints would test every sub-period against the threshold rather than the window's share): so a
 * window must be whole minutes, and at most 7 days.
 */
export const MAX_ALARM_WINDOW_MS = 7 * DAY_MS;

export function validateAlerts(alerts: readonly BurnRateAlert[], objective: number, periodMs = DEFAULT_SLO_PERIOD_MS): void {
  errorBudget(objective);
  if (!(periodMs >= DAY_MS && periodMs % MINUTE_MS === 0))
    throw new SloInputError('period', `must be whole minutes and at least a day, got ${periodMs / 1000} s`, 'The workbook uses 30 days.');
  if (alerts.length === 0)
    throw new SloInputError('alerts', 'is empty', 'Give at least one burn-rate alert, or leave it unset for the workbook’s three.');
  const names = new Set<string>();
  for (const alert of alerts) {
    const where = `alerts[${alert.name}]`;
    if (!/^[a-z0-9-]{1,32}$/.test(alert.name))
      throw new SloInputError(`${where}.name`, 'must be 1-32 lower-case letters, digits or -', 'Use a name such as page-1h.');
    if (names.has(alert.name)) throw new SloInputError(`${where}.name`, 'is used twice', 'Give each alert its own name.');
    names.add(alert.name);
    if (alert.severity !== 'page' && alert.severity !== 'ticket')
      throw new SloInputError(
        `${where}.severity`,
        `must be 'page' or 'ticket', got ${JSON.stringify(alert.severity)}`,
        'Pages notify pageTopic, tickets ticketTopic; an unknown severity would notify ticketTopic and be left off the workload’s alarms.',
      );
    if (!(alert.burnRate > 0 && Number.isFinite(alert.burnRate)))
      throw new SloInputError(`${where}.burnRate`, `must be a positive number, got ${alert.burnRate}`, 'The workbook uses 14.4, 6 and 1.');
    if (badShareThreshold(alert.burnRate, objective) > 1) {
      throw new SloInputError(
        `${where}.burnRate`,
        `(${alert.burnRate}) x the error budget (${errorBudget(objective)}) is over 1, so the alert could never fire`,
        `Use a burn rate of at most ${(1 / errorBudget(objective)).toPrecision(3)} for this objective.`,
      );
    }
    for (const [field, windowMs] of [
      ['longWindowMs', alert.longWindowMs],
      ['shortWindowMs', alert.shortWindowMs],
    ] as const) {
      if (!(windowMs >= MINUTE_MS && windowMs <= MAX_ALARM_WINDOW_MS && windowMs % MINUTE_MS === 0)) {
        throw new SloInputError(
          `${where}.${field}`,
          `must be whole minutes from 1 minute to 7 days (one CloudWatch alarm period), got ${windowMs / 1000} s`,
          'Use for example 1 hour and 5 minutes.',
        );
      }
    }
    if (!(alert.shortWindowMs < alert.longWindowMs))
      throw new SloInputError(`${where}.shortWindowMs`, 'must be shorter than longWindowMs', 'The workbook uses 1/12 of the long window.');
    if (alert.longWindowMs > periodMs)
      throw new SloInputError(`${where}.longWindowMs`, 'is longer than the SLO period', 'Use a window within the period.');
  }
}

/** The share of bad events over the trailing `windowMinutes` of per-minute counts, at each minute (NaN with no events). */
export function trailingBadShare(bad: readonly number[], total: readonly number[], windowMinutes: number): number[] {
  let badSum = 0;
  let totalSum = 0;
  return total.map((count, minute) => {
    badSum += bad[minute]!;
    totalSum += count;
    if (minute >= windowMinutes) {
      badSum -= bad[minute - windowMinutes]!;
      totalSum -= total[minute - windowMinutes]!;
    }
    return totalSum > 1e-9 ? Math.max(0, badSum) / totalSum : Number.NaN;
  });
}

/**
 * Minutes at which an alert is firing over per-minute counts of bad and total events: both windows' bad share
 * at or over the threshold (a window with no events does not fire, as the alarms treat missing data).
 */
export function firingMinutes(alert: BurnRateAlert, bad: readonly number[], total: readonly number[], objective: number): boolean[] {
  const threshold = badShareThreshold(alert.burnRate, objective);
  const long = trailingBadShare(bad, total, Math.round(alert.longWindowMs / MINUTE_MS));
  const short = trailingBadShare(bad, total, Math.round(alert.shortWindowMs / MINUTE_MS));
  return long.map((share, minute) => share >= threshold && short[minute]! >= threshold);
}

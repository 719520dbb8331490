import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parsePredictorConfig } from '../../../shared/predictor/config.ts';
import { decideTarget, type TargetState } from '../../../shared/predictor/decide-target.ts';
import { ActionOwnership, atExpression, atTime, type ExistingAction } from '../../../shared/predictor/scheduled-actions.ts';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const NOW = Date.UTC(2026, 10, 16, 6, 20, 30);
const HORIZON_END = NOW + 30 * HOUR;
const PREFIX = 'headroom-';

/**
 * The user's own scheduled actions, each with the minutes it really runs at (the ground truth the test replays,
 * computed from the generator's structure, not by the predictor's schedule evaluator).
 */
interface ForeignSpec {
  readonly action: ExistingAction;
  readonly runs: readonly number[];
  /** Whether the predictor can know its run times (UTC at/cron) or must treat it conservatively (rate, other zones). */
  readonly evaluable: boolean;
}

const minuteOf = (ms: number) => Math.floor(ms / MINUTE) * MINUTE;

const oneTime = fc
  .record({
    offsetMinutes: fc.integer({ min: -2 * 24 * 60, max: 30 * 60 }),
    minCapacity: fc.integer({ min: 0, max: 30 }),
    maxCapacity: fc.option(fc.integer({ min: 20, max: 80 }), { nil: undefined }),
  })
  .map(({ offsetMinutes, minCapacity, maxCapacity }): ForeignSpec => {
    const atMs = minuteOf(NOW) + offsetMinutes * MINUTE;
    return { action: { name: `user-once-${offsetMinutes}`, schedule: atExpression(atMs), minCapacity, maxCapacity }, runs: [atMs], evaluable: true };
  });

const recurring = fc
  .record({
    minute: fc.constantFrom(0, 15, 30, 45),
    hours: fc.uniqueArray(fc.integer({ min: 0, max: 23 }), { minLength: 1, maxLength: 4 }),
    days: fc.constantFrom('all', 'weekdays', 'weekends'),
    minCapacity: fc.integer({ min: 0, max: 30 }),
  })
  .map(({ minute, hours, days, minCapacity }): ForeignSpec => {
    const dow = { all: '?', weekdays: 'MON-FRI', weekends: 'SAT,SUN' }[days];
    const schedule = `cron(${minute} ${hours.join(',')} ${days === 'all' ? '*' : '?'} * ${dow} *)`;
    const runs: number[] = [];
    for (let day = Math.floor(NOW / DAY) * DAY - 3 * DAY; day < HORIZON_END + DAY; day += DAY) {
      const weekday = new Date(day).getUTCDay();
      if (days === 'weekdays' && (weekday === 0 || weekday === 6)) continue;
      if (days === 'weekends' && weekday > 0 && weekday < 6) continue;
      for (const hour of hours) runs.push(day + hour * HOUR + minute * MINUTE);
    }
    return {
      action: { name: `user-cron-${minute}-${hours.join('_')}-${days}`, schedule, minCapacity },
      runs: runs.sort((a, b) => a - b),
      evaluable: true,
    };
  });

/** rate() and cron in another time zone: the predictor cannot place their runs; here they run at arbitrary minutes. */
const unplaceable = fc
  .record({
    kind: fc.constantFrom('rate', 'zoned'),
    runMinutes: fc.uniqueArray(fc.integer({ min: -24 * 60, max: 30 * 60 }), { maxLength: 6 }),
    minCapacity: fc.integer({ min: 0, max: 30 }),
  })
  .map(
    ({ kind, runMinutes, minCapacity }): ForeignSpec => ({
      action:
        kind === 'rate'
          ? { name: `user-rate-${runMinutes.length}`, schedule: 'rate(6 hours)', minCapacity }
          : { name: `user-zoned-${runMinutes.length}`, schedule: 'cron(0 9 * * ? *)', timezone: 'America/New_York', minCapacity },
      runs: runMinutes.map((minute) => minuteOf(NOW) + minute * MINUTE).sort((a, b) => a - b),
      evaluable: false,
    }),
  );

const scenario = fc.record({
  registeredMin: fc.integer({ min: 0, max: 10 }),
  registeredMaxAbove: fc.integer({ min: 0, max: 50 }),
  configuredMaxAbove: fc.option(fc.integer({ min: 1, max: 60 }), { nil: undefined }),
  foreign: fc.array(fc.oneof(oneTime, recurring, unplaceable), { maxLength: 5 }),
  level: fc.integer({ min: 0, max: 40 }),
  amplitude: fc.integer({ min: 0, max: 30 }),
  seed: fc.integer({ min: 1, max: 1000 }),
  /** The predictor's own raise is what the target holds now (it ran 20 seconds ago). */
  ownRaiseInForce: fc.option(fc.integer({ min: 1, max: 20 }), { nil: undefined }),
  oursLastInMinute: fc.boolean(),
});
type Scenario = typeof scenario extends fc.Arbitrary<infer T> ? T : never;

function history(sample: Scenario) {
  let state = sample.seed;
  const noise = () => ((state = (state * 48271) % 2147483647) / 2147483647) * 4;
  const values = Array.from({ length: 4 * 24 }, (_, hour) =>
    Math.max(0, sample.level + sample.amplitude * Math.sin((2 * Math.PI * hour) / 24) + noise()),
  );
  return { startMs: Math.floor(NOW / HOUR) * HOUR - values.length * HOUR, stepMs: HOUR, values };
}

/** Replays every action as Application Auto Scaling runs it, with and without headroom's, minute by minute. */
function replay(sample: Scenario) {
  const declaredMin = sample.registeredMin;
  const configuredMax = sample.configuredMaxAbove === undefined ? undefined : declaredMin + sample.configuredMaxAbove;
  const raiseAtMs = NOW - 20_000;
  // No foreign action runs between our raise and now: else the target would hold the foreign value, not ours.
  const foreign = sample.foreign.map((spec) => ({
    ...spec,
    runs: sample.ownRaiseInForce === undefined ? spec.runs : spec.runs.filter((run) => run <= raiseAtMs || run > NOW),
  }));
  const pastRuns = foreign.flatMap((spec) => spec.runs.filter((run) => run <= NOW).map((run) => ({ run, value: spec.action.minCapacity! })));
  const latestPast = pastRuns.sort((a, b) => a.run - b.run || a.value - b.value).at(-1);
  // Without headroom now: with our raise in force, what the declared wall and the user's actions left; else what the target holds.
  const withoutNow = sample.ownRaiseInForce === undefined ? sample.registeredMin : (latestPast?.value ?? declaredMin);
  const inForce = sample.ownRaiseInForce === undefined ? undefined : withoutNow + sample.ownRaiseInForce;
  const ownership = new ActionOwnership(PREFIX, 'orders');
  const record =
    inForce === undefined
      ? []
      : [{ name: ownership.name('raise', minuteOf(raiseAtMs)), schedule: atExpression(minuteOf(raiseAtMs)), minCapacity: inForce }];
  const state: TargetState = {
    registeredMin: inForce ?? sample.registeredMin,
    registeredMax: sample.registeredMin + sample.registeredMaxAbove + 1,
    scheduledScalingSuspended: false,
    existing: [...foreign.map((spec) => spec.action), ...record],
  };
  const config = parsePredictorConfig(
    JSON.stringify({
      mode: 'forecastAndScale',
      horizonHours: 24,
      targets: [
        {
          workload: 'orders',
          resourceId: 'service/main/orders',
          load: [{ namespace: 'X', metricName: 'Y' }],
          unitThroughput: 1,
          targetUtilization: 1,
          minCapacity: declaredMin,
          maxCapacity: configuredMax,
        },
      ],
    }),
  );
  const decision = decideTarget(config, config.targets[0]!, history(sample), state, NOW);
  const kept = new Set([...decision.reconciliation.keptRestores]);
  const ours = [
    ...decision.reconciliation.put,
    ...state.existing
      .filter((action) => kept.has(action.name))
      .map((action) => ({ ...action, atMs: atTime(action.schedule)!, minCapacity: action.minCapacity!, kind: 'restore' as const })),
  ].filter((action) => action.atMs > NOW);
  const events = [
    ...foreign.flatMap((spec) =>
      spec.runs.filter((run) => run > NOW).map((run) => ({ minute: minuteOf(run), value: spec.action.minCapacity!, ours: false })),
    ),
    ...ours.map((action) => ({ minute: minuteOf(action.atMs), value: action.minCapacity, ours: true, kind: action.kind })),
  ].sort((a, b) => a.minute - b.minute || (a.ours === b.ours ? 0 : a.ours === sample.oursLastInMinute ? 1 : -1));
  let withHeadroom = state.registeredMin;
  let without = withoutNow;
  const minutes: { minute: number; withHeadroom: number; without: number; restored: boolean }[] = [];
  for (let index = 0; index < events.length; ) {
    const minute = events[index]!.minute;
    let restored = false;
    for (; index < events.length && events[index]!.minute === minute; index++) {
      const event = events[index]!;
      withHeadroom = event.value;
      if (!event.ours) without = event.value;
      restored = event.ours && 'kind' in event && event.kind === 'restore';
    }
    minutes.push({ minute, withHeadroom, without, restored: restored && sample.oursLastInMinute });
  }
  // Two of the user's actions in one minute run in an unknown order: the predictor takes the higher.
  const byMinute = new Map<number, Set<number>>();
  for (const spec of foreign)
    for (const run of spec.runs) byMinute.set(minuteOf(run), (byMinute.get(minuteOf(run)) ?? new Set()).add(spec.action.minCapacity!));
  const ordered = [...byMinute.values()].every((values) => values.size === 1);
  return { decision, ours, minutes, withoutNow, state, configuredMax, evaluable: ordered && foreign.every((spec) => spec.evaluable) };
}

const RUNS = 300;
const exercised = { placed: 0, conservative: 0 };

describe('the effective wall, over random registered walls and random schedules of the user’s own actions', () => {
  it(`no action of ours leaves MinCapacity lower than it would be without headroom, at any minute (${RUNS} cases)`, () => {
    fc.assert(
      fc.property(scenario, (sample) => {
        const { minutes, ours, evaluable } = replay(sample);
        for (const { withHeadroom, without } of minutes) expect(withHeadroom).toBeGreaterThanOrEqual(without);
        if (ours.some((action) => action.kind === 'raise') && sample.foreign.length > 0) exercised[evaluable ? 'placed' : 'conservative']++;
      }),
      { numRuns: RUNS },
    );
    // The property saw plans with raises among the user's actions, placed and conservatively assumed alike.
    expect(exercised.placed).toBeGreaterThan(RUNS / 10);
    expect(exercised.conservative).toBeGreaterThan(RUNS / 20);
  });

  it(`every raise is above the wall in force then, and at most the registered and configured maximum (${RUNS} cases)`, () => {
    fc.assert(
      fc.property(scenario, (sample) => {
        const { ours, minutes, withoutNow, state, configuredMax } = replay(sample);
        for (const action of ours.filter((candidate) => candidate.kind === 'raise')) {
          const before = minutes.filter((minute) => minute.minute < minuteOf(action.atMs)).at(-1)?.without ?? withoutNow;
          expect(action.minCapacity).toBeGreaterThan(before);
          expect(action.minCapacity).toBeLessThanOrEqual(Math.min(state.registeredMax, configuredMax ?? Infinity));
        }
      }),
      { numRuns: RUNS },
    );
  });

  // While our own raise hides the wall (the target holds our value), the restore goes to the highest of what is
  // known (declared MinCapacity, the user's last action, the wall an earlier run computed): never lower, maybe higher.
  it(`every restore returns to exactly the wall without headroom where the wall and the user's actions can be read, and all raises end restored (${RUNS / 2} cases)`, () => {
    fc.assert(
      fc.property(scenario, (sample) => {
        const { minutes, evaluable } = replay(sample);
        fc.pre(evaluable && sample.ownRaiseInForce === undefined);
        for (const minute of minutes.filter((candidate) => candidate.restored)) expect(minute.withHeadroom).toBe(minute.without);
        const last = minutes.at(-1);
        if (last) expect(last.withHeadroom).toBe(last.without);
      }),
      { numRuns: RUNS / 2 },
    );
  });
});

describe('the effective wall, on the issue’s examples', () => {
  const config = parsePredictorConfig(
    JSON.stringify({
      mode: 'forecastAndScale',
      targets: [
        {
          workload: 'orders',
          resourceId: 'service/main/orders',
          load: [{ namespace: 'X', metricName: 'Y' }],
          unitThroughput: 1,
          targetUtilization: 1,
          minCapacity: 2,
        },
      ],
    }),
  );
  const daily = {
    startMs: Math.floor(NOW / HOUR) * HOUR - 4 * DAY,
    stepMs: HOUR,
    values: Array.from({ length: 96 }, (_, hour) => 8 + 4 * Math.sin((2 * Math.PI * hour) / 24)),
  };

  it('restores a target registered with MinCapacity 5 to 5, never to the configured 2', () => {
    const decision = decideTarget(
      config,
      config.targets[0]!,
      daily,
      { registeredMin: 5, registeredMax: 50, scheduledScalingSuspended: false, existing: [] },
      NOW,
    );
    const restores = decision.reconciliation.put.filter((action) => action.kind === 'restore');
    expect(restores.length).toBeGreaterThan(0);
    expect(restores.every((action) => action.minCapacity === 5)).toBe(true);
  });

  it('schedules no raise of 6-9 inside a business-hours action holding MinCapacity 10', () => {
    const hours: ExistingAction[] = [
      { name: 'business-hours-start', schedule: 'cron(0 8 * * ? *)', minCapacity: 10 },
      { name: 'business-hours-end', schedule: 'cron(0 18 * * ? *)', minCapacity: 2 },
    ];
    const decision = decideTarget(
      config,
      config.targets[0]!,
      daily,
      { registeredMin: 2, registeredMax: 50, scheduledScalingSuspended: false, existing: hours },
      NOW,
    );
    const inside = (ms: number) => new Date(ms).getUTCHours() >= 8 && new Date(ms).getUTCHours() < 18;
    const raises = decision.reconciliation.put.filter((action) => action.kind === 'raise');
    expect(raises.length).toBeGreaterThan(0);
    expect(raises.filter((action) => inside(action.atMs)).every((action) => action.minCapacity > 10)).toBe(true);
    for (const restore of decision.reconciliation.put.filter((action) => action.kind === 'restore'))
      expect(restore.minCapacity).toBe(inside(restore.atMs) ? 10 : 2);
  });
});

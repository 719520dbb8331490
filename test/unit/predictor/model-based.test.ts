import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';
import { parsePredictorConfig } from '../../../shared/predictor/config.ts';
import { decideTarget } from '../../../shared/predictor/decide-target.ts';
import { atTime, type ExistingAction } from '../../../shared/predictor/scheduled-actions.ts';
import { parseTraceCsv } from '../../../shared/series/trace-csv.ts';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const FLOOR = 2;
const MAX = 40;

/** NYC taxi passengers per 30 min, as arrivals per second on an hourly grid. */
function hourlyTaxiLoad() {
  const trace = parseTraceCsv(
    readFileSync(fileURLToPath(new URL('../../../../shared/traces/nyc-taxi-passengers-30min.csv', import.meta.url)), 'utf8'),
  );
  const values: number[] = [];
  for (let index = 0; index + 1 < trace.values.length; index += 2) values.push(((trace.values[index]! + trace.values[index + 1]!) / HOUR) * 1000);
  return { startMs: trace.startMs, stepMs: HOUR, values };
}

// A model-based run of the predictor's pure core over 6 days of a real trace: the predictor re-plans every hour
// on a fake clock, its reconciliations are applied to a model of the target's scheduled actions, and the model
// executes each action when its time comes, as Application Auto Scaling would.
it('keeps MinCapacity within [minCapacity, maxCapacity] for days of a real trace, and every raise is restored', () => {
  const load = hourlyTaxiLoad();
  const peak = Math.max(...load.values);
  const config = parsePredictorConfig(
    JSON.stringify({
      mode: 'forecastAndScale',
      targets: [
        {
          workload: 'taxi',
          resourceId: 'service/main/taxi',
          load: [{ namespace: 'X', metricName: 'Y' }],
          unitThroughput: peak / 30,
          minCapacity: FLOOR,
          maxCapacity: MAX,
        },
      ],
    }),
  );
  const target = config.targets[0]!;
  const actions = new Map<string, ExistingAction>();
  let minCapacity = FLOOR;
  let raisesRun = 0;
  const runDue = (fromMs: number, toMs: number) => {
    const due = [...actions.values()].filter((action) => atTime(action.schedule)! > fromMs && atTime(action.schedule)! <= toMs);
    for (const action of due.sort((a, b) => atTime(a.schedule)! - atTime(b.schedule)!)) {
      minCapacity = action.minCapacity!;
      if (action.name.includes('-raise-')) raisesRun++;
      expect(minCapacity).toBeGreaterThanOrEqual(FLOOR);
      expect(minCapacity).toBeLessThanOrEqual(MAX);
    }
  };

  const firstRun = load.startMs + (config.historyDays + 1) * DAY;
  let previous = firstRun;
  for (let now = firstRun; now < firstRun + 6 * DAY; now += HOUR) {
    runDue(previous, now);
    previous = now;
    const historyEnd = (now - load.startMs) / HOUR;
    const history = { ...load, values: load.values.slice(historyEnd - config.historyDays * 24, historyEnd), startMs: now - config.historyDays * DAY };
    const decision = decideTarget(
      config,
      target,
      history,
      { registeredMin: FLOOR, registeredMax: MAX, scheduledScalingSuspended: false, existing: [...actions.values()] },
      now,
    );
    for (const name of decision.reconciliation.delete) actions.delete(name);
    for (const action of decision.reconciliation.put)
      actions.set(action.name, { name: action.name, schedule: action.schedule, minCapacity: action.minCapacity });
    expect(actions.size).toBeLessThanOrEqual(target.actionBudget);
  }
  // The predictor stops; within its horizon every raise it made has been restored.
  runDue(previous, previous + 2 * DAY);
  expect(raisesRun).toBeGreaterThan(0);
  expect(minCapacity).toBe(FLOOR);
});

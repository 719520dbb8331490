import type { RegularSeries } from '../../shared/series/regular-series.ts';
import { arrivalsPerMinute, runBacktest, type BacktestResult } from '../../shared/simulate/index.ts';
import { dynamodbBacktest, dynamodbTable } from '../commands/backtest-consumers.ts';
import type { TableReport } from '../report/table-report.ts';
import { missingMinutes } from '../../shared/simulate/arrivals.ts';
import { chooseTargetUtilization, runHttpBacktest, type HttpBacktestResult, type TargetTuning } from '../../shared/simulate/http/index.ts';
import { syntheticLoad } from '../../shared/synthetic-load/synthetic-load.ts';

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;
export const HISTORY_DAYS = 14;

/**
 * The synthetic load starts at a fixed time (a Monday, 00:00 UTC), never at the wall clock: its daily and weekly
 * cycles, its noise and its flash crowd are the same at every run, so every run of `npm start` (and the bench that
 * the README quotes) gives the same figures. Only the copy written into the local CloudWatch is moved to end now.
 */
export const DEMO_LOAD_START_MS = Date.UTC(2026, 0, 5);

/** Where the demo's two weeks come from, in words (the report and the terminal say it). */
export const DEMO_LOAD_PROVENANCE =
  'synthetic: two weeks of hourly arrivals generated from a fixed seed (a daily and a weekly cycle, noise, and a 3 x flash crowd on day 10 from 13:00 for two hours), mean 6 messages/s; not a recording of any real service';

/** The demo's two weeks, in arrivals per second at each hourly step. */
export function demoLoad(): RegularSeries {
  return syntheticLoad({
    startMs: DEMO_LOAD_START_MS,
    stepMs: HOUR_MS,
    days: HISTORY_DAYS,
    meanRate: 6,
    flashCrowd: { startMs: DEMO_LOAD_START_MS + 9 * DAY_MS + 13 * HOUR_MS, durationMs: 2 * HOUR_MS, multiplier: 3 },
  });
}

/** The same values, moved to end at the hour before `now`: what the demo seeds into the local CloudWatch. */
export function demoHistoryEndingAt(now: Date): RegularSeries {
  const load = demoLoad();
  return { ...load, startMs: Math.floor(now.getTime() / HOUR_MS) * HOUR_MS - HISTORY_DAYS * DAY_MS };
}

/** The reference worker's numbers. */
export const DEMO_WORKER = { throughputPerWorker: 0.5, startupMs: 90_000, sloMs: 300_000, minCapacity: 1, maxCapacity: 40 };
/** The web service: the load x this many requests per message; 50 requests/s per task saturated, p99 500 ms. */
export const REQUESTS_PER_MESSAGE = 40;
export const DEMO_WEB_SERVICE = { requestsPerSecondPerTask: 50, startupMs: 90_000, sloMs: 500, minCapacity: 1, maxCapacity: 40 };

/** The table: each message reads this many capacity units; provisioned 5-1000 units at 70%. */
export const UNITS_PER_MESSAGE = 4;
export const DEMO_TABLE = { min: 5, max: 1000, targetUtilization: 70 };

export interface DemoFigures {
  readonly queue: BacktestResult;
  readonly table: TableReport;
  readonly web: HttpBacktestResult;
  readonly webTuning: TargetTuning;
}

/** Every figure the demo's backtests print: a pure function of the fixed load. */
export function demoFigures(): DemoFigures {
  const load = demoLoad();
  const messages = { ...load, values: load.values.map((perSecond) => perSecond * (load.stepMs / 1000)) };
  const queue = runBacktest(messages, DEMO_WORKER);
  const requests = { ...load, values: load.values.map((perSecond) => perSecond * REQUESTS_PER_MESSAGE * (load.stepMs / 1000)) };
  const web = runHttpBacktest(requests, DEMO_WEB_SERVICE);
  const webTuning = chooseTargetUtilization(web.requests, web.startMs, DEMO_WEB_SERVICE, { missing: missingMinutes(requests) });
  const units = arrivalsPerMinute(messages, UNITS_PER_MESSAGE);
  const tableResult = dynamodbBacktest(units, load.startMs, DEMO_TABLE);
  const table = dynamodbTable(
    tableResult,
    `the same load as reads of ${UNITS_PER_MESSAGE} capacity units a message, a provisioned table at ${DEMO_TABLE.targetUtilization}% target utilization, ${DEMO_TABLE.min}-${DEMO_TABLE.max} units`,
  );
  return { queue, table, web, webTuning };
}

import { fleetSloRatePerTask, serviceRateFromSloRate } from './fleet-rate.ts';

/**
 * The tasks a request rate needs within the latency SLO, as a formula CloudWatch metric math can evaluate:
 * requiredTasks = a + rootSlack x sqrt(a) + fixedSlack, where a = requests per second / the saturation rate of a
 * task (the offered load, in tasks). This is the square-root staffing rule of the M/M/c queue (Halfin and Whitt,
 * "Heavy-traffic limits for queues with many exponential servers", Operations Research 29(3), 1981): the spare
 * capacity a pooled fleet needs to hold a waiting-time target grows with the square root of its load, so the share
 * spare falls as the fleet grows. A static per-task target cannot follow that; this curve can.
 */
export interface RequiredTasksCurve {
  /** Requests per second one task serves when saturated (inferred from the one-task rate within the SLO). */
  readonly saturationRatePerTask: number;
  readonly rootSlack: number;
  readonly fixedSlack: number;
}

/** Fleet sizes the curve is fitted at: every size to 200, then about 5% apart up to the largest (the slack is smooth there). */
function fittedFleetSizes(maxTasks: number): number[] {
  const sizes: number[] = [];
  for (let tasks = 1; tasks <= maxTasks; tasks = tasks < 200 ? tasks + 1 : Math.ceil(tasks * 1.05)) sizes.push(tasks);
  if (sizes[sizes.length - 1] !== maxTasks) sizes.push(maxTasks);
  return sizes;
}

/**
 * Fits the curve to the exact M/M/c requirement (Erlang C, shared/request-scaling/mmc.ts) for fleets of 1 to
 * `maxTasks`, from above: at every fitted size n, the curve asks for at least n tasks as soon as the load passes
 * what n - 1 tasks serve within the SLO, so rounding it up never gives too few. Of the curves that do, it takes
 * the one with the least spare summed over the sizes. Assumes tasks that serve one request at a time.
 */
export function fitRequiredTasks(sloRatePerTask: number, sloSeconds: number, maxTasks: number): RequiredTasksCurve {
  if (!(Number.isInteger(maxTasks) && maxTasks >= 1)) throw new RangeError(`maxTasks must be a whole number >= 1, got ${maxTasks}`);
  const saturationRatePerTask = serviceRateFromSloRate(sloRatePerTask, sloSeconds);
  // The offered load each fleet size carries at the SLO, and the slack (tasks beyond that load) it needs there.
  const points = fittedFleetSizes(maxTasks).map((tasks) => {
    const load = (tasks * fleetSloRatePerTask(sloRatePerTask, sloSeconds, tasks)) / saturationRatePerTask;
    return { root: Math.sqrt(load), slack: tasks - load };
  });
  let best = { rootSlack: 0, fixedSlack: Number.POSITIVE_INFINITY, spare: Number.POSITIVE_INFINITY };
  const largestRootSlack = Math.max(...points.map((point) => point.slack / point.root));
  for (let step = 0; step <= 200; step++) {
    const rootSlack = (largestRootSlack * step) / 200;
    const fixedSlack = Math.max(0, ...points.map((point) => point.slack - rootSlack * point.root));
    const spare = points.reduce((sum, point) => sum + rootSlack * point.root + fixedSlack - point.slack, 0);
    if (spare < best.spare) best = { rootSlack, fixedSlack, spare };
  }
  return { saturationRatePerTask, rootSlack: best.rootSlack, fixedSlack: best.fixedSlack };
}

/** The tasks `requestsPerSecond` needs within the SLO by the curve (a real number: round it up). */
export function requiredTasks(curve: RequiredTasksCurve, requestsPerSecond: number): number {
  if (!(requestsPerSecond > 0)) return 0;
  const load = requestsPerSecond / curve.saturationRatePerTask;
  return load + curve.rootSlack * Math.sqrt(load) + curve.fixedSlack;
}

/** The curve as a person reads it: "load + 0.19 tasks, load = requests/s / 50.0". */
export function describeRequiredTasks(curve: RequiredTasksCurve): string {
  const root = curve.rootSlack > 0 ? ` + ${curve.rootSlack.toFixed(3)} x sqrt(load)` : '';
  return `load${root} + ${curve.fixedSlack.toFixed(2)} tasks, load = requests/s / ${curve.saturationRatePerTask.toFixed(1)}`;
}

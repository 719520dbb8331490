// How far reacting can get at all: a reactive policy without AWS's delays, to tell a goal no reactive policy can
// reach from one headroom's policy misses.
import type { HttpServiceModel } from '../../shared/simulate/http/index.ts';
import { TaskFleet } from '../../shared/simulate/task-fleet.ts';

export interface IdealReactiveScore {
  readonly delayMinutes: number;
  readonly margin: number;
  readonly holdMinutes: number;
  readonly sloViolationMinutes: number;
  readonly taskMinutes: number;
}

/**
 * Sees each minute's requests `delayMinutes` after the minute ends (0: the moment it ends; 1: AWS's fastest, a
 * 1-minute metric published a minute late on a one-datapoint alarm), with no alarm or cooldown beyond that, and
 * launches at once the fewest tasks that would serve `margin` x them within the SLO (the same M/M/c model), holding
 * the highest ask of the last `holdMinutes` minutes. Its tasks still take the start-up to serve, as every reactive
 * policy's do.
 */
export function idealReactive(
  requests: readonly number[],
  model: HttpServiceModel,
  options: { readonly delayMinutes: number; readonly margin: number; readonly holdMinutes: number },
): IdealReactiveScore {
  const { delayMinutes, margin, holdMinutes } = options;
  const { minCapacity, maxCapacity, startupMs, sloMs } = model.parameters;
  const tasksFor = (count: number) => Math.min(maxCapacity, Math.max(minCapacity, model.leastTasks(count / 60)));
  const fleet = new TaskFleet(Math.ceil(startupMs / 60_000), Math.max(1, tasksFor(requests[0] ?? 0)));
  const asks: number[] = [];
  let sloViolationMinutes = 0;
  requests.forEach((count, minute) => {
    fleet.advance(minute);
    const outcome = model.serve(count, fleet.running);
    if (outcome.dropped > 0 || outcome.p99Ms > sloMs) sloViolationMinutes++;
    const seen = requests[minute - delayMinutes];
    if (seen !== undefined) asks.push(tasksFor(seen * margin));
    if (asks.length > holdMinutes + 1) asks.shift();
    if (asks.length > 0) fleet.setDesired(Math.max(...asks), minute + 1);
  });
  return { delayMinutes, margin, holdMinutes, sloViolationMinutes, taskMinutes: fleet.taskMinutes };
}

/** The idealized policy seeing each minute `delayMinutes` late, over a grid of margins and holds. */
export function idealReactiveGrid(requests: readonly number[], model: HttpServiceModel, delayMinutes: number): IdealReactiveScore[] {
  return [1, 1.1, 1.2, 1.3, 1.5, 2, 3].flatMap((margin) =>
    [0, 5, 15].map((holdMinutes) => idealReactive(requests, model, { delayMinutes, margin, holdMinutes })),
  );
}

// How far reacting can get at all: a reactive policy without AWS's delays, to tell a goal no reactive policy can
// reach from one headroom's policy misses.
import type { HttpServiceModel } from '../../shared/simulate/http/index.ts';
import { TaskFleet } from '../../shared/simulate/task-fleet.ts';

export interface IdealReactiveScore {
  readonly margin: number;
  readonly holdMinutes: number;
  readonly sloViolationMinutes: number;
  readonly taskMinutes: number;
}

/**
 * Sees each minute's requests the moment the minute ends, with no metric delay, alarm or cooldown, and launches at
 * once the fewest tasks that would serve `margin` x them within the SLO (the same M/M/c model), holding the highest
 * ask of the last `holdMinutes` minutes. Its tasks still take the start-up to serve, as every reactive policy's do.
 */
export function idealReactive(requests: readonly number[], model: HttpServiceModel, margin: number, holdMinutes: number): IdealReactiveScore {
  const { minCapacity, maxCapacity, startupMs, sloMs } = model.parameters;
  const tasksFor = (count: number) => Math.min(maxCapacity, Math.max(minCapacity, model.leastTasks(count / 60)));
  const fleet = new TaskFleet(Math.ceil(startupMs / 60_000), Math.max(1, tasksFor(requests[0] ?? 0)));
  const asks: number[] = [];
  let sloViolationMinutes = 0;
  requests.forEach((count, minute) => {
    fleet.advance(minute);
    const outcome = model.serve(count, fleet.running);
    if (outcome.dropped > 0 || outcome.p99Ms > sloMs) sloViolationMinutes++;
    asks.push(tasksFor(count * margin));
    if (asks.length > holdMinutes + 1) asks.shift();
    fleet.setDesired(Math.max(...asks), minute + 1);
  });
  return { margin, holdMinutes, sloViolationMinutes, taskMinutes: fleet.taskMinutes };
}

/** The idealized policy over a grid of margins and holds. */
export function idealReactiveGrid(requests: readonly number[], model: HttpServiceModel): IdealReactiveScore[] {
  return [1, 1.1, 1.2, 1.3, 1.5, 2, 3].flatMap((margin) => [0, 5, 15].map((hold) => idealReactive(requests, model, margin, hold)));
}

/** The queue attributes the backlog is computed from, as SQS GetQueueAttributes reports them. */
export interface QueueDepth {
  readonly visible: number;
  readonly inFlight: number;
  readonly delayed: number;
}

/** Messages waiting: visible + in flight, + delayed only where the source asks for it. */
export function queueBacklog(depth: QueueDepth, countDelayed: boolean): number {
  return depth.visible + depth.inFlight + (countDelayed ? depth.delayed : 0);
}

/**
 * Backlog per running task. With no task running, a backlog counts as if one task held all of it, so target
 * tracking sees the whole backlog as over target and scales out; an empty queue with no tasks is 0 (nothing
 * to do). Never a division by zero, never an infinity that CloudWatch would reject.
 */
export function backlogPerTask(backlog: number, runningCapacity: number): number {
  if (backlog <= 0) return 0;
  return backlog / Math.max(runningCapacity, 1);
}

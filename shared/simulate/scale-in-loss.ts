/**
 * Work lost to scale-in: a policy's started-task count per minute replayed with whole jobs, one at a time per
 * task, so that a task stopped by a scale-in while it holds a job cuts that job short (its message comes back after
 * the visibility timeout and starts over). With task scale-in protection (the worker kit's), a task is protected
 * while it holds a job and for `idleReleaseMinutes` after; ECS does not choose a protected task for scale-in
 * (https://docs.aws.amazon.com/AmazonECS/latest/developerguide/task-scale-in-protection.html) but stops it once it
 * is unprotected, so a scale-in ECS could not apply at once waits, and those tasks keep running (and cost).
 * Which unprotected task ECS stops is not published: here a seeded uniform choice, the same for both runs.
 * Pure and deterministic.
 */
export interface ScaleInLossOptions {
  /** How long one message keeps one task busy. */
  readonly jobMinutes: number;
  /** Whether tasks protect themselves from scale-in while busy. */
  readonly protection: boolean;
  /** Protection kept after a task goes idle (the kit's idleReleaseMs). @default 1 */
  readonly idleReleaseMinutes?: number;
  /** When a cut-short job's message is visible again (the heartbeat keeps it within one timeout). @default 5 */
  readonly visibilityTimeoutMinutes?: number;
  /** @default 1 */
  readonly seed?: number;
}

export interface ScaleInLoss {
  readonly jobsCompleted: number;
  /** Jobs stopped by a scale-in before they finished: each one handled again from the start. */
  readonly jobsCutShort: number;
  /** Task-minutes of work thrown away by those stops. */
  readonly workMinutesLost: number;
  /** Task-minutes paid (every task from start to stop). */
  readonly taskMinutes: number;
  /** Task-minutes run by tasks a scale-in wanted gone but protection kept (the price of protection). */
  readonly protectedOverrunTaskMinutes: number;
  /** The longest a message waited before its (last) job started, minutes. */
  readonly maxWaitMinutes: number;
}

interface Task {
  /** Minute the current job ends; undefined when idle. */
  busyUntil: number | undefined;
  jobStartedAt: number;
  idleSince: number;
}

/**
 * Replays `running` (started tasks per minute, as a policy's timeline has them) against `arrivals` (messages per
 * minute; fractions carried over) with whole jobs of `jobMinutes`.
 */
export function replayScaleInLoss(arrivals: readonly number[], running: readonly number[], options: ScaleInLossOptions): ScaleInLoss {
  if (!(options.jobMinutes >= 1)) throw new RangeError(`jobMinutes must be at least 1, got ${options.jobMinutes}`);
  const idleRelease = options.idleReleaseMinutes ?? 1;
  const visibility = options.visibilityTimeoutMinutes ?? 5;
  const random = mulberry32(options.seed ?? 1);
  const tasks: Task[] = [];
  /** Messages waiting, as the minute each became (or becomes again) visible, oldest first. */
  const waiting: number[] = [];
  let carry = 0;
  let owed = 0;
  let jobsCompleted = 0;
  let jobsCutShort = 0;
  let workMinutesLost = 0;
  let taskMinutes = 0;
  let overrun = 0;
  let maxWait = 0;
  const isProtected = (task: Task, minute: number) => task.busyUntil !== undefined || minute - task.idleSince < idleRelease;

  for (let minute = 0; minute < running.length; minute++) {
    carry += arrivals[minute] ?? 0;
    const whole = Math.floor(carry + 1e-9);
    carry -= whole;
    for (let n = 0; n < whole; n++) waiting.push(minute);

    // Jobs that end this minute free their task first.
    for (const task of tasks) {
      if (task.busyUntil !== undefined && task.busyUntil <= minute) {
        task.busyUntil = undefined;
        task.idleSince = minute;
        jobsCompleted += 1;
      }
    }
    // The policy's count: launches join idle; a scale-in is owed until ECS can stop that many tasks.
    const target = Math.max(0, Math.round(running[minute] ?? 0));
    const live = tasks.length - owed;
    if (target > live) {
      const launch = target - live;
      const cancelled = Math.min(owed, launch);
      owed -= cancelled;
      for (let n = cancelled; n < launch; n++) tasks.push({ busyUntil: undefined, jobStartedAt: 0, idleSince: minute });
    } else if (target < live) {
      owed += live - target;
    }
    while (owed > 0) {
      const candidates = tasks.filter((task) => !options.protection || !isProtected(task, minute));
      if (candidates.length === 0) break;
      const victim = candidates[Math.floor(random() * candidates.length)]!;
      if (victim.busyUntil !== undefined) {
        jobsCutShort += 1;
        workMinutesLost += minute - victim.jobStartedAt;
        insertSorted(waiting, minute + visibility);
      }
      tasks.splice(tasks.indexOf(victim), 1);
      owed -= 1;
    }
    overrun += owed;
    // Idle tasks take the oldest visible messages.
    for (const task of tasks) {
      if (task.busyUntil !== undefined || waiting.length === 0 || waiting[0]! > minute) continue;
      maxWait = Math.max(maxWait, minute - waiting.shift()!);
      task.busyUntil = minute + options.jobMinutes;
      task.jobStartedAt = minute;
    }
    taskMinutes += tasks.length;
  }
  return { jobsCompleted, jobsCutShort, workMinutesLost, taskMinutes, protectedOverrunTaskMinutes: overrun, maxWaitMinutes: maxWait };
}

function insertSorted(values: number[], value: number): void {
  let index = values.length;
  while (index > 0 && values[index - 1]! > value) index--;
  values.splice(index, 0, value);
}

function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * An ECS service's tasks (or a queue's workers), by the minute: a launched task costs from launch and serves only once started; a
 * scale-in stops tasks still starting first (newest first), then started ones.
 */
export class TaskFleet {
  private started: number;
  /** Launches still starting, as [minute ready, count], oldest first. */
  private readonly starting: Array<[number, number]> = [];
  private startingCount = 0;
  scalingActions = 0;
  taskMinutes = 0;

  constructor(
    private readonly startupMinutes: number,
    initial: number,
  ) {
    this.started = initial;
  }

  /** The desired count: started tasks and those still starting. */
  get desired(): number {
    return this.started + this.startingCount;
  }

  get running(): number {
    return this.started;
  }

  setDesired(count: number, minute: number): void {
    const desired = this.desired;
    if (count === desired) return;
    this.scalingActions++;
    if (count > desired) {
      if (this.startupMinutes === 0) this.started += count - desired;
      else {
        this.starting.push([minute + this.startupMinutes, count - desired]);
        this.startingCount += count - desired;
      }
      return;
    }
    let stop = desired - count;
    while (stop > 0 && this.starting.length > 0) {
      const newest = this.starting[this.starting.length - 1]!;
      const stopped = Math.min(stop, newest[1]);
      newest[1] -= stopped;
      this.startingCount -= stopped;
      stop -= stopped;
      if (newest[1] === 0) this.starting.pop();
    }
    this.started -= stop;
  }

  /** Starts the launches whose start-up has passed by `minute`, and pays for the minute. */
  advance(minute: number): void {
    while (this.starting.length > 0 && this.starting[0]![0] <= minute) {
      const [, count] = this.starting.shift()!;
      this.started += count;
      this.startingCount -= count;
    }
    this.taskMinutes += this.desired;
  }
}

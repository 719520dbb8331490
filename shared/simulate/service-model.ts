import type { BacklogParameters } from './parameters.ts';

/**
 * An ECS service draining a queue, by the minute: workers count as capacity only once started, every launched
 * worker costs from launch, the queue is first in first out, and each message's wait is recorded.
 */
export class ServiceModel {
  /** Minute each worker is (or was) ready; a worker costs from launch. */
  private readonly readyAt: number[] = [];
  /** Queued messages as [arrival minute, count], oldest first. */
  private readonly queue: Array<[number, number]> = [];
  private queued = 0;
  processedTotal = 0;
  arrivedTotal = 0;
  capacityMinutes = 0;
  scalingActions = 0;
  violationMinutes = 0;
  /** Processed messages by whole minutes waited. */
  readonly waitHistogram: number[] = [];
  private readonly startupMinutes: number;
  private readonly sloMinutes: number;

  constructor(
    private readonly parameters: BacklogParameters,
    initialCapacity: number,
  ) {
    this.startupMinutes = Math.ceil(parameters.startupMs / 60_000);
    this.sloMinutes = parameters.sloMs / 60_000;
    for (let i = 0; i < initialCapacity; i++) this.readyAt.push(0);
  }

  get desired(): number {
    return this.readyAt.length;
  }

  running(minute: number): number {
    return this.readyAt.filter((ready) => ready <= minute).length;
  }

  get backlog(): number {
    return this.queued;
  }

  /** Sets the desired count: launches workers (ready after the start-up delay) or stops them, newest first. */
  setDesired(count: number, minute: number): void {
    if (count === this.readyAt.length) return;
    this.scalingActions++;
    while (this.readyAt.length < count) this.readyAt.push(minute + this.startupMinutes);
    this.readyAt.sort((a, b) => a - b);
    while (this.readyAt.length > count) this.readyAt.pop();
  }

  /** One minute: arrivals join the queue, started workers drain it. Returns what the minute's metrics need. */
  step(minute: number, arrivals: number): { processed: number; running: number; oldestAgeMinutes: number } {
    if (arrivals > 0) {
      this.queue.push([minute, arrivals]);
      this.queued += arrivals;
      this.arrivedTotal += arrivals;
    }
    const running = this.running(minute);
    let budget = running * this.parameters.throughputPerWorker * 60;
    let processed = 0;
    let violated = false;
    while (budget > 1e-9 && this.queue.length > 0) {
      const head = this.queue[0]!;
      const taken = Math.min(head[1], budget);
      const waited = minute - head[0];
      this.waitHistogram[waited] = (this.waitHistogram[waited] ?? 0) + taken;
      if (waited > this.sloMinutes) violated = true;
      head[1] -= taken;
      budget -= taken;
      processed += taken;
      if (head[1] <= 1e-9) this.queue.shift();
    }
    this.queued = Math.max(0, this.queued - processed);
    this.processedTotal += processed;
    this.capacityMinutes += this.readyAt.length;
    const oldestAgeMinutes = this.queue.length > 0 ? minute - this.queue[0]![0] : 0;
    if (violated || oldestAgeMinutes > this.sloMinutes) this.violationMinutes++;
    return { processed, running, oldestAgeMinutes };
  }

  /** The wait (seconds) that 99% of processed messages did not exceed. */
  p99WaitSeconds(): number {
    const total = this.waitHistogram.reduce((sum, count) => sum + (count ?? 0), 0);
    let seen = 0;
    for (let minutes = 0; minutes < this.waitHistogram.length; minutes++) {
      seen += this.waitHistogram[minutes] ?? 0;
      if (seen >= 0.99 * total) return minutes * 60;
    }
    return 0;
  }
}

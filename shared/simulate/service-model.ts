import type { BacklogParameters } from './parameters.ts';
import { TaskFleet } from './task-fleet.ts';

/**
 * An ECS service draining a queue, by the minute: workers count as capacity only once started, every launched
 * worker costs from launch, the queue is first in first out, and each message's wait is recorded.
 */
export class ServiceModel {
  private readonly fleet: TaskFleet;
  /** Queued messages as [arrival minute, count], oldest first from `head`. */
  private readonly queue: Array<[number, number]> = [];
  private head = 0;
  private queued = 0;
  processedTotal = 0;
  arrivedTotal = 0;
  violationMinutes = 0;
  /** Processed messages by whole minutes waited. */
  readonly waitHistogram: number[] = [];
  private readonly sloMinutes: number;
  private readonly perWorkerMinute: number;

  constructor(parameters: BacklogParameters, initialCapacity: number) {
    this.sloMinutes = parameters.sloMs / 60_000;
    this.perWorkerMinute = parameters.throughputPerWorker * 60;
    this.fleet = new TaskFleet(Math.ceil(parameters.startupMs / 60_000), initialCapacity);
  }

  /** The desired count: started workers and those still starting. */
  get desired(): number {
    return this.fleet.desired;
  }

  get running(): number {
    return this.fleet.running;
  }

  /** Every launched worker costs from launch. */
  get capacityMinutes(): number {
    return this.fleet.taskMinutes;
  }

  get scalingActions(): number {
    return this.fleet.scalingActions;
  }

  get backlog(): number {
    return this.queued;
  }

  /** Sets the desired count: launches workers (started after the start-up delay) or stops them, newest first. */
  setDesired(count: number, minute: number): void {
    this.fleet.setDesired(count, minute);
  }

  /** One minute: arrivals join the queue, started workers drain it. Returns what the minute's metrics need. */
  step(minute: number, arrivals: number): { processed: number; running: number; oldestAgeMinutes: number } {
    this.fleet.advance(minute);
    if (arrivals > 0) {
      this.queue.push([minute, arrivals]);
      this.queued += arrivals;
      this.arrivedTotal += arrivals;
    }
    let budget = this.fleet.running * this.perWorkerMinute;
    let processed = 0;
    let violated = false;
    while (budget > 1e-9 && this.head < this.queue.length) {
      const oldest = this.queue[this.head]!;
      const taken = Math.min(oldest[1], budget);
      const waited = minute - oldest[0];
      this.waitHistogram[waited] = (this.waitHistogram[waited] ?? 0) + taken;
      if (waited > this.sloMinutes) violated = true;
      oldest[1] -= taken;
      budget -= taken;
      processed += taken;
      if (oldest[1] <= 1e-9) this.head++;
    }
    if (this.head > 1024 && this.head * 2 > this.queue.length) {
      this.queue.splice(0, this.head);
      this.head = 0;
    }
    this.queued = this.head < this.queue.length ? Math.max(0, this.queued - processed) : 0;
    this.processedTotal += processed;
    const oldestAgeMinutes = this.head < this.queue.length ? minute - this.queue[this.head]![0] : 0;
    if (violated || oldestAgeMinutes > this.sloMinutes) this.violationMinutes++;
    return { processed, running: this.fleet.running, oldestAgeMinutes };
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

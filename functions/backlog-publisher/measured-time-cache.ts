import type { MeasuredTimePerMessage } from '../../shared/backlog/index.ts';

/**
 * How long a consumer's measured time per message is reused before it is read again. It is a 15-minute average that
 * only refines the declared value, so a reading a few minutes old changes the signal little, and reading it every
 * run would cost two GetMetricData metrics a minute per workload ($0.88 a month; `headroom cost`).
 */
export const MEASURED_REFRESH_MS = 5 * 60_000;

/**
 * The measured times per message this publisher read, kept for the function instance's life: a warm instance (the
 * publisher runs every minute) reads each source's measured time once per MEASURED_REFRESH_MS, a cold one at once.
 */
export class MeasuredTimeCache {
  private readonly entries = new Map<string, { readonly readAtMs: number; readonly measured: MeasuredTimePerMessage | undefined }>();

  constructor(private readonly refreshMs: number = MEASURED_REFRESH_MS) {}

  /** The reading kept for `key` when it is younger than the refresh interval at `nowMs`. */
  fresh(key: string, nowMs: number): { readonly measured: MeasuredTimePerMessage | undefined } | undefined {
    const entry = this.entries.get(key);
    return entry && nowMs - entry.readAtMs < this.refreshMs && nowMs >= entry.readAtMs ? entry : undefined;
  }

  keep(key: string, nowMs: number, measured: MeasuredTimePerMessage | undefined): void {
    this.entries.set(key, { readAtMs: nowMs, measured });
  }
}

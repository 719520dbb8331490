import { type CloudWatchClient, PutMetricDataCommand } from '@aws-sdk/client-cloudwatch';
import type { Logger } from '@aws-lambda-powertools/logger';
import { requestsOf, sampleDatums } from '../../shared/metrics/metric-datums.ts';
import { MetricName, WORKLOAD_DIMENSION } from '../../shared/metrics/names.ts';

/**
 * The worker kit's metrics, published with PutMetricData once per interval: MessageWaitTime and
 * MessageProcessingTime as value/count arrays (percentiles work), MessagesProcessed and MessagesFailed as sums,
 * each shaped by its entry in the metric contract (shared/metrics/contract.ts: dimension set {Workload}, unit,
 * resolution), which is what QueueScaledService and the SLO alarms query. An interval
 * with no messages publishes nothing (no request, no cost). A failed publish is logged and its samples dropped:
 * metrics never hold up or fail message handling.
 */
export class WorkerMetrics {
  private waits: number[] = [];
  private processing: number[] = [];
  private processed = 0;
  private failed = 0;
  private timer: NodeJS.Timeout | undefined;
  private readonly dimensions: Readonly<Record<string, string>>;
  /** PutMetricData requests sent and failed, for tests and the bench. */
  readonly requests = { sent: 0, failed: 0 };

  constructor(
    private readonly cloudWatch: CloudWatchClient,
    private readonly namespace: string,
    workload: string,
    private readonly logger: Logger,
  ) {
    this.dimensions = { [WORKLOAD_DIMENSION]: workload };
  }

  start(intervalMs: number): void {
    this.timer = setInterval(() => void this.flush(), intervalMs);
    this.timer.unref();
  }

  messageWaited(ms: number): void {
    this.waits.push(ms);
  }

  messageProcessed(ms: number): void {
    this.processing.push(ms);
    this.processed += 1;
  }

  messageFailed(): void {
    this.failed += 1;
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.flush();
  }

  async flush(): Promise<void> {
    if (this.waits.length === 0 && this.processed === 0 && this.failed === 0) return;
    const at = new Date();
    const datums = [
      ...sampleDatums(MetricName.messageWaitTime, this.waits, this.dimensions, at),
      ...sampleDatums(MetricName.messageProcessingTime, this.processing, this.dimensions, at),
      ...sampleDatums(MetricName.messagesProcessed, [this.processed], this.dimensions, at),
      ...sampleDatums(MetricName.messagesFailed, [this.failed], this.dimensions, at),
    ];
    this.waits = [];
    this.processing = [];
    this.processed = 0;
    this.failed = 0;
    await Promise.all(
      requestsOf(datums).map(async (MetricData) => {
        try {
          await this.cloudWatch.send(new PutMetricDataCommand({ Namespace: this.namespace, MetricData }));
          this.requests.sent += 1;
        } catch (error) {
          this.requests.failed += 1;
          this.logger.warn('could not publish the worker metrics; these samples are dropped', { error: error as Error });
        }
      }),
    );
  }
}

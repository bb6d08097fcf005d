import type { Exporter } from '../component/types.js';
import type { ComponentTelemetry } from '../component/telemetry.js';
import type { Logger } from '../component/logger.js';
import type { AnyBatch, Signal } from '../model/signal.js';

interface Pending {
  readonly batch: AnyBatch;
  readonly signal: Signal;
}

/**
 * Stands between a pipeline and one exporter, so that a slow exporter never stalls the
 * others: batches wait here while the exporter is busy. Metric points are bounded and the
 * oldest are dropped (and counted) at the bound; health events are never dropped.
 */
export class ExporterQueue {
  private readonly pending: Pending[] = [];
  private queuedPoints = 0;
  private busy = false;
  private idleWaiters: Array<() => void> = [];

  constructor(
    readonly id: string,
    readonly exporter: Exporter,
    private readonly telemetry: ComponentTelemetry,
    private readonly logger: Logger,
    private readonly maxQueuedPoints: number,
  ) {}

  push(batch: AnyBatch, signal: Signal): void {
    if (batch.length === 0) return;
    if (this.busy) {
      this.enqueue({ batch, signal });
      return;
    }
    this.deliver({ batch, signal });
  }

  /** Resolves when every batch handed over so far has been consumed (or failed). */
  idle(): Promise<void> {
    if (!this.busy) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  get size(): number {
    return this.queuedPoints;
  }

  private enqueue(item: Pending): void {
    this.pending.push(item);
    if (item.signal === 'metrics') this.queuedPoints += item.batch.length;
    this.shed();
    this.telemetry.queueSize(this.queuedPoints);
  }

  /** Drops the oldest metric batches until the bound holds again; alerts stay. */
  private shed(): void {
    let index = 0;
    while (this.queuedPoints > this.maxQueuedPoints && index < this.pending.length) {
      const item = this.pending[index]!;
      if (item.signal !== 'metrics') {
        index += 1;
        continue;
      }
      this.pending.splice(index, 1);
      this.queuedPoints -= item.batch.length;
      this.telemetry.dropped(item.batch.length);
      this.logger.once('queue-full', 'warn', 'exporter queue is full: dropping the oldest metric points', {
        max_queued_points: this.maxQueuedPoints,
      });
    }
  }

  private deliver(item: Pending): void {
    let result: void | Promise<void>;
    try {
      result = this.exporter.consume(item.batch as never, item.signal as never);
    } catch (error) {
      this.failed(item, error);
      this.next();
      return;
    }
    if (result === undefined) {
      this.telemetry.sent(item.batch.length);
      this.next();
      return;
    }
    this.busy = true;
    result.then(
      () => {
        this.telemetry.sent(item.batch.length);
        this.next();
      },
      (error: unknown) => {
        this.failed(item, error);
        this.next();
      },
    );
  }

  private next(): void {
    const item = this.pending.shift();
    if (item === undefined) {
      this.busy = false;
      const waiters = this.idleWaiters;
      this.idleWaiters = [];
      for (const resolve of waiters) resolve();
      return;
    }
    if (item.signal === 'metrics') this.queuedPoints -= item.batch.length;
    this.telemetry.queueSize(this.queuedPoints);
    this.busy = false;
    this.deliver(item);
  }

  private failed(item: Pending, error: unknown): void {
    this.telemetry.failed(item.batch.length);
    this.logger.error('exporter failed to consume a batch', { signal: item.signal, points: item.batch.length, error });
  }
}

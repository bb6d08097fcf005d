import { asyncScheduler, type SchedulerLike, type Subscription } from 'rxjs';
import type { Exporter } from '../component/types.js';
import { DEFAULT_RETRY_POLICY, retryDelay } from '../delivery/retry-policy.js';
import type { ComponentTelemetry } from '../component/telemetry.js';
import type { Logger } from '../component/logger.js';
import type { AnyBatch, Signal } from '../model/signal.js';

interface Pending {
  readonly batch: AnyBatch;
  readonly signal: Signal;
}

/**
 * Stands between the pipelines and one exporter, so that a slow exporter never stalls the
 * others: batches wait here while the exporter is busy. Metric points are bounded and the
 * oldest are dropped (and counted) at the bound; health events are never dropped.
 *
 * The queue lives as long as the exporter's id: a reload that changes the exporter's config
 * swaps the exporter behind it, and what arrives meanwhile waits here instead of being lost.
 * Counting: the exporter counts `sent` and `failed` for what it took (only it knows when a
 * point really left); the queue counts `dropped` at its bound, `failed` for a metric batch
 * the exporter refused by throwing or rejecting, and the queue size.
 *
 * Alerts are never dropped between components. An alert exporter accepts a batch by
 * enqueuing it in its own DeliveryQueue (durable, retried there), so consume() throws only
 * when it could not even do that (a full disk, a bug). Then the batch stays at the head of
 * this queue and is handed over again with the delivery helper's backoff (100 ms up to 5 s),
 * for as long as it takes, and everything behind it waits in order: metrics at their bound
 * (oldest dropped, counted), alerts without one — they are few (one per level change) and
 * dropping one is what this queue must never do, so holding more than the metric bound's
 * worth is logged instead. A replaced exporter gets the held batch at once.
 */
export class ExporterQueue {
  private readonly pending: Pending[] = [];
  private queuedPoints = 0;
  /** The drain loop under way, if any: replace() waits for it before swapping. */
  private draining: Promise<void> = Promise.resolve();
  private running = false;
  private paused = false;
  private idleWaiters: Array<() => void> = [];
  /** Alerts waiting here: never dropped, only watched. */
  private queuedAlerts = 0;
  /** Failures in a row of the alert batch at the head, and the timer of its next try. */
  private alertFailures = 0;
  private retry: Subscription | undefined;
  /** The config the current exporter was made from: a reload compares it. */
  fingerprint = '';

  constructor(
    readonly id: string,
    private exporter: Exporter,
    private readonly telemetry: ComponentTelemetry,
    private readonly logger: Logger,
    private readonly maxQueuedPoints: number,
    private readonly scheduler: SchedulerLike = asyncScheduler,
  ) {}

  push(batch: AnyBatch, signal: Signal): void {
    if (batch.length === 0) return;
    this.pending.push({ batch, signal });
    if (signal === 'metrics') {
      this.queuedPoints += batch.length;
      this.shed();
    } else {
      this.queuedAlerts += batch.length;
      if (this.queuedAlerts > this.maxQueuedPoints) {
        this.logger.once('alerts-held', 'warn', 'exporter queue holds more alerts than its bound: alerts are kept, never dropped', {
          held_alerts: this.queuedAlerts,
          max_queued_points: this.maxQueuedPoints,
        });
      }
    }
    this.telemetry.queueSize(this.queuedPoints);
    this.startDrain();
  }

  /** Resolves when every batch handed over so far has been consumed (or failed). */
  idle(): Promise<void> {
    if (!this.running && this.pending.length === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  get size(): number {
    return this.queuedPoints;
  }

  /** Delivers what is queued, then flushes and shuts the exporter down. */
  async close(): Promise<void> {
    await this.idle();
    await this.exporter.flush();
    await this.exporter.shutdown();
  }

  /**
   * Closes the current exporter and carries on with the one `create` makes. Batches that
   * arrive meanwhile wait in the queue and go to the new exporter.
   */
  async replace(create: () => Exporter | undefined): Promise<void> {
    this.paused = true;
    await this.draining;
    try {
      await this.exporter.flush();
      await this.exporter.shutdown();
    } catch (error) {
      this.logger.error('exporter failed to shut down cleanly before its replacement', { error });
    }
    this.exporter = create() ?? this.exporter;
    this.paused = false;
    // A held alert batch is tried at once on the new exporter.
    this.retry?.unsubscribe();
    this.retry = undefined;
    this.alertFailures = 0;
    this.startDrain();
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

  private startDrain(): void {
    if (this.running || this.paused || this.retry !== undefined) return;
    // Set before the call: with a synchronous exporter the loop finishes inside it.
    this.running = true;
    this.draining = this.drain();
  }

  /**
   * One loop hands batches over in order. A synchronous exporter takes them at once, inside
   * push(); an asynchronous one is awaited, and the queue fills meanwhile.
   */
  private async drain(): Promise<void> {
    while (!this.paused && this.retry === undefined && this.pending.length > 0) {
      const item = this.pending.shift()!;
      if (item.signal === 'metrics') this.queuedPoints -= item.batch.length;
      this.telemetry.queueSize(this.queuedPoints);
      try {
        const accepted = this.exporter.consume(item.batch as never, item.signal as never);
        if (accepted !== undefined) await accepted;
        if (item.signal === 'alerts') this.alertsTaken(item);
      } catch (error) {
        if (item.signal === 'alerts') {
          this.holdForRetry(item, error);
        } else {
          this.telemetry.failed(item.batch.length);
          this.logger.error('exporter refused a batch', { signal: item.signal, points: item.batch.length, error });
        }
      }
    }
    this.running = false;
    if (this.paused || this.pending.length > 0) return;
    this.wakeIdle();
  }

  private alertsTaken(item: Pending): void {
    this.queuedAlerts -= item.batch.length;
    if (this.alertFailures > 0) this.logger.info('exporter took the alerts it had refused', { failures: this.alertFailures });
    this.alertFailures = 0;
  }

  /** Puts a refused alert batch back at the head and tries it again after the backoff. */
  private holdForRetry(item: Pending, error: unknown): void {
    this.pending.unshift(item);
    this.alertFailures += 1;
    const delay = retryDelay(DEFAULT_RETRY_POLICY, this.alertFailures);
    this.logger[this.alertFailures === 1 ? 'warn' : 'debug']('exporter refused alerts: kept, trying again', {
      alerts: item.batch.length,
      failures: this.alertFailures,
      retry_in_ms: delay,
      error,
    });
    this.retry = this.scheduler.schedule(() => {
      this.retry = undefined;
      this.startDrain();
    }, delay);
  }

  private wakeIdle(): void {
    const waiters = this.idleWaiters;
    this.idleWaiters = [];
    for (const resolve of waiters) resolve();
  }
}

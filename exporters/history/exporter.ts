import type { Subscription } from 'rxjs';
import { HISTORY_MIGRATIONS, HISTORY_OWNER } from '../../src/index.js';
import type { ComponentContext, EventBatch, Exporter, HealthEvent, MetricBatch, MetricPoint, Signal, SignalBatch } from '../../src/index.js';
import { retentionOf, type HistoryConfig } from './config.js';
import { HistoryCleanup } from './history-cleanup.js';
import { HistoryWriter } from './history-writer.js';

/** Events kept in memory while the store refuses writes; alerts are retried, not dropped, below it. */
export const MAX_PENDING_EVENTS = 100_000;

/** How soon the next cleanup step runs when the last one left work. */
const CLEANUP_CATCH_UP_MS = 50;

/**
 * The `history` exporter: points and events wait in memory at most `linger` (or until
 * `batch_size` of them) and are then written in one transaction (raw chunks, rollups, event
 * log); cleanup runs in small steps on the injected scheduler.
 */
export function createHistoryExporter(config: HistoryConfig, ctx: ComponentContext): Exporter<Signal> {
  return new HistoryExporter(config, ctx);
}

class HistoryExporter implements Exporter<Signal> {
  private writer: HistoryWriter | undefined;
  private cleanup: HistoryCleanup | undefined;
  private points: MetricPoint[] = [];
  private events: HealthEvent[] = [];
  private linger: Subscription | undefined;
  private cleanupTask: Subscription | undefined;
  private failing = false;
  private stopped = false;

  constructor(
    private readonly config: HistoryConfig,
    private readonly ctx: ComponentContext,
  ) {}

  async start(): Promise<void> {
    this.open();
  }

  consume(batch: SignalBatch[Signal], signal: Signal): void {
    if (batch.length === 0) return;
    if (signal === 'alerts') for (const event of batch as EventBatch) this.events.push(event);
    else for (const point of batch as MetricBatch) this.points.push(point);
    this.ctx.telemetry.queueSize(this.points.length + this.events.length, 'history');
    if (this.points.length + this.events.length >= this.config.batch_size) this.write();
    else this.linger ??= this.ctx.scheduler.schedule(() => this.write(), this.config.linger);
  }

  async flush(): Promise<void> {
    this.write();
  }

  async shutdown(): Promise<void> {
    this.write();
    try {
      this.writer?.writeOpenHours();
    } catch (error) {
      // The minute rows hold those points: a restarted writer rebuilds the hours from them.
      this.ctx.logger.warn('cannot write the open hour rollups at shutdown', { reason: error instanceof Error ? error.message : String(error) });
    }
    this.stopped = true;
    this.cleanupTask?.unsubscribe();
    this.cleanupTask = undefined;
  }

  /** Migrates the tables (once) and starts the cleanup steps. */
  private open(): HistoryWriter {
    if (this.writer !== undefined) return this.writer;
    const db = this.ctx.storage.tables(HISTORY_OWNER, HISTORY_MIGRATIONS);
    const writer = new HistoryWriter(db, this.config.max_series);
    this.writer = writer;
    this.cleanup = new HistoryCleanup(
      db,
      retentionOf(this.config),
      this.config.max_size,
      this.config.cleanup_batch,
      this.ctx.telemetry,
      (keys) => writer.forget(keys),
      (key, message) => this.ctx.logger.once(key, 'warn', message),
    );
    if (!this.stopped) this.scheduleCleanup(this.config.cleanup_interval);
    return writer;
  }

  private write(): void {
    this.linger?.unsubscribe();
    this.linger = undefined;
    if (this.points.length === 0 && this.events.length === 0) return;
    const points = this.points;
    const events = this.events;
    this.points = [];
    this.events = [];
    const telemetry = this.ctx.telemetry;
    try {
      const result = this.open().write(points, events, this.ctx.scheduler.now());
      if (result.points > 0) telemetry.sent(result.points, { signal: 'metrics' });
      if (result.events > 0) telemetry.sent(result.events, { signal: 'alerts' });
      if (result.notANumber > 0) telemetry.dropped(result.notANumber, { reason: 'nan', signal: 'metrics' });
      if (result.infinite > 0) telemetry.dropped(result.infinite, { reason: 'infinite', signal: 'metrics' });
      if (this.failing) {
        this.failing = false;
        this.ctx.status.recovered();
        this.ctx.logger.info('the store takes history writes again');
      }
    } catch (error) {
      this.failed(error, points, events);
    }
    telemetry.queueSize(this.points.length + this.events.length, 'history');
  }

  /** Points of a failed write are dropped (counted); events wait for the next write, up to a bound. */
  private failed(error: unknown, points: readonly MetricPoint[], events: readonly HealthEvent[]): void {
    const reason = error instanceof Error ? error.message : String(error);
    const measured = points.filter((point) => point.stale !== true).length;
    if (measured > 0) this.ctx.telemetry.dropped(measured, { reason: 'write_failed', signal: 'metrics' });
    const room = Math.max(0, MAX_PENDING_EVENTS - this.events.length);
    const kept = events.slice(Math.max(0, events.length - room));
    if (kept.length < events.length) this.ctx.telemetry.dropped(events.length - kept.length, { reason: 'queue_full', signal: 'alerts' });
    this.events = [...kept, ...this.events];
    if (this.events.length > 0 && !this.stopped) this.linger ??= this.ctx.scheduler.schedule(() => this.write(), this.config.linger);
    if (!this.failing) {
      this.failing = true;
      this.ctx.status.degraded(`cannot write history: ${reason}`);
    }
    this.ctx.logger.once('write-failed', 'warn', 'cannot write history: points are dropped, events wait for the next write', { reason });
  }

  private scheduleCleanup(delay: number): void {
    this.cleanupTask = this.ctx.scheduler.schedule(() => {
      if (this.stopped) return;
      let more = false;
      try {
        more = this.cleanup!.step(this.ctx.scheduler.now());
      } catch (error) {
        // A busy or full store: the next step tries again; the data only waits longer.
        this.ctx.logger.once('cleanup-failed', 'warn', 'history cleanup failed; it retries at its next step', {
          reason: error instanceof Error ? error.message : String(error),
        });
      }
      this.scheduleCleanup(more ? Math.min(CLEANUP_CATCH_UP_MS, this.config.cleanup_interval) : this.config.cleanup_interval);
    }, delay);
  }
}

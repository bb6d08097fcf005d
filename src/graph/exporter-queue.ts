import { asyncScheduler, type SchedulerLike, type Subscription } from 'rxjs';
import type { Exporter } from '../component/types.js';
import { DEFAULT_RETRY_POLICY, retryDelay } from '../delivery/retry-policy.js';
import type { ComponentTelemetry } from '../component/telemetry.js';
import type { Logger } from '../component/logger.js';
import type { AnyBatch, Signal } from '../model/signal.js';

/** At most one "exporter refused a batch" line per exporter in this time. */
const REFUSAL_LOG_INTERVAL_MS = 60_000;

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
 * point really left); the queue counts `dropped` at its bound, `failed` for a batch the
 * exporter refused by throwing or rejecting, and its size per signal (`queue_size` with
 * `queue=metrics`, points, and `queue=alerts`, events).
 *
 * A queue can be without an exporter: when neither the new nor the previous configuration
 * could make one on a reload. It then holds what comes (metric points at the bound) until a
 * reload makes one, and never hands a batch to an exporter that was shut down.
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
  private queuedEvents = 0;
  /** The drain loop under way, if any: replace() waits for it before swapping. */
  private draining: Promise<void> = Promise.resolve();
  private running = false;
  /** Bumped when a hung drain loop is abandoned: that loop, if it ever wakes, stops. */
  private generation = 0;
  private paused = false;
  private idleWaiters: Array<() => void> = [];
  /** Failures in a row of the alert batch at the head, and the timer of its next try. */
  private alertFailures = 0;
  private retry: Subscription | undefined;
  /** When a refused metric batch was last logged, and how many refusals went unlogged since. */
  private lastRefusalLog = Number.NEGATIVE_INFINITY;
  private unloggedRefusals = 0;

  constructor(
    readonly id: string,
    private exporter: Exporter | undefined,
    private readonly telemetry: ComponentTelemetry,
    private readonly logger: Logger,
    private maxQueuedPoints: number,
    private readonly scheduler: SchedulerLike = asyncScheduler,
  ) {}

  push(batch: AnyBatch, signal: Signal): void {
    if (batch.length === 0) return;
    this.pending.push({ batch, signal });
    this.count(signal, batch.length);
    if (signal === 'metrics') this.shed();
    else if (this.queuedEvents > this.maxQueuedPoints) {
      this.logger.once('alerts-held', 'warn', 'exporter queue holds more alerts than its bound: alerts are kept, never dropped', {
        held_alerts: this.queuedEvents,
        max_queued_points: this.maxQueuedPoints,
      });
    }
    this.reportSize();
    this.startDrain();
  }

  /** A reload changed `service.exporter_queue_size`: the new bound holds at once. */
  resize(maxQueuedPoints: number): void {
    this.maxQueuedPoints = maxQueuedPoints;
    this.shed();
    this.reportSize();
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
  /**
   * The stop's deadline passed: no more tries and nothing more handed over, so a held alert
   * batch's retry timer does not outlive the stop. What still waits here is left: alerts a
   * sink accepted are in its durable outbox, the rest was never accepted.
   */
  abandon(): void {
    this.paused = true;
    this.retry?.unsubscribe();
    this.retry = undefined;
  }

  async close(): Promise<void> {
    const exporter = this.exporter;
    if (exporter === undefined) {
      this.abandonPending('no exporter could be made: what waited for it is lost');
      return;
    }
    await this.idle();
    await exporter.flush();
    await exporter.shutdown();
  }

  /**
   * Closes the current exporter and carries on with the one `create` makes and starts
   * (undefined: none could be made, the queue holds what comes). Batches that arrive meanwhile wait in the
   * queue and go to the new exporter. The old exporter gets until `giveUp` settles to take
   * the batch it holds, flush and shut down: one that hangs is abandoned with that batch, so
   * a reload (or the stop behind it) never waits for ever; once a stop began, `giveUp` has
   * settled and the old exporter's flush goes on unwatched. What must survive that (alerts)
   * belongs in the exporter's durable outbox (the delivery helper), where the exporter made
   * next finds it again: this queue only hands over.
   */
  async replace(create: () => Exporter | undefined | Promise<Exporter | undefined>, giveUp: Promise<void>): Promise<void> {
    this.paused = true;
    const old = this.exporter;
    let closing = false;
    let abandoned = false;
    const retired = (async () => {
      await this.draining;
      // Abandoned while it held a batch: it was already told to shut down.
      if (abandoned) return true;
      closing = true;
      try {
        await old?.flush();
        await old?.shutdown();
      } catch (error) {
        this.logger.error('exporter failed to shut down cleanly before its replacement', { error });
      }
      return true;
    })();
    if (!(await Promise.race([retired, giveUp.then(() => false)]))) {
      this.logger.warn('exporter did not finish in time for its replacement: abandoned, with the batch it held');
      abandoned = true;
      this.abandonDrain();
      // Hung in consume: asked to let go of what it holds (a port the new one needs), unawaited.
      if (!closing) void old?.shutdown().catch(() => undefined);
    }
    // Paused meanwhile: what comes while the new exporter starts (binds its port) waits here.
    this.exporter = await create();
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
      this.count(item.signal, -item.batch.length);
      this.telemetry.dropped(item.batch.length, { reason: 'queue_full', signal: 'metrics' });
      this.logger.once('queue-full', 'warn', 'exporter queue is full: dropping the oldest metric points', {
        max_queued_points: this.maxQueuedPoints,
      });
    }
  }

  private count(signal: Signal, items: number): void {
    if (signal === 'metrics') this.queuedPoints += items;
    else this.queuedEvents += items;
  }

  private reportSize(): void {
    this.telemetry.queueSize(this.queuedPoints, 'metrics');
    this.telemetry.queueSize(this.queuedEvents, 'alerts');
  }

  /** The drain loop hangs in the exporter: let it go, and let a new loop start later. */
  private abandonDrain(): void {
    this.generation += 1;
    this.running = false;
    this.draining = Promise.resolve();
  }

  /** Nothing can take what waits: counted (points dropped, events failed) and logged. */
  private abandonPending(reason: string): void {
    const items = this.pending.splice(0);
    if (items.length === 0) return;
    this.queuedPoints = 0;
    this.queuedEvents = 0;
    this.reportSize();
    const points = items.filter((item) => item.signal === 'metrics').reduce((sum, item) => sum + item.batch.length, 0);
    const events = items.filter((item) => item.signal !== 'metrics').reduce((sum, item) => sum + item.batch.length, 0);
    this.telemetry.dropped(points, { reason: 'exporter_gone', signal: 'metrics' });
    this.telemetry.failed(events, { reason: 'exporter_gone', signal: 'alerts' });
    this.logger.error(reason, { points, events });
  }

  private startDrain(): void {
    if (this.running || this.paused || this.exporter === undefined || this.retry !== undefined) return;
    // Set before the call: with a synchronous exporter the loop finishes inside it.
    this.running = true;
    this.draining = this.drain();
  }

  /**
   * One loop hands batches over in order. A synchronous exporter takes them at once, inside
   * push(); an asynchronous one is awaited, and the queue fills meanwhile.
   */
  private async drain(): Promise<void> {
    const generation = this.generation;
    while (!this.paused && this.exporter !== undefined && this.retry === undefined && this.pending.length > 0) {
      const item = this.pending.shift()!;
      this.count(item.signal, -item.batch.length);
      this.reportSize();
      try {
        const accepted = this.exporter.consume(item.batch as never, item.signal as never);
        if (accepted !== undefined) await accepted;
        if (generation !== this.generation) return;
        if (item.signal === 'alerts') this.alertsTaken();
      } catch (error) {
        if (generation !== this.generation) return;
        if (item.signal === 'alerts') {
          this.holdForRetry(item, error);
        } else {
          this.telemetry.failed(item.batch.length, { reason: 'refused', signal: 'metrics' });
          this.logRefusal(item, error);
        }
      }
    }
    this.running = false;
    if (this.paused || this.pending.length > 0) return;
    const waiters = this.idleWaiters;
    this.idleWaiters = [];
    for (const resolve of waiters) resolve();
  }

  /**
   * An exporter that refuses every batch (a backend down) would write a line per batch: one
   * line per REFUSAL_LOG_INTERVAL_MS, saying how many refusals it stands for. Every refused
   * point is counted as failed all the same.
   */
  private logRefusal(item: Pending, error: unknown): void {
    const now = this.scheduler.now();
    if (now - this.lastRefusalLog < REFUSAL_LOG_INTERVAL_MS) {
      this.unloggedRefusals += 1;
      return;
    }
    const unlogged = this.unloggedRefusals;
    this.lastRefusalLog = now;
    this.unloggedRefusals = 0;
    this.logger.error('exporter refused a batch', {
      signal: item.signal,
      points: item.batch.length,
      ...(unlogged > 0 ? { refused_batches_not_logged: unlogged } : {}),
      error,
    });
  }

  private alertsTaken(): void {
    if (this.alertFailures > 0) this.logger.info('exporter took the alerts it had refused', { failures: this.alertFailures });
    this.alertFailures = 0;
  }

  /** Puts a refused alert batch back at the head and tries it again after the backoff. */
  private holdForRetry(item: Pending, error: unknown): void {
    this.pending.unshift(item);
    this.count(item.signal, item.batch.length);
    this.reportSize();
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
}

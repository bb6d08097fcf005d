import type { SchedulerLike, Subscription } from 'rxjs';
import type { Logger } from '../component/logger.js';
import type { AppendLog, ComponentStorage } from '../component/storage.js';
import type { ComponentTelemetry } from '../component/telemetry.js';
import { HealthpipeError } from '../errors.js';
import { retryDelay, retryPolicy, type RetryPolicy } from './retry-policy.js';
import { classifyError, type Verdict } from './verdict.js';
import { DeliveryWindow, type Entry } from './window.js';

export interface DeliveryQueueOptions<T> {
  /** The exporter's storage: its log `namespace` holds what is not yet delivered. */
  readonly storage: ComponentStorage;
  /** The log's namespace in the exporter's storage; one per queue. Default `delivery`. */
  readonly namespace?: string;
  readonly scheduler: SchedulerLike;
  readonly logger: Logger;
  /** Counts `sent` when the destination accepted, `failed` when it refused for good. */
  readonly telemetry: ComponentTelemetry;
  /**
   * Delivers items to the destination; resolving means accepted. Throw a DeliveryFailure
   * (see `checkHttpAnswer`) to say whether a failure is permanent; anything else is retried.
   * Items of several keys may share a call; the items of one key come in their order.
   */
  send(items: readonly T[]): Promise<void>;
  /** The ordering key (an alert's fingerprint); one constant key means one FIFO. */
  keyOf(item: T): string;
  /** Overrides the default verdict (DeliveryFailure's, else retryable). */
  classify?(error: unknown): Verdict;
  readonly retry?: Partial<RetryPolicy>;
  /** Bound of the in-memory part; the rest waits in the store. Defaults: 1,000 items, 8 MiB. */
  readonly memory?: { readonly maxItems?: number; readonly maxBytes?: number };
  /** Items per send at most. Default 100. */
  readonly maxBatch?: number;
  /** Sends under way at once at most (never two of one key). Default 1. */
  readonly concurrency?: number;
  /** For tests: the source of the backoff's randomization. */
  readonly random?: () => number;
}

interface KeyBackoff {
  failures: number;
  retryAt: number;
  timer?: Subscription;
}

/**
 * A durable outbox for one exporter (the collector's exporterhelper, made durable): what
 * `enqueue` accepts is in the store's append log, delivered at least once and in order per
 * key, retried with exponential backoff until the destination accepts it, and removed from
 * the log then. Only a permanent refusal gives an item up, counted and logged. Nothing is
 * dropped for age or at a memory bound. See src/delivery/README.md.
 */
export class DeliveryQueue<T> {
  private readonly window: DeliveryWindow<T>;
  private readonly policy: RetryPolicy;
  private readonly log: AppendLog;
  private readonly backoff = new Map<string, KeyBackoff>();
  private readonly sending = new Set<string>();
  private readonly inFlight = new Set<Promise<void>>();
  private readonly maxBatch: number;
  private readonly concurrency: number;
  private readonly classify: (error: unknown) => Verdict;
  private scheduled: Subscription | undefined;
  private idleWaiters: Array<() => void> = [];
  private closed = false;

  constructor(private readonly options: DeliveryQueueOptions<T>) {
    this.policy = retryPolicy(options.retry);
    this.maxBatch = positive(options.maxBatch ?? 100, 'maxBatch');
    this.concurrency = positive(options.concurrency ?? 1, 'concurrency');
    const maxItems = positive(options.memory?.maxItems ?? 1_000, 'memory.maxItems');
    const maxBytes = positive(options.memory?.maxBytes ?? 8 * 1024 * 1024, 'memory.maxBytes');
    this.classify = options.classify ?? classifyError;
    this.log = options.storage.log(options.namespace ?? 'delivery');
    this.window = new DeliveryWindow(this.log, (item) => options.keyOf(item), { maxItems, maxBytes });
    // Whatever the log holds from before a restart goes out first, in its order.
    this.schedulePump();
  }

  /**
   * Appends items to the log, as JSON (so what is sent after a restart is what is sent
   * now). Durable when it returns; inside `storage.transaction` it commits with the
   * transaction instead, and a rollback takes it back. Sending starts afterwards, never
   * inside the caller's transaction. After shutdown the items wait in the store for the
   * next start.
   */
  enqueue(items: readonly T[]): void {
    if (items.length === 0) return;
    this.log.append(items, this.options.scheduler.now());
    this.window.appended();
    this.schedulePump();
  }

  /** Items not yet delivered, in the store (memory holds a part of them). */
  pending(): number {
    return this.log.size();
  }

  /** What the in-memory part holds now: items, and their stored JSON length. */
  get memory(): { readonly items: number; readonly bytes: number } {
    return { items: this.window.size, bytes: this.window.memoryBytes };
  }

  /**
   * Resolves once nothing can be sent right now: everything delivered, or what remains
   * waits for a retry. It does not wait out a destination that is down.
   */
  flush(): Promise<void> {
    this.pump();
    if (this.isIdle()) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  /**
   * Stops retrying and starting sends, lets the sends under way finish (and their items
   * leave the log when accepted), and leaves everything else in the store for the next start.
   */
  async shutdown(): Promise<void> {
    this.closed = true;
    this.scheduled?.unsubscribe();
    for (const state of this.backoff.values()) state.timer?.unsubscribe();
    await Promise.all(this.inFlight);
    this.wakeIdle();
  }

  private schedulePump(): void {
    if (this.closed || this.scheduled !== undefined) return;
    // Never inside the caller's stack: an enqueue inside a transaction has not committed yet.
    this.scheduled = this.options.scheduler.schedule(() => {
      this.scheduled = undefined;
      this.pump();
    });
  }

  private pump(): void {
    if (this.closed) return;
    this.window.fill();
    while (this.inFlight.size < this.concurrency) {
      const batch = this.nextBatch();
      if (batch.length === 0) break;
      this.start(batch);
    }
    if (this.isIdle()) this.wakeIdle();
  }

  /**
   * The oldest items of keys that are neither being sent nor waiting for a retry. A key that
   * has failed goes alone: a batch fails as a whole, and one poisoned key must not hold the
   * others back with it.
   */
  private nextBatch(): Array<Entry<T>> {
    const now = this.options.scheduler.now();
    const batch: Array<Entry<T>> = [];
    for (const key of this.window.keys()) {
      if (batch.length >= this.maxBatch) break;
      const state = this.backoff.get(key);
      if (this.sending.has(key) || (state?.retryAt ?? 0) > now) continue;
      if (state !== undefined && state.failures > 0) {
        if (batch.length > 0) continue;
        return [...this.window.front(key, this.maxBatch)];
      }
      batch.push(...this.window.front(key, this.maxBatch - batch.length));
    }
    return batch;
  }

  private start(batch: Array<Entry<T>>): void {
    const keys = new Set(batch.map((entry) => entry.key));
    for (const key of keys) this.sending.add(key);
    const attempt = new Promise<void>((resolve) => resolve(this.options.send(batch.map((entry) => entry.value))));
    const settled: Promise<void> = attempt
      .then(
        () => this.accepted(batch, keys),
        (error: unknown) => this.refused(batch, keys, error),
      )
      // The store failed to record the outcome: the items stay in the log and in memory and
      // go out again (a duplicate, never a loss).
      .catch((error: unknown) => this.options.logger.error('delivery outcome could not be stored', { error }))
      .finally(() => {
      this.inFlight.delete(settled);
      for (const key of keys) this.sending.delete(key);
      this.pump();
      if (this.closed && this.inFlight.size === 0) this.wakeIdle();
    });
    this.inFlight.add(settled);
  }

  private accepted(batch: Array<Entry<T>>, keys: ReadonlySet<string>): void {
    this.forget(batch);
    for (const key of keys) {
      const state = this.backoff.get(key);
      if (state !== undefined && state.failures > 0) {
        this.options.logger.info('delivery recovered', { key, failures: state.failures });
      }
      this.backoff.delete(key);
    }
    this.options.telemetry.sent(batch.length);
  }

  private refused(batch: Array<Entry<T>>, keys: ReadonlySet<string>, error: unknown): void {
    const verdict = this.classify(error);
    if (!verdict.retryable) {
      this.forget(batch);
      for (const key of keys) this.backoff.delete(key);
      this.options.telemetry.failed(batch.length);
      this.options.logger.error('destination refused items for good: dropped', { items: batch.length, reason: verdict.reason });
      return;
    }
    for (const key of keys) {
      const state = this.backoff.get(key) ?? { failures: 0, retryAt: 0 };
      state.failures += 1;
      const delay = retryDelay(this.policy, state.failures, verdict.retryAfter, this.options.random);
      state.retryAt = this.options.scheduler.now() + delay;
      state.timer?.unsubscribe();
      if (!this.closed) state.timer = this.options.scheduler.schedule(() => this.pump(), delay);
      this.backoff.set(key, state);
      const level = state.failures === 1 ? 'warn' : 'debug';
      this.options.logger[level]('delivery failed; retrying', { key, failures: state.failures, retry_in_ms: delay, reason: verdict.reason });
    }
  }

  /** Removes delivered or given-up items from the log, then from memory. */
  private forget(batch: Array<Entry<T>>): void {
    this.log.remove(batch.map((entry) => entry.seq));
    const counts = new Map<string, number>();
    for (const entry of batch) counts.set(entry.key, (counts.get(entry.key) ?? 0) + 1);
    for (const [key, count] of counts) this.window.release(key, count);
  }

  private isIdle(): boolean {
    return this.inFlight.size === 0 && (this.closed || this.nextBatch().length === 0);
  }

  private wakeIdle(): void {
    const waiters = this.idleWaiters;
    this.idleWaiters = [];
    for (const resolve of waiters) resolve();
  }
}

function positive(value: number, option: string): number {
  if (!Number.isInteger(value) || value < 1) {
    throw new HealthpipeError('COMPONENT_CREATE', `delivery queue: ${option} must be a whole number of at least 1, not ${value}`);
  }
  return value;
}

import type { SchedulerLike, Subscription } from 'rxjs';
import type { Logger } from '../component/logger.js';
import type { AppendLog, ComponentStorage } from '../component/storage.js';
import type { ComponentTelemetry } from '../component/telemetry.js';
import type { StatusReporter } from '../component/status.js';
import { HealthpipeError } from '../errors.js';
import { retryDelay, retryPolicy, type RetryPolicy } from './retry-policy.js';
import { StoreLedger, type StoreBound } from './store-bound.js';
import { classifyError, type Verdict } from './verdict.js';
import { DeliveryWindow, type Entry } from './window.js';

/**
 * What a send may resolve with: the destination took the request but refused part of what it
 * carried (OTLP's partial success). That part is counted `failed` with `reason`, the rest `sent`.
 */
export interface DeliveryReceipt {
  /** Weight refused (points, with `weightOf`); at most the batch's. */
  readonly rejected: number;
  readonly reason: string;
}

export interface DeliveryQueueOptions<T> {
  /** The exporter's storage: its log `namespace` holds what is not yet delivered. Not needed with `log`. */
  readonly storage?: ComponentStorage;
  /** The log's namespace in the exporter's storage; one per queue. Default `delivery`. */
  readonly namespace?: string;
  /** The log itself, instead of `storage` + `namespace`: a `MemoryAppendLog` for a queue that need not survive a restart. */
  readonly log?: AppendLog;
  readonly scheduler: SchedulerLike;
  readonly logger: Logger;
  /** Counts `sent` when the destination accepted, `failed` when it refused for good. */
  readonly telemetry: ComponentTelemetry;
  /**
   * Delivers items to the destination; resolving means accepted. Throw a DeliveryFailure
   * (see `checkHttpAnswer`) to say whether a failure is permanent; anything else is retried.
   * Items of several keys may share a call; the items of one key come in their order.
   */
  send(items: readonly T[]): Promise<void | DeliveryReceipt>;
  /** The ordering key (an alert's fingerprint); one constant key means one FIFO. */
  keyOf(item: T): string;
  /** Overrides the default verdict (DeliveryFailure's, else retryable). */
  classify?(error: unknown): Verdict;
  readonly retry?: Partial<RetryPolicy>;
  /** Bound of the in-memory part; the rest waits in the store. Defaults: 1,000 items, 8 MiB. */
  readonly memory?: { readonly maxItems?: number; readonly maxBytes?: number };
  /** Items per send at most. Default 100. */
  readonly maxBatch?: number;
  /** Stored size (JSON length) per send at most; one larger item still goes alone. Default: no limit. */
  readonly maxBatchBytes?: number;
  /**
   * Wait after an enqueue into an idle queue before sending, in ms, so the batches of a short
   * while leave in one send; a full send (`maxBatch`, `maxBatchBytes`) leaves at once, as does
   * everything on `flush`. Default 0.
   */
  readonly linger?: number;
  /** An item's weight, what `sent`, `failed` and `dropped` count (an OTLP request's points). Default 1. */
  readonly weightOf?: (item: T) => number;
  /** Bound of what the queue keeps, memory and store together; the oldest go first. Default: none (alerts). */
  readonly bound?: StoreBound<T>;
  /** The `reason` a permanent refusal is counted `failed` with (`permanent`). Default: none, as the alert sinks count it. */
  readonly failedReason?: string;
  /** Reports the weight the queue holds as `queueSize(weight, queueName)` whenever it changes. */
  readonly queueName?: string;
  /** Sends under way at once at most (never two of one key). Default 1. */
  readonly concurrency?: number;
  /** For tests: the source of the backoff's randomization. */
  readonly random?: () => number;
  /**
   * The exporter's `context.status`: `degraded` (with why) after a failed send, `recovered`
   * after a successful one, so `/healthz` shows a destination that refuses.
   */
  readonly status?: StatusReporter;
}

/** A failure reason shown as a component's status: one line, this long at most (a body may follow the status). */
const MAX_STATUS_REASON_LENGTH = 200;

interface KeyBackoff {
  failures: number;
  retryAt: number;
  timer?: Subscription;
}

/**
 * A durable outbox for one exporter (the collector's exporterhelper, made durable): what
 * `enqueue` accepts is in the store's append log, delivered at least once and in order per
 * key, retried with exponential backoff until the destination accepts it, and removed from
 * the log then. Only a permanent refusal, or a `bound` (metric points), gives an item up,
 * counted and logged. Nothing is dropped for age or at a memory bound. See src/delivery/README.md.
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
  private readonly weightOf: (item: T) => number;
  private readonly maxBatchBytes: number;
  private readonly linger: number;
  /** Weight and size of everything in the log; kept only for a bound or a reported size. */
  private readonly ledger: StoreLedger<T> | undefined;
  private readonly limits: { readonly maxWeight: number; readonly maxBytes: number };
  /** Sequence numbers of the items in sends under way: a bound dooms them rather than drop them under their send. */
  private readonly inFlightSeqs = new Set<number>();
  /** Whether this episode of drops at the bound has been logged. */
  private droppingLogged = false;
  private scheduled: Subscription | undefined;
  /** When the scheduled pump runs: a lingering one is brought forward when a send fills up. */
  private scheduledFor = 0;
  private idleWaiters: Array<() => void> = [];
  private closed = false;
  /** What the queue last told its status: the reason it is degraded, or none. */
  private degradedReason: string | undefined;

  constructor(private readonly options: DeliveryQueueOptions<T>) {
    this.policy = retryPolicy(options.retry);
    this.maxBatch = positive(options.maxBatch ?? 100, 'maxBatch');
    this.concurrency = positive(options.concurrency ?? 1, 'concurrency');
    const maxItems = positive(options.memory?.maxItems ?? 1_000, 'memory.maxItems');
    const maxBytes = positive(options.memory?.maxBytes ?? 8 * 1024 * 1024, 'memory.maxBytes');
    this.classify = options.classify ?? classifyError;
    this.weightOf = options.weightOf ?? (() => 1);
    this.maxBatchBytes = options.maxBatchBytes === undefined ? Infinity : positive(options.maxBatchBytes, 'maxBatchBytes');
    this.linger = options.linger ?? 0;
    if (!(this.linger >= 0)) throw new HealthpipeError('COMPONENT_CREATE', `delivery queue: linger must not be negative, not ${this.linger}`);
    this.log = logOf(options);
    this.window = new DeliveryWindow(this.log, (item) => options.keyOf(item), { maxItems, maxBytes });
    const bound = options.bound;
    this.limits = {
      maxWeight: bound?.maxWeight === undefined ? Infinity : positive(bound.maxWeight, 'bound.maxWeight'),
      maxBytes: bound?.maxBytes === undefined ? Infinity : positive(bound.maxBytes, 'bound.maxBytes'),
    };
    if (bound !== undefined || options.queueName !== undefined) {
      this.ledger = new StoreLedger(this.weightOf, bound?.sizeOf ?? ((item) => JSON.stringify(item).length));
      this.ledger.load(this.log);
      this.enforceBound();
      this.reportSize();
    }
    // Whatever the log holds from before a restart goes out first, in its order.
    if (this.log.size() > 0) this.schedulePump();
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
    const seqs = this.log.append(items, this.options.scheduler.now());
    this.window.appended();
    if (this.ledger !== undefined) {
      this.ledger.appended(seqs, items);
      this.enforceBound();
      this.reportSize();
    }
    this.schedulePump(this.sendIsFull() ? 0 : this.linger);
  }

  /** The weight the queue holds (points, with `weightOf`); undefined without a bound or `queueName`. */
  heldWeight(): number | undefined {
    return this.ledger?.weight;
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

  private schedulePump(delay = 0): void {
    if (this.closed) return;
    const at = this.options.scheduler.now() + delay;
    if (this.scheduled !== undefined) {
      if (this.scheduledFor <= at) return;
      this.scheduled.unsubscribe();
    }
    this.scheduledFor = at;
    // Never inside the caller's stack: an enqueue inside a transaction has not committed yet.
    this.scheduled = this.options.scheduler.schedule(() => {
      this.scheduled = undefined;
      this.pump();
    }, delay);
  }

  /** Whether what waits makes a whole send, so lingering would gain nothing. */
  private sendIsFull(): boolean {
    if (this.linger === 0) return true;
    // The ledger counts without a query (a count over the store's log is a scan).
    if (this.ledger !== undefined) return this.ledger.count >= this.maxBatch || this.ledger.bytes >= this.maxBatchBytes;
    return this.log.size() >= this.maxBatch;
  }

  /**
   * Brings the queue back under its bound, oldest first: items being sent are doomed (they
   * leave when their send ends: delivered if it succeeds, dropped if it fails), the others
   * are dropped now. Drops are counted `dropped` (`queue_full`) in their weight; the episode
   * is logged once: a queue that drains empty logs the next one again.
   */
  private enforceBound(): void {
    const ledger = this.ledger;
    if (ledger === undefined) return;
    const { dropped, weight, doomed } = ledger.overflow(this.limits, (seq) => this.inFlightSeqs.has(seq));
    if (dropped.length > 0) {
      this.log.remove(dropped);
      this.window.drop(new Set(dropped));
      this.options.telemetry.dropped(weight, { reason: 'queue_full' });
    }
    if (dropped.length > 0 || doomed.length > 0) this.logDropping(weight);
  }

  private logDropping(weight: number): void {
    if (this.droppingLogged) return;
    this.droppingLogged = true;
    this.options.logger.warn('delivery queue full: dropping the oldest (counted as dropped, reason queue_full; logged once until the queue drains)', {
      dropped: weight,
      max_weight: this.limits.maxWeight,
      max_bytes: this.limits.maxBytes,
    });
  }

  /**
   * After a retryable failure: the batch's items doomed at the bound while it was under way
   * are dropped (counted `queue_full`), not retried; the rest wait for the retry.
   */
  private dropDoomed(batch: readonly Entry<T>[]): void {
    const ledger = this.ledger;
    if (ledger === undefined) return;
    const doomed = batch.filter((entry) => ledger.isDoomed(entry.seq));
    if (doomed.length === 0) return;
    const seqs = doomed.map((entry) => entry.seq);
    this.log.remove(seqs);
    ledger.removed(seqs);
    this.window.drop(new Set(seqs));
    this.options.telemetry.dropped(this.weightOfBatch(doomed), { reason: 'queue_full' });
    if (ledger.empty) this.droppingLogged = false;
    this.reportSize();
  }

  private reportSize(): void {
    if (this.options.queueName !== undefined && this.ledger !== undefined) {
      this.options.telemetry.queueSize(this.ledger.weight, this.options.queueName);
    }
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
    let bytes = 0;
    for (const key of this.window.keys()) {
      if (batch.length >= this.maxBatch || bytes >= this.maxBatchBytes) break;
      const state = this.backoff.get(key);
      if (this.sending.has(key) || (state?.retryAt ?? 0) > now) continue;
      if (state !== undefined && state.failures > 0) {
        if (batch.length > 0) continue;
        return this.withinBytes(this.window.front(key, this.maxBatch), 0);
      }
      const taken = this.withinBytes(this.window.front(key, this.maxBatch - batch.length), bytes);
      for (const entry of taken) bytes += entry.size;
      batch.push(...taken);
      // The key's next item did not fit: the send is full.
      if (taken.length === 0) break;
    }
    return batch;
  }

  /** The leading entries that fit in `maxBatchBytes` after `used` bytes; one larger entry still goes alone. */
  private withinBytes(entries: readonly Entry<T>[], used: number): Array<Entry<T>> {
    const taken: Array<Entry<T>> = [];
    let bytes = used;
    for (const entry of entries) {
      if (bytes + entry.size > this.maxBatchBytes && (bytes > 0 || taken.length > 0)) break;
      taken.push(entry);
      bytes += entry.size;
    }
    return taken;
  }

  private start(batch: Array<Entry<T>>): void {
    const keys = new Set(batch.map((entry) => entry.key));
    for (const key of keys) this.sending.add(key);
    for (const entry of batch) this.inFlightSeqs.add(entry.seq);
    const attempt = new Promise<void | DeliveryReceipt>((resolve) => resolve(this.options.send(batch.map((entry) => entry.value))));
    const settled: Promise<void> = attempt
      .then(
        (receipt) => this.accepted(batch, keys, receipt),
        (error: unknown) => this.refused(batch, keys, error),
      )
      // The store failed to record the outcome: the items stay in the log and in memory and
      // go out again (a duplicate, never a loss).
      .catch((error: unknown) => this.options.logger.error('delivery outcome could not be stored', { error }))
      .finally(() => {
      this.inFlight.delete(settled);
      for (const key of keys) this.sending.delete(key);
      for (const entry of batch) this.inFlightSeqs.delete(entry.seq);
      this.pump();
      if (this.closed && this.inFlight.size === 0) this.wakeIdle();
    });
    this.inFlight.add(settled);
  }

  private accepted(batch: Array<Entry<T>>, keys: ReadonlySet<string>, receipt: void | DeliveryReceipt): void {
    this.forget(batch);
    if (this.degradedReason !== undefined) {
      this.degradedReason = undefined;
      this.options.status?.recovered();
    }
    for (const key of keys) {
      const state = this.backoff.get(key);
      if (state !== undefined && state.failures > 0) {
        this.options.logger.info('delivery recovered', { key, failures: state.failures });
      }
      this.backoff.delete(key);
    }
    const weight = this.weightOfBatch(batch);
    const rejected = receipt === undefined ? 0 : Math.min(weight, Math.max(0, receipt.rejected));
    if (rejected > 0) this.options.telemetry.failed(rejected, { reason: receipt!.reason });
    this.options.telemetry.sent(weight - rejected);
  }

  private weightOfBatch(batch: readonly Entry<T>[]): number {
    let weight = 0;
    for (const entry of batch) weight += this.weightOf(entry.value);
    return weight;
  }

  private refused(batch: Array<Entry<T>>, keys: ReadonlySet<string>, error: unknown): void {
    const verdict = this.classify(error);
    this.degraded(verdict);
    if (!verdict.retryable) {
      this.forget(batch);
      for (const key of keys) this.backoff.delete(key);
      const weight = this.weightOfBatch(batch);
      const reason = this.options.failedReason;
      if (reason === undefined) this.options.telemetry.failed(weight);
      else this.options.telemetry.failed(weight, { reason });
      this.options.logger.error('destination refused items for good: dropped', { items: batch.length, weight, reason: verdict.reason });
      return;
    }
    this.dropDoomed(batch);
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

  /**
   * Says the destination fails, once per reason (not once per retry). Secrets are the
   * runtime's to blank out (it knows the configuration's); the reason is bounded here.
   */
  private degraded(verdict: Verdict): void {
    const line = (verdict.reason.split('\n')[0] ?? '').trim();
    const reason = line.length <= MAX_STATUS_REASON_LENGTH ? line : `${line.slice(0, MAX_STATUS_REASON_LENGTH - 1)}…`;
    const message = verdict.retryable ? `delivery failed, retrying: ${reason}` : `delivery refused for good: ${reason}`;
    if (message === this.degradedReason) return;
    this.degradedReason = message;
    this.options.status?.degraded(message);
  }

  /** Removes delivered or given-up items from the log, then from memory. */
  private forget(batch: Array<Entry<T>>): void {
    const seqs = batch.map((entry) => entry.seq);
    this.log.remove(seqs);
    if (this.ledger !== undefined) {
      this.ledger.removed(seqs);
      if (this.ledger.empty) this.droppingLogged = false;
      this.reportSize();
    }
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

function logOf<T>(options: DeliveryQueueOptions<T>): AppendLog {
  if (options.log !== undefined) return options.log;
  if (options.storage === undefined) throw new HealthpipeError('COMPONENT_CREATE', 'delivery queue: give it a storage or a log');
  return options.storage.log(options.namespace ?? 'delivery');
}

function positive(value: number, option: string): number {
  if (!Number.isInteger(value) || value < 1) {
    throw new HealthpipeError('COMPONENT_CREATE', `delivery queue: ${option} must be a whole number of at least 1, not ${value}`);
  }
  return value;
}

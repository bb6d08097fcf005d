import { asyncScheduler, type OperatorFunction, type SchedulerLike, type Subscriber } from 'rxjs';
import { SubscriberTimer, statefulOperator, type MetricBatch, type MetricPoint, type OperatorState } from '../../src/index.js';

export interface BatchPointsOptions {
  /** A batch leaves once this many points are held. */
  readonly sendBatchSize: number;
  /** Largest batch sent; 0: no limit. */
  readonly sendBatchMaxSize: number;
  /** Milliseconds a batch waits for more points after its first; 0: batches are only split. */
  readonly timeout: number;
  readonly scheduler?: SchedulerLike;
}

function checkOptions(options: BatchPointsOptions): void {
  if (!(Number.isInteger(options.sendBatchSize) && options.sendBatchSize > 0)) {
    throw new RangeError(`batch: send_batch_size must be a positive integer, got ${options.sendBatchSize}`);
  }
  const max = options.sendBatchMaxSize;
  if (!(Number.isInteger(max) && (max === 0 || max >= options.sendBatchSize))) {
    throw new RangeError(`batch: send_batch_max_size must be 0 or at least send_batch_size, got ${max}`);
  }
  if (!(Number.isFinite(options.timeout) && options.timeout >= 0)) {
    throw new RangeError(`batch: timeout must be zero or more ms, got ${options.timeout}`);
  }
}

class BatchState implements OperatorState<MetricBatch> {
  private held: MetricPoint[] = [];
  private readonly timer: SubscriberTimer;
  private readonly maxSize: number;

  constructor(
    private readonly options: BatchPointsOptions,
    private readonly scheduler: SchedulerLike,
    private readonly subscriber: Subscriber<MetricBatch>,
  ) {
    this.maxSize = options.sendBatchMaxSize === 0 ? Infinity : options.sendBatchMaxSize;
    this.timer = new SubscriberTimer(scheduler, subscriber, () => this.send(0));
  }

  add(batch: MetricBatch): void {
    if (batch.length === 0) return;
    if (this.options.timeout === 0) {
      this.sendSplit(batch);
      return;
    }
    const held = this.held;
    if (held.length === 0 && batch.length >= this.options.sendBatchSize && batch.length <= this.maxSize) {
      // Full already and not too large: it leaves as it came, without a copy.
      this.subscriber.next(batch);
      return;
    }
    for (let i = 0; i < batch.length; i++) held.push(batch[i]!);
    if (held.length >= this.options.sendBatchSize) this.send(this.options.sendBatchSize);
    // The timeout runs from the first point of a batch: a point never waits longer.
    if (this.held.length > 0 && !this.timer.pending) this.timer.set(this.scheduler.now() + this.options.timeout);
  }

  flush(): void {
    this.send(0);
  }

  /** Sends held points in batches of at most the maximum while at least `atLeast` are held. */
  private send(atLeast: number): void {
    let start = 0;
    const held = this.held;
    while (held.length - start > 0 && held.length - start >= atLeast) {
      const end = Math.min(held.length, start + this.maxSize);
      this.subscriber.next(start === 0 && end === held.length ? held : held.slice(start, end));
      start = end;
    }
    if (start === 0) return;
    this.held = start === held.length ? [] : held.slice(start);
    if (this.held.length === 0) this.timer.cancel();
  }

  private sendSplit(batch: MetricBatch): void {
    if (batch.length <= this.maxSize) {
      this.subscriber.next(batch);
      return;
    }
    for (let start = 0; start < batch.length; start += this.maxSize) this.subscriber.next(batch.slice(start, start + this.maxSize));
  }

  dispose(): void {
    this.timer.cancel();
    this.held = [];
  }
}

/**
 * Gathers points into batches: one leaves when `sendBatchSize` points are held, or `timeout`
 * after its first point came, or when the source completes; none is larger than
 * `sendBatchMaxSize`. Order is kept and nothing is dropped.
 */
export function batchPoints(options: BatchPointsOptions): OperatorFunction<MetricBatch, MetricBatch> {
  checkOptions(options);
  const scheduler = options.scheduler ?? asyncScheduler;
  return statefulOperator<MetricBatch, MetricBatch, BatchState>((subscriber) => new BatchState(options, scheduler, subscriber));
}

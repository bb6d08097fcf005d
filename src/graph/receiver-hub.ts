import { Subject, retry, tap, timer, type Observable, type SchedulerLike, type Subscription } from 'rxjs';
import type { Logger } from '../component/logger.js';
import type { MetricBatch } from '../model/point.js';

const RESTART_DELAY_MS = 1_000;
const MAX_RESTART_DELAY_MS = 60_000;

/** Where a hub says how its receiver is doing (the component-status facet). */
export interface ReceiverStatus {
  running(): void;
  failed(error: unknown): void;
  restarted(): void;
}

const UNWATCHED: ReceiverStatus = { running: () => undefined, failed: () => undefined, restarted: () => undefined };

/**
 * One receiver instance, shared by every pipeline that names it. Pipelines subscribe to the
 * hub, not to the receiver, so a reload can swap the receiver behind a stable hub and leave
 * the pipelines (and their window state) running. A receiver that errors is reported and
 * restarted with backoff; it never ends the pipelines.
 */
export class ReceiverHub {
  private readonly subject = new Subject<MetricBatch>();
  private source: Subscription | undefined;
  private closed = false;
  fingerprint = '';

  constructor(
    readonly id: string,
    private readonly logger: Logger,
    private readonly scheduler: SchedulerLike,
    private readonly status: ReceiverStatus = UNWATCHED,
  ) {}

  get batches$(): Observable<MetricBatch> {
    return this.subject.asObservable();
  }

  /** Starts (or replaces) the receiver that feeds this hub; a closed hub starts nothing. */
  attach(receiver$: Observable<MetricBatch>, fingerprint: string): void {
    this.detach();
    // A reload cut short by a stop may finish after the stop closed the hub.
    if (this.closed) return;
    this.fingerprint = fingerprint;
    // Before subscribing: a receiver that fails at once is failed, not running.
    this.status.running();
    this.source = receiver$
      .pipe(
        retry({
          resetOnSuccess: true,
          delay: (error: unknown, attempt: number) => {
            const wait = Math.min(RESTART_DELAY_MS * 2 ** (attempt - 1), MAX_RESTART_DELAY_MS);
            this.logger.error('receiver failed; restarting', { error, restart_in_ms: wait });
            this.status.failed(error);
            return timer(wait, this.scheduler).pipe(tap(() => this.status.restarted()));
          },
        }),
      )
      .subscribe({
        next: (batch) => {
          if (batch.length > 0) this.subject.next(batch);
        },
        complete: () => this.logger.debug('receiver completed'),
      });
  }

  /** Stops the receiver; pipelines stay subscribed to the hub. */
  detach(): void {
    this.source?.unsubscribe();
    this.source = undefined;
  }

  /** Stops the receiver and completes the hub, so pipelines flush and complete. */
  close(): void {
    this.closed = true;
    this.detach();
    this.subject.complete();
  }
}

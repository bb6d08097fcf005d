import type { SchedulerLike, Subscription } from 'rxjs';
import type { EncodedRequest, OtlpEncoder } from './encode/index.js';

/**
 * Joins the requests of batches consumed in one turn of the event loop into one queue item:
 * a receiver's collection often arrives as many small batches (one per target), and one
 * item each would cost a store write each with `disk_queue` (about 0.4 ms) and a ledger
 * entry each. What is held here waits one scheduler turn at most, or less: it goes as soon
 * as it reaches `limits`, and on `commit` (flush, shutdown). The limits keep one item a
 * small part of the queue's bound, so the bound still drops the oldest, not everything.
 */
export class RequestCoalescer {
  private waiting: EncodedRequest[] = [];
  private bytes = 0;
  private points = 0;
  private scheduled: Subscription | undefined;

  constructor(
    private readonly encoder: OtlpEncoder,
    private readonly scheduler: SchedulerLike,
    private readonly limits: { readonly maxBytes: number; readonly maxPoints: number },
    private readonly deliver: (request: EncodedRequest) => void,
  ) {}

  add(request: EncodedRequest): void {
    this.waiting.push(request);
    this.bytes += request.body.length;
    this.points += request.points;
    if (this.bytes >= this.limits.maxBytes || this.points >= this.limits.maxPoints) this.commit();
    else this.scheduled ??= this.scheduler.schedule(() => this.commit());
  }

  /** Hands what waits to `deliver` now, as one request. */
  commit(): void {
    this.scheduled?.unsubscribe();
    this.scheduled = undefined;
    if (this.waiting.length === 0) return;
    const requests = this.waiting;
    this.waiting = [];
    this.bytes = 0;
    this.points = 0;
    this.deliver(requests.length === 1 ? requests[0]! : this.encoder.concat(requests));
  }
}

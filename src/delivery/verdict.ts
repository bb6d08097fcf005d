/**
 * What a failed send means for the items in it: try again (after at least `retryAfter` ms
 * when the destination said so), or give them up because the destination will never take
 * them (a 4xx other than 408 and 429).
 */
export type Verdict =
  | { readonly retryable: true; readonly retryAfter?: number; readonly reason: string }
  | { readonly retryable: false; readonly reason: string };

/**
 * The error a `send` throws to say how it failed. Anything else it throws or rejects with
 * (a network error, a timeout, a bug) is retryable: an alert is never given up on a guess.
 */
export class DeliveryFailure extends Error {
  override readonly name = 'DeliveryFailure';

  constructor(readonly verdict: Verdict) {
    super(verdict.reason);
  }
}

export function permanent(reason: string): DeliveryFailure {
  return new DeliveryFailure({ retryable: false, reason });
}

export function retryable(reason: string, retryAfter?: number): DeliveryFailure {
  return new DeliveryFailure(retryAfter === undefined ? { retryable: true, reason } : { retryable: true, retryAfter, reason });
}

/** The default classifier: a DeliveryFailure says what it is; everything else is retried. */
export function classifyError(error: unknown): Verdict {
  if (error instanceof DeliveryFailure) return error.verdict;
  const reason = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  return { retryable: true, reason };
}

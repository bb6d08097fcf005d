import { HealthpipeError } from '../errors.js';

/**
 * Exponential backoff in the collector's manner (exporterhelper's `retry_on_failure`), with
 * no maximum elapsed time: what must not be lost is retried until it is delivered.
 */
export interface RetryPolicy {
  /** Wait after the first failure, in ms. */
  readonly initialInterval: number;
  /** Upper bound of the wait between two attempts, in ms. */
  readonly maxInterval: number;
  /** Factor applied to the wait after each further failure. */
  readonly multiplier: number;
  /** 0.5 spreads each wait over ±50 %, so many failing keys do not retry in lockstep. */
  readonly randomization: number;
  /** Longest wait a server's Retry-After may impose, in ms: a hostile header cannot park alerts for days. */
  readonly maxRetryAfter: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  initialInterval: 100,
  maxInterval: 5_000,
  multiplier: 1.5,
  randomization: 0.5,
  maxRetryAfter: 300_000,
};

/** Fills in the defaults and rejects a policy that would spin or never retry, naming the option. */
export function retryPolicy(options: Partial<RetryPolicy> = {}): RetryPolicy {
  const policy = { ...DEFAULT_RETRY_POLICY, ...options };
  const problems: string[] = [];
  if (!(policy.initialInterval > 0)) problems.push('retry.initialInterval must be above 0 ms');
  if (!(policy.maxInterval >= policy.initialInterval)) problems.push('retry.maxInterval must be at least retry.initialInterval');
  if (!(policy.multiplier >= 1)) problems.push('retry.multiplier must be at least 1');
  if (!(policy.randomization >= 0 && policy.randomization < 1)) problems.push('retry.randomization must be in [0, 1)');
  if (!(policy.maxRetryAfter >= 0)) problems.push('retry.maxRetryAfter must not be negative');
  if (problems.length > 0) throw new HealthpipeError('COMPONENT_CREATE', `delivery queue: ${problems.join('; ')}`);
  return policy;
}

/**
 * The wait before attempt `failures + 1`, after `failures` (≥ 1) failures in a row; a
 * server's Retry-After, when given, is a floor.
 */
export function retryDelay(policy: RetryPolicy, failures: number, retryAfter?: number, random: () => number = Math.random): number {
  const base = Math.min(policy.initialInterval * policy.multiplier ** Math.max(0, failures - 1), policy.maxInterval);
  const spread = base * policy.randomization * (2 * random() - 1);
  const backoff = Math.min(Math.max(1, Math.round(base + spread)), policy.maxInterval);
  if (retryAfter === undefined) return backoff;
  return Math.max(backoff, Math.min(retryAfter, policy.maxRetryAfter));
}

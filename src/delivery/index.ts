export { DeliveryQueue } from './delivery-queue.js';
export type { DeliveryQueueOptions } from './delivery-queue.js';
export { DEFAULT_RETRY_POLICY, retryDelay, retryPolicy } from './retry-policy.js';
export type { RetryPolicy } from './retry-policy.js';
export { DeliveryFailure, classifyError, permanent, retryable } from './verdict.js';
export type { Verdict } from './verdict.js';
export { checkHttpAnswer, httpVerdict, parseRetryAfter } from './http.js';
export type { HttpAnswer } from './http.js';

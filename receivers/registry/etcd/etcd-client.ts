import { circuitBreaker, ConsecutiveBreaker, ExponentialBackoff, handleWhen, type IBackoff } from 'cockatiel';
import { Etcd3, isRecoverableError } from 'etcd3';
import type { EtcdSourceConfig } from './config.js';

/** The first wait after a failure; it grows up to `max_retry_delay`. */
export const FIRST_RETRY_MS = 100;

/** How often gRPC pings a quiet connection, so a vanished etcd (no reset, no FIN) is noticed: above etcd's 5 s minimum. */
const KEEPALIVE_MS = 10_000;

/** Failures in a row after which calls skip an endpoint for a while (the client's default). */
const FAILURES_TO_SKIP = 3;

/**
 * The gRPC client of one source. Unary calls (the prefix read, the token exchange) must
 * finish within the dial timeout; the watch stream lives on. After failures the client
 * skips an endpoint, and re-creates a broken watch, within `max_retry_delay` rather than
 * its defaults (5 s and up to 30 s), so an etcd back up is followed again that soon.
 */
export function etcdClient(config: EtcdSourceConfig): Etcd3 {
  const { username, password, max_retry_delay } = config;
  return new Etcd3({
    hosts: config.endpoints,
    ...(username !== undefined && password !== undefined ? { auth: { username, password } } : {}),
    // A gRPC deadline is a wall-clock instant of real I/O, not the scheduler's time.
    defaultCallOptions: (call) => (call.isStream ? {} : { deadline: Date.now() + config.dial_timeout }),
    grpcOptions: { 'grpc.keepalive_time_ms': KEEPALIVE_MS, 'grpc.keepalive_timeout_ms': config.dial_timeout },
    faultHandling: {
      host: () =>
        circuitBreaker(handleWhen(isRecoverableError), {
          halfOpenAfter: max_retry_delay,
          breaker: new ConsecutiveBreaker(FAILURES_TO_SKIP),
        }),
      // Typed as a backoff, used as a factory (its default is this very class): next() gives the first wait.
      watchBackoff: new ExponentialBackoff({ initialDelay: FIRST_RETRY_MS, maxDelay: max_retry_delay }) as unknown as IBackoff<unknown>,
    },
  });
}

import { connect } from 'node:net';
import { performance } from 'node:perf_hooks';
import type { Check, CheckErrorType, CheckResult } from '../check-result.js';
import type { TcpCheckConfig } from '../config.js';

/**
 * Socket error codes by what they mean for a check; anything else is `network`, including
 * the kernel's own connect timeout (ETIMEDOUT): `timeout` means the check's timeout cut it.
 */
const ERROR_TYPES: Readonly<Record<string, CheckErrorType>> = {
  ECONNREFUSED: 'connection_refused',
  ECONNRESET: 'connection_reset',
  EPIPE: 'connection_reset',
  ENOTFOUND: 'dns',
  EAI_AGAIN: 'dns',
  EAI_FAIL: 'dns',
  EAI_NONAME: 'dns',
};

const MESSAGES: Readonly<Partial<Record<CheckErrorType, string>>> = {
  connection_refused: 'connection refused',
  connection_reset: 'connection reset',
  dns: 'name not resolved',
};

export function tcpErrorType(code: string | undefined): CheckErrorType {
  return (code === undefined ? undefined : ERROR_TYPES[code]) ?? 'network';
}

function failure(code: string | undefined, duration: number): CheckResult {
  const errorType = tcpErrorType(code);
  const message = MESSAGES[errorType] ?? `network error${code === undefined ? '' : ` (${code})`}`;
  return { state: 'critical', errorType, duration, message };
}

/** Healthy when a TCP connection to host:port opens; closed again at once. */
export function createTcpCheck(config: TcpCheckConfig): Check {
  const { host, port } = config;
  return {
    run(signal) {
      return new Promise<CheckResult>((resolve) => {
        const started = performance.now();
        const elapsed = () => (performance.now() - started) / 1000;
        if (signal.aborted) {
          resolve({ state: 'critical', errorType: 'timeout', duration: 0, message: 'connection timed out' });
          return;
        }
        const socket = connect({ host, port });
        const finish = (result: CheckResult): void => {
          signal.removeEventListener('abort', onAbort);
          socket.destroy();
          resolve(result);
        };
        const onAbort = (): void => finish({ state: 'critical', errorType: 'timeout', duration: elapsed(), message: 'connection timed out' });
        signal.addEventListener('abort', onAbort, { once: true });
        socket.once('connect', () => finish({ state: 'ok', duration: elapsed(), message: `connected to ${host}:${port}` }));
        socket.once('error', (error: NodeJS.ErrnoException) => finish(failure(error.code, elapsed())));
      });
    },
    close() {
      // Nothing kept between checks: each opens and closes its own connection.
    },
  };
}

import type { Check } from './check-result.js';
import type { CheckFactory } from './checked-target.js';
import { createExecCheck } from './exec/exec-check.js';
import { createHttpCheck } from './http/index.js';
import { createTcpCheck } from './tcp/tcp-check.js';
import type { HealthTarget } from './targets.js';

/**
 * The check of a target's kind; the http check gets the target's secrets to keep them out of
 * what it says, and the scheduler's clock to count a certificate's days left.
 */
export const createCheck: CheckFactory = (target: HealthTarget, secrets: readonly string[], now: () => number): Check => {
  const spec = target.spec;
  switch (spec.kind) {
    case 'http':
      return createHttpCheck(spec.http, { secrets, now });
    case 'tcp':
      return createTcpCheck(spec.tcp);
    case 'exec':
      return createExecCheck(spec.exec);
  }
};

import type { Check, CheckResult } from '../../../receivers/health_check/check-result.js';
import type { CheckFactory } from '../../../receivers/health_check/checked-target.js';
import type { HealthTarget } from '../../../receivers/health_check/targets.js';

/**
 * What a fake check answers on a run: a result, a promise that never settles ('hang'), one
 * that answers ok only once its signal aborts ('late'), or a rejection ('throw').
 */
export type Answer = CheckResult | 'hang' | 'late' | 'throw';

/** Checks whose answers the test scripts per service; the last answer repeats. */
export class FakeChecks {
  readonly made: Array<{ target: HealthTarget; secrets: readonly string[] }> = [];
  readonly closed: string[] = [];
  readonly signals: AbortSignal[] = [];
  private readonly answers = new Map<string, Answer[]>();

  script(service: string, ...answers: Answer[]): void {
    this.answers.set(service, answers);
  }

  readonly factory: CheckFactory = (target, secrets) => {
    this.made.push({ target, secrets });
    const check: Check = {
      run: (signal) => {
        this.signals.push(signal);
        const queue = this.answers.get(target.service) ?? [{ state: 'ok', duration: 0.001 }];
        const answer = queue.length > 1 ? queue.shift()! : queue[0]!;
        if (answer === 'hang') return new Promise<CheckResult>(() => {});
        if (answer === 'late') {
          return new Promise<CheckResult>((resolve) =>
            signal.addEventListener('abort', () => resolve({ state: 'ok', duration: 0.001 }), { once: true }),
          );
        }
        if (answer === 'throw') return Promise.reject(new Error('a bug in the check'));
        return Promise.resolve(answer);
      },
      close: () => this.closed.push(target.service),
    };
    return check;
  };
}

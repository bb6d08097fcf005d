import { defer, finalize, type Observable } from 'rxjs';
import { configuredAndDiscovered } from '../../src/component/configured-and-discovered.js';
import type { ComponentContext } from '../../src/component/types.js';
import { formatDuration } from '../../src/config/units.js';
import type { MetricBatch, MetricPoint } from '../../src/model/point.js';
import { scheduleTargets } from '../../src/scheduling/index.js';
import type { CheckErrorType, CheckResult } from './check-result.js';
import { CheckedTarget, type CheckFactory } from './checked-target.js';
import type { HealthCheckConfig } from './config.js';
import { createCheck } from './create-check.js';
import { discoveredTargets, staticTargets, type HealthTarget } from './targets.js';

/** What a check that rejected (a bug of the check: checks answer every failure) is recorded as. */
const BROKEN_CHECK_ERROR: Readonly<Record<HealthTarget['spec']['kind'], CheckErrorType>> = {
  http: 'network',
  tcp: 'network',
  exec: 'plugin_error',
};

/** How soon a target that joins the set is first checked (issue 7: "within a second of the watch event"). */
const JOIN_WITHIN_MS = 1000;

/**
 * Every target checked on its own interval, spread over it, at most `concurrency` at once,
 * each check cut at its timeout; a point on every check. A failing target is data, never an
 * error of the stream. A target that joins a running receiver is first checked within a
 * second; one that leaves has its check closed and a staleness marker sent for each of its
 * series, so downstream forgets them instead of raising `unknown`. Cold: each subscription
 * makes its own checks, closed when a target leaves or the subscription ends. `makeCheck`
 * is a seam for tests.
 */
export function createHealthCheckReceiver(
  config: HealthCheckConfig,
  context: ComponentContext,
  makeCheck: CheckFactory = createCheck,
): Observable<MetricBatch> {
  const targets$ = configuredAndDiscovered(staticTargets(config.targets), config.targets_from, context, discoveredTargets);
  const thresholds = { failureThreshold: config.failure_threshold, successThreshold: config.success_threshold };
  const { scheduler, logger, telemetry } = context;
  return defer(() => {
    const checked = new Map<string, CheckedTarget>();
    const stateOf = (target: HealthTarget): CheckedTarget => {
      let state = checked.get(target.key);
      if (state === undefined) {
        state = new CheckedTarget(target, makeCheck, thresholds, () => scheduler.now());
        checked.set(target.key, state);
      } else {
        state.follow(target);
      }
      return state;
    };
    const record = (target: HealthTarget, result: CheckResult): MetricBatch => {
      const state = checked.get(target.key);
      if (state === undefined) return [];
      const out: MetricPoint[] = [];
      telemetry.accepted(state.record(result, scheduler.now(), out));
      return out;
    };
    return targets$.pipe(
      scheduleTargets<HealthTarget>({
        interval: config.collection_interval,
        timeout: config.timeout,
        concurrency: config.concurrency,
        scheduler,
        telemetry,
        collect: (target, { signal }) =>
          // A result that arrives after the timeout changes nothing: onTimeout has recorded the check.
          stateOf(target)
            .check.run(signal)
            .then((result) => (signal.aborted ? [] : record(target, result))),
        onTimeout: (target, { started, deadline }) =>
          record(target, {
            state: 'critical',
            errorType: 'timeout',
            duration: (deadline - started) / 1000,
            message: `no answer within ${formatDuration(deadline - started)}`,
          }),
        onError: (target, error, { started }) => {
          logger.once(`${target.key}\u0000check-failed`, 'error', `the health check of ${target.service} failed unexpectedly`, {
            service: target.service,
            error,
          });
          return record(target, {
            state: 'unknown',
            errorType: BROKEN_CHECK_ERROR[target.spec.kind],
            duration: Math.max(0, scheduler.now() - started) / 1000,
            message: 'the check failed unexpectedly (see the agent log)',
          });
        },
        // A target that joins (a registry instance registered) is checked within a second, not up to an interval later.
        joinWithin: JOIN_WITHIN_MS,
        onRemove: (target) => {
          const state = checked.get(target.key);
          checked.delete(target.key);
          if (state === undefined) return [];
          return state.leave(scheduler.now());
        },
      }),
      finalize(() => {
        for (const state of checked.values()) state.close();
        checked.clear();
      }),
    );
  });
}

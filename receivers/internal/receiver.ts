import { of, switchMap, tap, timer, type Observable, type ObservableInput } from 'rxjs';
import { collectEach } from '../../src/index.js';
import type { ComponentContext, MetricBatch } from '../../src/index.js';
import type { InternalReceiverConfig } from './config.js';

/**
 * What the receiver polls: the runtime's SelfTelemetry. Typed by shape, returning any
 * ObservableInput, so tests can stand in a cold marble observable and run in virtual time.
 */
export interface MetricSource {
  collect(now: number): ObservableInput<MetricBatch>;
  /** `service.telemetry.metrics.interval` in ms, and its changes: followed when `collection_interval` is unset. */
  readonly metricsInterval$?: Observable<number>;
}

/** `service.telemetry.metrics.interval`'s default, for a source that does not say. */
const DEFAULT_INTERVAL_MS = 15_000;

/**
 * One batch per collection interval (its own, else the agent's metrics interval; a changed
 * one restarts the ticks), starting at once. `exhaustMap` skips a tick while a
 * collect is still running instead of piling them up; a failed collect is logged once and
 * that tick yields nothing, so the stream never errors.
 */
export function internalMetrics$(
  source: MetricSource,
  config: InternalReceiverConfig,
  context: ComponentContext,
): Observable<MetricBatch> {
  const { scheduler, logger, telemetry } = context;
  const interval$ =
    config.collection_interval !== undefined ? of(config.collection_interval) : (source.metricsInterval$ ?? of(DEFAULT_INTERVAL_MS));
  return interval$.pipe(
    switchMap((interval) => timer(0, interval, scheduler)),
    collectEach(
      () => source.collect(scheduler.now()),
      (error) => logger.once('collect-failed', 'warn', 'cannot read self-telemetry; skipping this interval', { error }),
    ),
    tap((batch) => telemetry.accepted(batch.length)),
  );
}

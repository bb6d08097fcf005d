import { defer, filter, map, merge, tap, timer, type Observable } from 'rxjs';
import type { ComponentContext, MetricBatch } from '../../src/index.js';
import type { RegistryConfig } from './config.js';
import { RegistryMetrics } from './registry-metrics.js';
import { RegistryState } from './registry-state.js';
import type { RegistrySource, SourceUpdate } from './source.js';

/**
 * Follows one registry source. Each update is validated and, when the set changed, published
 * at once through discovery (consumers start and stop their targets within the watch
 * event's second, not on the next collection); a source that goes down republishes its last
 * set as stale; nothing is published before the first complete read. Instance counts and
 * heartbeat ages are emitted every `collection_interval`, and an instance that leaves gets
 * a staleness marker for its heartbeat at once. Cold: subscribing starts the source.
 */
export function registryReceiver$(source: RegistrySource, config: RegistryConfig, context: ComponentContext): Observable<MetricBatch> {
  const { scheduler, discovery, telemetry } = context;
  return defer(() => {
    const state = new RegistryState(context.id, source.description, context.logger);
    // A registry that cannot be read is this receiver failing at its job (its consumers work
    // on a stale set): degraded while it lasts, said once per outage.
    const reportHealth = (update: SourceUpdate, wasDown: boolean): void => {
      if (update.kind === 'down' && !wasDown) context.status.degraded(`cannot read ${source.description}: ${update.reason}`);
      else if (update.kind === 'set' && wasDown) context.status.recovered();
    };
    const metrics = new RegistryMetrics(context.id);
    const changes$ = source.updates().pipe(
      tap((update) => reportHealth(update, state.stale)),
      map((update) => state.apply(update)),
      tap((changed) => {
        if (changed !== undefined) discovery.publish(changed);
      }),
      map(() => metrics.follow(state, scheduler.now())),
    );
    const collections$ = timer(0, config.collection_interval, scheduler).pipe(map(() => metrics.collect(state, scheduler.now())));
    return merge(changes$, collections$).pipe(
      filter((batch) => batch.length > 0),
      tap((batch) => telemetry.accepted(batch.length)),
    );
  });
}

import { catchError, concat, EMPTY, map, of, type Observable } from 'rxjs';
import type { DiscoveredSet } from './discovery.js';
import type { ServiceInstance } from './targets.js';
import type { ComponentContext } from './types.js';

/** Every instance of the sets that are known: complete ones, stale ones included (their last set). */
export function knownInstances(sets: readonly DiscoveredSet[]): ServiceInstance[] {
  const instances: ServiceInstance[] = [];
  for (const set of sets) if (set.complete) instances.push(...set.instances);
  return instances;
}

/**
 * A receiver's targets: the configured ones plus, when its config names sources
 * (`targets_from`), those `fromInstances` makes of their instances. The configured targets
 * run before discovery's first answer; a source not read yet adds nothing, a stale source
 * keeps its last set, and discovery failing keeps the last targets.
 */
export function configuredAndDiscovered<T>(
  configured: readonly T[],
  sources: readonly string[],
  context: Pick<ComponentContext, 'discovery' | 'logger'>,
  fromInstances: (instances: readonly ServiceInstance[]) => readonly T[],
): Observable<readonly T[]> {
  if (sources.length === 0) return of(configured);
  const discovered$ = context.discovery.sets$(sources).pipe(
    map((sets) => [...configured, ...fromInstances(knownInstances(sets))]),
    catchError((error: unknown) => {
      context.logger.error('target discovery failed; keeping the last known targets', { error });
      return EMPTY;
    }),
  );
  return concat(of(configured), discovered$);
}

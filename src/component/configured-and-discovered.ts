import { EMPTY, catchError, map, of, startWith, type Observable } from 'rxjs';
import type { TargetSet } from './targets.js';
import type { ComponentContext } from './types.js';

/**
 * A receiver's targets: the configured ones plus, when `targets_from` names sources, those
 * `fromInstances` makes of the discovered instances. The configured targets run before
 * discovery's first answer (or if it never answers); discovery failing keeps the last set.
 */
export function configuredAndDiscovered<T>(
  configured: readonly T[],
  targetsFrom: readonly string[],
  context: Pick<ComponentContext, 'targets$' | 'logger'>,
  fromInstances: (instances: TargetSet) => readonly T[],
): Observable<readonly T[]> {
  if (targetsFrom.length === 0) return of(configured);
  return context.targets$.pipe(
    map((instances) => [...configured, ...fromInstances(instances)]),
    catchError((error: unknown) => {
      context.logger.error('target discovery failed; keeping the last known targets', { error });
      return EMPTY;
    }),
    startWith(configured),
  );
}

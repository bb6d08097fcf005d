import { map, type Observable } from 'rxjs';
import type { DiscoveredSet, Discovery, PublishedSet } from '../../src/component/discovery.js';
import type { TargetSet } from '../../src/component/targets.js';

/**
 * A discovery whose sources' sets come from `sets$` (every named source gets the same set,
 * complete): for receivers under test. What the component publishes is kept in `published`.
 */
export function discoveryOf(targets$: Observable<TargetSet>, stale = false): Discovery & { readonly published: PublishedSet[] } {
  const published: PublishedSet[] = [];
  return {
    published,
    sets$: (sources) =>
      targets$.pipe(
        map((instances) => sources.map((source): DiscoveredSet => ({ source, instances, complete: true, stale }))),
      ),
    publish: (set) => published.push(set),
  };
}

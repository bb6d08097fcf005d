import { BehaviorSubject, combineLatest, distinctUntilChanged, map, of, type Observable } from 'rxjs';
import type { DiscoveredSet, Discovery, PublishedSet } from './discovery.js';

/**
 * The runtime's discovery: the last set of every source, shared by all consumers. A set
 * outlives the receiver that published it (a registry restarted after an error, or replaced
 * by a reload, publishes again over it); only a source that left the configuration is cleared.
 */
export class DiscoveryBoard {
  private readonly sources = new Map<string, BehaviorSubject<DiscoveredSet>>();

  /** The discovery of one component: it publishes as `id`. */
  forComponent(id: string): Discovery {
    return {
      sets$: (sources) => this.sets$(sources),
      publish: (set) => this.publish(id, set),
    };
  }

  sets$(sources: readonly string[]): Observable<readonly DiscoveredSet[]> {
    if (sources.length === 0) return of([]);
    return combineLatest(sources.map((source) => this.subject(source).pipe(distinctUntilChanged()))).pipe(map((sets) => sets));
  }

  publish(source: string, set: PublishedSet): void {
    const instances = set.instances.map((instance) => (instance.source === source ? instance : { ...instance, source }));
    this.subject(source).next({ source, instances, complete: true, stale: set.stale });
  }

  /** A source removed from the configuration: its consumers drop its instances. */
  forget(source: string): void {
    const subject = this.sources.get(source);
    if (subject === undefined) return;
    subject.next({ source, instances: [], complete: true, stale: false });
  }

  /** Ends every consumer's stream (the agent stops). */
  close(): void {
    for (const subject of this.sources.values()) subject.complete();
    this.sources.clear();
  }

  private subject(source: string): BehaviorSubject<DiscoveredSet> {
    let subject = this.sources.get(source);
    if (subject === undefined) {
      subject = new BehaviorSubject<DiscoveredSet>({ source, instances: [], complete: false, stale: false });
      this.sources.set(source, subject);
    }
    return subject;
  }
}

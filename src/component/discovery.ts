import type { Observable } from 'rxjs';
import type { ServiceInstance } from './targets.js';

/**
 * One source's instances as a consumer sees them. Before the source has read its registry
 * once, `complete` is false and `instances` is empty: "not known yet", never "the registry
 * is empty". A source that lost its registry (etcd down, the endpoint failing) keeps its last
 * complete set and says `stale`, so consumers keep watching what they watched.
 */
export interface DiscoveredSet {
  /** The publishing receiver's id. */
  readonly source: string;
  readonly instances: readonly ServiceInstance[];
  /** The source has read its registry at least once: `instances` is what it holds. */
  readonly complete: boolean;
  /** The source cannot read its registry now; `instances` is its last complete set. */
  readonly stale: boolean;
}

/** What a registry publishes: its whole current set, each time it changes. */
export interface PublishedSet {
  readonly instances: readonly ServiceInstance[];
  readonly stale: boolean;
}

/**
 * Discovery as a component sees it, through its context. A registry receiver (a factory
 * with `discovery.publishes`) publishes; a consumer asks for the sources its config names.
 */
export interface Discovery {
  /**
   * The sets of these sources, one entry per source in the order given: a first value at
   * once (on subscription), then a new array whenever one of them publishes.
   */
  sets$(sources: readonly string[]): Observable<readonly DiscoveredSet[]>;
  /**
   * Publishes this component's whole set: it is complete from then on. Each instance's
   * `source` is set to this component's id.
   */
  publish(set: PublishedSet): void;
}

/** What a receiver's factory declares it needs from discovery: the core knows no option names. */
export interface DiscoveryNeeds {
  /** A registry: it publishes target sets and may be named in another receiver's sources. */
  readonly publishes?: boolean;
  /**
   * The config key holding the ids of the receivers whose sets this receiver consumes
   * (`targets_from`). Being named there counts as a use of a receiver, so a registry runs
   * even when no pipeline lists it; `validate` checks every id names a publishing receiver.
   */
  readonly sourcesKey?: string;
}

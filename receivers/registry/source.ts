import type { Observable } from 'rxjs';

/**
 * One entry as a source read it: the instance's id (the etcd key after the prefix, a file
 * entry's `id`, an http_sd target's `host:port`) and its value before validation.
 */
export interface RegistryEntry {
  readonly id: string;
  /** Parsed JSON or YAML; the receiver validates it as an instance and skips what is not one. */
  readonly value: unknown;
  /** When the registry last confirmed this entry (ms, scheduler time): `registry.heartbeat.age`. */
  readonly seenAt: number;
  /** Where the entry is, for messages: the etcd key, `services.yaml:12:5`. */
  readonly where: string;
  /**
   * Why the value could not even be parsed (an etcd value that is not JSON): the receiver
   * reports this reason, rather than what the instance schema says of `value`, and skips it.
   */
  readonly unreadable?: string;
}

/** What a source tells the registry receiver. */
export type SourceUpdate =
  /** A complete read: the whole set as it is now. */
  | { readonly kind: 'set'; readonly entries: readonly RegistryEntry[] }
  /** The registry cannot be read now (down, unreachable, a broken file): the last set stands, stale. */
  | { readonly kind: 'down'; readonly reason: string };

/**
 * A registry the receiver follows (file, etcd, http_sd). Cold: subscribing connects and
 * starts watching, unsubscribing releases every connection, watch and timer. It never
 * errors: a failure is a `down` update, and the source keeps trying on its own.
 */
export interface RegistrySource {
  /** For logs: `file ./services.yaml`, `etcd http://127.0.0.1:2379 /services/`. */
  readonly description: string;
  updates(): Observable<SourceUpdate>;
}

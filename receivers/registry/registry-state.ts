import type { Logger, PublishedSet, ServiceInstance } from '../../src/index.js';
import { instanceOf } from './instance.js';
import type { RegistryEntry, SourceUpdate } from './source.js';

/** A valid instance of the last complete read, and when the registry last confirmed it. */
export interface KnownInstance {
  readonly instance: ServiceInstance;
  readonly seenAt: number;
}

/**
 * What the registry receiver knows of its source: the valid instances of the last complete
 * read, how many entries that read skipped, and whether the source is down now. `apply`
 * says what to publish (nothing when the set is unchanged). An invalid entry is reported
 * once while it stays invalid, an outage once while it lasts.
 */
export class RegistryState {
  private known = new Map<string, KnownInstance>();
  /** `id + reason` of each entry the last read skipped: what has been reported already. */
  private invalid = new Set<string>();
  /** The instances last published, as text: an unchanged read publishes nothing. */
  private published: string | undefined;
  private everRead = false;
  private down = false;

  constructor(
    /** The receiver's id: the instances' `source`. */
    private readonly source: string,
    /** The source for people: `file ./services.yaml`. */
    private readonly description: string,
    private readonly logger: Logger,
  ) {}

  /** The source has delivered a complete read. */
  get read(): boolean {
    return this.everRead;
  }

  /** The source is down: the instances are the last complete read's. */
  get stale(): boolean {
    return this.down;
  }

  get instances(): ReadonlyMap<string, KnownInstance> {
    return this.known;
  }

  /** Entries of the last complete read that are not valid instances (skipped). */
  get invalidCount(): number {
    return this.invalid.size;
  }

  /** Takes one update of the source; returns the set to publish, if it changed. */
  apply(update: SourceUpdate): PublishedSet | undefined {
    return update.kind === 'set' ? this.takeSet(update.entries) : this.takeDown(update.reason);
  }

  private takeSet(entries: readonly RegistryEntry[]): PublishedSet | undefined {
    const known = new Map<string, KnownInstance>();
    const invalid = new Set<string>();
    const firstAt = new Map<string, string>();
    for (const entry of entries) {
      const earlier = firstAt.get(entry.id);
      const checked = earlier === undefined ? instanceOf(entry, this.source) : { ok: false as const, reason: `the id "${entry.id}" is already used at ${earlier}` };
      if (entry.id !== '' && earlier === undefined) firstAt.set(entry.id, entry.where);
      if (checked.ok) {
        known.set(entry.id, { instance: checked.instance, seenAt: entry.seenAt });
        continue;
      }
      const key = `${entry.id}\u0000${checked.reason}`;
      invalid.add(key);
      if (!this.invalid.has(key)) {
        this.logger.warn(`${entry.where}: not a valid instance, skipped: ${checked.reason}`, { source: this.description, where: entry.where, id: entry.id });
      }
    }
    if (this.down && this.everRead) this.logger.info(`${this.description} is readable again`, { instances: known.size });
    const wasStale = this.down;
    const firstRead = !this.everRead;
    this.known = known;
    this.invalid = invalid;
    this.everRead = true;
    this.down = false;
    const instances = [...known.values()].map((known) => known.instance);
    const text = JSON.stringify(instances);
    if (!firstRead && !wasStale && text === this.published) return undefined;
    this.published = text;
    return { instances, stale: false };
  }

  private takeDown(reason: string): PublishedSet | undefined {
    if (this.down) return undefined;
    this.down = true;
    if (!this.everRead) {
      this.logger.warn(`cannot read ${this.description}: ${reason}; nothing is published until it can be read`, { source: this.description });
      return undefined;
    }
    this.logger.warn(`cannot read ${this.description}: ${reason}; its last ${this.known.size} instances stand, stale`, { source: this.description });
    return { instances: [...this.known.values()].map((known) => known.instance), stale: true };
  }
}

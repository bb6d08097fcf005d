import type { HealthEvent, RuntimeSilence } from '../../src/index.js';
import type { SilenceConfig } from './config.js';

/** A matcher name that reads a field of the event rather than one of its labels. */
type Field = 'service' | 'rule' | 'level';
const FIELDS: ReadonlySet<string> = new Set<Field>(['service', 'rule', 'level']);

interface Matcher {
  readonly name: string;
  readonly field: boolean;
  readonly value: string;
}

/** A configured or run-time silence, its times in ms and its matchers compiled once. */
export class Silence {
  private readonly matchers: readonly Matcher[];

  constructor(
    readonly startsAt: number,
    readonly endsAt: number,
    readonly comment: string,
    matchers: Readonly<Record<string, string>>,
    /** A run-time silence's id (SilenceBook); configured ones have none. */
    readonly id?: string,
  ) {
    this.matchers = Object.entries(matchers).map(([name, value]) => ({ name, field: FIELDS.has(name), value }));
  }

  static fromConfig(config: SilenceConfig): Silence {
    return new Silence(config.starts_at ?? -Infinity, config.ends_at, config.comment, config.matchers);
  }

  static fromRuntime(silence: RuntimeSilence): Silence {
    return new Silence(silence.startsAt, silence.endsAt, silence.comment, silence.matchers, silence.id);
  }

  activeAt(now: number): boolean {
    return this.startsAt <= now && now < this.endsAt;
  }

  /** Every matcher holds. A label the event lacks reads as "", as in Alertmanager. */
  matches(event: HealthEvent): boolean {
    for (const matcher of this.matchers) {
      const actual = matcher.field ? event[matcher.name as Field] : (event.labels[matcher.name] ?? '');
      if (actual !== matcher.value) return false;
    }
    return true;
  }
}

/** What a new list of run-time silences changed. */
export interface RuntimeChange {
  /** Silences not known before: their ends need a timer. */
  readonly added: readonly Silence[];
  /** Ids of silences that left the list (expired early, or ended). */
  readonly removed: readonly string[];
}

/**
 * The silences of one cooldown: its configured ones (those that ended before it started
 * are left out) and the agent's run-time ones (SilenceBook), the latest list of which the
 * cooldown hands in on each change.
 */
export class Silences {
  readonly list: readonly Silence[];
  /** By id; bounded by the book's bound. */
  private runtime = new Map<string, Silence>();

  constructor(configs: readonly SilenceConfig[], now: number) {
    this.list = configs.map((config) => Silence.fromConfig(config)).filter((silence) => silence.endsAt > now);
  }

  /** Takes the book's whole list; says which silences are new and which left. */
  setRuntime(silences: readonly RuntimeSilence[]): RuntimeChange {
    const next = new Map<string, Silence>();
    const added: Silence[] = [];
    for (const silence of silences) {
      let compiled = this.runtime.get(silence.id);
      if (compiled === undefined) added.push((compiled = Silence.fromRuntime(silence)));
      next.set(silence.id, compiled);
    }
    const removed = [...this.runtime.keys()].filter((id) => !next.has(id));
    this.runtime = next;
    return { added, removed };
  }

  /** The silence muting this event now, if any. */
  muting(event: HealthEvent, now: number): Silence | undefined {
    for (const silence of this.list) if (silence.activeAt(now) && silence.matches(event)) return silence;
    for (const silence of this.runtime.values()) if (silence.activeAt(now) && silence.matches(event)) return silence;
    return undefined;
  }
}

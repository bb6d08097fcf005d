import type { HealthEvent } from '../../src/index.js';
import type { SilenceConfig } from './config.js';

/** A matcher name that reads a field of the event rather than one of its labels. */
type Field = 'service' | 'rule' | 'level';
const FIELDS: ReadonlySet<string> = new Set<Field>(['service', 'rule', 'level']);

interface Matcher {
  readonly name: string;
  readonly field: boolean;
  readonly value: string;
}

/** A configured silence, its times in ms and its matchers compiled once. */
export class Silence {
  private readonly matchers: readonly Matcher[];

  constructor(
    readonly startsAt: number,
    readonly endsAt: number,
    readonly comment: string,
    matchers: Readonly<Record<string, string>>,
  ) {
    this.matchers = Object.entries(matchers).map(([name, value]) => ({ name, field: FIELDS.has(name), value }));
  }

  static fromConfig(config: SilenceConfig): Silence {
    return new Silence(config.starts_at ?? -Infinity, config.ends_at, config.comment, config.matchers);
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

/** The silences of one cooldown; the ones that ended before it started are left out. */
export class Silences {
  readonly list: readonly Silence[];

  constructor(configs: readonly SilenceConfig[], now: number) {
    this.list = configs.map((config) => Silence.fromConfig(config)).filter((silence) => silence.endsAt > now);
  }

  /** The silence muting this event now, if any. */
  muting(event: HealthEvent, now: number): Silence | undefined {
    for (const silence of this.list) if (silence.activeAt(now) && silence.matches(event)) return silence;
    return undefined;
  }
}

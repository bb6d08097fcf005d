import { HISTORY_AGGREGATES, parseDuration, type HistoryAggregate } from '../../src/index.js';
import { Refusal, quoted } from './answer.js';

/**
 * The query string of one route, read strictly as the configuration is: an unknown or
 * repeated parameter, a malformed value or a missing required one is a 400 with the reason.
 */
export class QueryParameters {
  constructor(
    private readonly params: URLSearchParams,
    known: readonly string[],
    repeatable: readonly string[] = [],
  ) {
    for (const name of new Set(params.keys())) {
      if (!known.includes(name)) {
        throw new Refusal(400, `unknown parameter ${quoted(name)}; this path takes ${known.join(', ') || 'none'}`);
      }
      if (!repeatable.includes(name) && params.getAll(name).length > 1) {
        throw new Refusal(400, `parameter ${quoted(name)} given more than once`);
      }
    }
  }

  text(name: string): string | undefined {
    const value = this.params.get(name);
    return value === null || value === '' ? undefined : value;
  }

  required(name: string): string {
    const value = this.text(name);
    if (value === undefined) throw new Refusal(400, `missing parameter ${quoted(name)}`);
    return value;
  }

  all(name: string): string[] {
    return this.params.getAll(name);
  }

  duration(name: string, fallback: number, bounds: { min: number; max: number }): number {
    const text = this.text(name);
    if (text === undefined) return fallback;
    const ms = parseDuration(text);
    if (ms === undefined) throw new Refusal(400, `parameter ${name}: ${quoted(text)} is not a duration (expected 30s, 5m, 1h, 7d)`);
    if (ms < bounds.min || ms > bounds.max) {
      throw new Refusal(400, `parameter ${name}: expected a duration from ${bounds.min} ms to ${bounds.max} ms, got ${ms} ms`);
    }
    return ms;
  }

  integer(name: string, fallback: number | undefined, bounds: { min: number; max: number }): number | undefined {
    const text = this.text(name);
    if (text === undefined) return fallback;
    const value = /^\d{1,9}$/.test(text) ? Number(text) : Number.NaN;
    if (!(value >= bounds.min && value <= bounds.max)) {
      throw new Refusal(400, `parameter ${name}: expected a whole number from ${bounds.min} to ${bounds.max}, got ${quoted(text)}`);
    }
    return value;
  }

  boolean(name: string): boolean | undefined {
    const text = this.text(name);
    if (text === undefined) return undefined;
    if (text === 'true' || text === '1') return true;
    if (text === 'false' || text === '0') return false;
    throw new Refusal(400, `parameter ${name}: expected true or false, got ${quoted(text)}`);
  }

  aggregate(name: string, fallback: HistoryAggregate): HistoryAggregate {
    const text = this.text(name);
    if (text === undefined) return fallback;
    if ((HISTORY_AGGREGATES as readonly string[]).includes(text)) return text as HistoryAggregate;
    throw new Refusal(400, `parameter ${name}: unknown aggregate ${quoted(text)}; expected one of ${HISTORY_AGGREGATES.join(', ')}`);
  }
}

import { LEVELS, eventLabels } from '../../src/index.js';
import type { Level } from '../../src/index.js';
import { INFO, LEVEL_NAMES } from './levels.js';
import type { AlertIdentity, SeriesState } from './series-state.js';

/** The store namespace of the levels, one record per series and rule that left `info`. */
export const LEVELS_NAMESPACE = 'levels';

/**
 * What threshold keeps of a series and rule across a restart: the last event it sent (its
 * level, whether it was firing, since when), the levels sent as firing since the last
 * resolve (so an escalation is still told apart), when the series was last seen, and the
 * alert's identity, so a series that never comes back can still be resolved under the
 * fingerprint and labels its alert went out with. Plain JSON: no NaN, no Infinity.
 */
export interface StoredLevel {
  readonly rule: string;
  /** `Series.key`, or a `sum_over` group's key. */
  readonly series: string;
  readonly level: Level;
  readonly firing: boolean;
  readonly sentMask: number;
  readonly startsAt: number;
  readonly lastSeen: number;
  /** The window length events reported, when one was known. */
  readonly window?: number;
  readonly fingerprint: string;
  readonly service: string;
  readonly labels: Readonly<Record<string, string>>;
}

/** The store key of a series and rule: by rule name, so reordering the rules keeps it. */
export function storeKey(rule: string, series: string): string {
  return JSON.stringify([rule, series]);
}

/**
 * Whether a state has to be remembered: one whose last event left it at `info` and not
 * firing is what a new state is anyway, so only the others take room in the store.
 */
export function worthStoring(state: SeriesState): boolean {
  return !state.removed && (state.sentLevel !== INFO || state.sentFiring);
}

export function toStored(state: SeriesState): StoredLevel {
  const { fingerprint, service, labels } = state.identity;
  return {
    rule: state.rule.name,
    series: state.seriesKey,
    level: LEVEL_NAMES[state.sentLevel]!,
    firing: state.sentFiring,
    sentMask: state.sentMask,
    startsAt: state.sentStartsAt,
    lastSeen: state.lastSeen,
    ...(Number.isFinite(state.minGap) ? { window: state.minGap } : {}),
    fingerprint,
    service,
    labels,
  };
}

/** A stored record checked field by field (the file may be older or damaged); undefined when unusable. */
export function fromStored(value: unknown): StoredLevel | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const record = value as Record<string, unknown>;
  const texts = ['rule', 'series', 'fingerprint', 'service'].every((key) => typeof record[key] === 'string');
  const numbers = ['sentMask', 'startsAt', 'lastSeen'].every((key) => Number.isFinite(record[key]));
  if (!texts || !numbers || typeof record['firing'] !== 'boolean') return undefined;
  if (!LEVELS.includes(record['level'] as Level)) return undefined;
  if (record['window'] !== undefined && !Number.isFinite(record['window'])) return undefined;
  const labels = record['labels'];
  if (typeof labels !== 'object' || labels === null || Object.values(labels).some((label) => typeof label !== 'string')) return undefined;
  return record as unknown as StoredLevel;
}

/** The identity a stored alert went out with; labels cleaned again (a no-op on clean ones) and marked as eventLabels' own. */
export function storedIdentity(record: StoredLevel): AlertIdentity {
  return { fingerprint: record.fingerprint, service: record.service, labels: eventLabels(record.labels) };
}

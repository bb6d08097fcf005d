import { healthEvent } from '../../src/index.js';
import type { HealthEvent, Level } from '../../src/index.js';

/**
 * What the cooldown knows of one alert (fingerprint). The cooldown keys of the design,
 * fingerprint + level, are the entries of `notifiedAt`.
 */
export interface AlertRecord {
  /** The latest event of the alert, whether it went out or not. */
  current: HealthEvent;
  /**
   * The last event the receiver was given: what it believes. A resolve recorded without
   * being sent (`send_resolved: false`) counts, since the alert is over either way.
   */
  notified: HealthEvent | undefined;
  /** When each level was last notified as firing since the alert last resolved. */
  notifiedAt: Partial<Record<Level, number>>;
  /** When the last notification went out; `repeat_interval` counts from it. */
  sentAt: number;
  /** When this flapping episode's flapping event went out; cleared by the next ordinary event. */
  flappingAt: number | undefined;
  /** When the alert resolved; a resolved record expires a period later. */
  resolvedAt: number | undefined;
  /** When the next timed step is due (repeat, held level change, expiry); Infinity for none. Memory only. */
  due: number;
}

export function newRecord(event: HealthEvent): AlertRecord {
  return { current: event, notified: undefined, notifiedAt: {}, sentAt: -Infinity, flappingAt: undefined, resolvedAt: undefined, due: Infinity };
}

/** The receiver was told this alert fires (and has not been told it resolved). */
export function isActive(record: AlertRecord): boolean {
  return record.notified !== undefined && record.notified.state === 'firing';
}

/** The receiver believes something other than the alert's current state (a held or muted firing). */
export function isOutOfDate(record: AlertRecord): boolean {
  const { current, notified } = record;
  if (current.state !== 'firing') return false;
  return notified === undefined || notified.state !== 'firing' || notified.level !== current.level;
}

/** The record as stored: JSON, events as plain objects, `current` only when it is not the notified event. */
export interface StoredRecord {
  readonly current?: HealthEvent;
  readonly notified?: HealthEvent;
  readonly notifiedAt: Partial<Record<Level, number>>;
  readonly sentAt: number | null;
  readonly flappingAt?: number;
  readonly resolvedAt?: number;
}

export function toStored(record: AlertRecord): StoredRecord {
  return {
    ...(record.current === record.notified ? {} : { current: record.current }),
    ...(record.notified === undefined ? {} : { notified: record.notified }),
    notifiedAt: record.notifiedAt,
    // JSON has no -Infinity: null is "never sent".
    sentAt: Number.isFinite(record.sentAt) ? record.sentAt : null,
    ...(record.flappingAt === undefined ? {} : { flappingAt: record.flappingAt }),
    ...(record.resolvedAt === undefined ? {} : { resolvedAt: record.resolvedAt }),
  };
}

/** JSON turned a NaN value or threshold (no data, an open Nagios range) into null. */
function restoreEvent(stored: HealthEvent): HealthEvent {
  const value = stored.value as number | null;
  const threshold = stored.threshold as number | null;
  return healthEvent({ ...stored, value: value ?? Number.NaN, threshold: threshold ?? Number.NaN });
}

/** A stored record back in memory; undefined when it holds no event (written by something else). */
export function fromStored(stored: StoredRecord): AlertRecord | undefined {
  const notified = stored.notified === undefined ? undefined : restoreEvent(stored.notified);
  const current = stored.current === undefined ? notified : restoreEvent(stored.current);
  if (current === undefined) return undefined;
  return {
    current,
    notified,
    notifiedAt: { ...stored.notifiedAt },
    sentAt: stored.sentAt ?? -Infinity,
    flappingAt: stored.flappingAt,
    resolvedAt: stored.resolvedAt,
    due: Infinity,
  };
}

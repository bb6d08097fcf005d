import { formatDuration } from '../../src/config/units.js';
import type { HealthEvent } from '../../src/model/event.js';
import { healthEvent } from '../../src/model/event-text.js';
import { INFO, LEVEL_NAMES, UNKNOWN } from './levels.js';
import type { SeriesState } from './series-state.js';
import type { StoredLevel } from './stored-level.js';

/**
 * Why a level changed: a point's value, the series' silence (no_data), its expiry, or its
 * source leaving (a staleness marker: forgotten at once, and resolved to `info` if firing).
 */
export type ChangeCause = 'value' | 'no_data' | 'expired' | 'left';

export interface Change {
  readonly state: SeriesState;
  readonly from: number;
  readonly to: number;
  /** The rule's input value (before `complement`); NaN for silence. */
  readonly value: number;
  /** When the new level began: the deciding point's time, or the clock for silence. */
  readonly startsAt: number;
  readonly now: number;
  readonly cause: ChangeCause;
  /** The deciding point's note (`MetricPoint.message`). */
  readonly message: string | undefined;
  readonly flapping: boolean;
  /** How long silence lasted, for its message. */
  readonly silence: number;
  /** The window length to report, when known. */
  readonly window: number | undefined;
}

/** What the last `resolved` of a series whose source left says. */
export const LEFT_MESSAGE = 'the instance left: no longer watched';

/**
 * The health event of one level change, through `healthEvent` (texts bounded, secrets out).
 * `firing` when the new level is notified, else `resolved`; an expiry or a departure is always `resolved`.
 * The message is the deciding point's note when the level rises above info, else a short
 * text of the comparison; a note from a failing check would mislead on a resolve.
 */
export function changeEvent(change: Change): HealthEvent {
  const { state, from, to, value, cause } = change;
  const rule = state.rule;
  const over = cause === 'expired' || cause === 'left';
  const firing = !over && ((rule.notifyMask >>> to) & 1) === 1;
  const silent = cause !== 'value';
  const bound = silent ? { number: Number.NaN, text: '' } : rule.boundOf(from, to, value);
  let message: string;
  if (cause === 'expired') message = `no data for ${formatDuration(change.silence)}: no longer watched`;
  else if (cause === 'left') message = LEFT_MESSAGE;
  else if (cause === 'no_data') message = `no data for ${formatDuration(change.silence)}`;
  else if (to !== INFO && to !== UNKNOWN && change.message !== undefined) message = change.message;
  else message = rule.describe(from, to, value);
  return healthEvent({
    fingerprint: state.identity.fingerprint,
    service: state.identity.service,
    rule: rule.name,
    level: LEVEL_NAMES[to]!,
    previousLevel: LEVEL_NAMES[from]!,
    value: silent ? Number.NaN : rule.reported(value),
    threshold: bound.number,
    ...(bound.text === '' ? {} : { thresholdText: bound.text }),
    message,
    ...(rule.annotations === undefined ? {} : { annotations: rule.annotations }),
    ...(change.window === undefined ? {} : { window: change.window }),
    startsAt: change.startsAt,
    ...(firing ? {} : { endsAt: change.startsAt }),
    state: firing ? 'firing' : 'resolved',
    ...(change.flapping ? { flapping: true as const } : {}),
    ...(cause === 'left' ? { left: true as const } : {}),
    labels: state.identity.labels,
    time: change.now,
  });
}

/**
 * The last `resolved` of a stored alert that no state takes up after a restart (its rule is
 * gone from the configuration, or `max_series` leaves no room): as an expiry, under the
 * fingerprint and labels it went out with, so no sink keeps it active for ever.
 */
export function unwatchedEvent(record: StoredLevel, now: number, expireAfter: number): HealthEvent {
  return healthEvent({
    fingerprint: record.fingerprint,
    service: record.service,
    rule: record.rule,
    level: 'unknown',
    previousLevel: record.level,
    value: Number.NaN,
    threshold: Number.NaN,
    message: `no data for ${formatDuration(expireAfter)}: no longer watched`,
    startsAt: now,
    endsAt: now,
    state: 'resolved',
    labels: record.labels,
    time: now,
  });
}

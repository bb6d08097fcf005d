import { UNPRINTABLE } from '../config/printable.js';
import { REDACTED, SecretMatcher, isSecretKey, urlCredentials } from '../config/secrets.js';
import type { HealthEvent } from './event.js';
import type { AttributeValue } from './series.js';

/**
 * The most each text of an event may hold, in UTF-16 code units (what `String.length`
 * counts). An event goes to terminals, logs, Alertmanager and the store, and its text comes
 * from plugins, response bodies and errors that nobody bounds: these keep one event small
 * (about 40 KiB at most) whatever a check printed.
 */
export const EVENT_TEXT_LIMITS = {
  /** A Nagios plugin's first line is at most 4 KiB by its own rules; one screen line is far less. */
  message: 1024,
  /** A Nagios range or a written number: `@-10.5:20`, never more than a few dozen characters. */
  thresholdText: 64,
  service: 256,
  rule: 256,
  fingerprint: 128,
  labelKey: 128,
  /** Labels identify the alert (they are grouped and matched on in Alertmanager): short values. */
  labelValue: 256,
  labels: 32,
  annotationKey: 128,
  annotationValue: 1024,
  annotations: 16,
} as const;

/** Ends a text cut at its limit, so a reader sees that something is missing. */
export const TRUNCATED = '…[truncated]';

/** Replaces secrets in a text: a `SecretMatcher` built once for the component's secrets. */
export interface Redactor {
  redact(text: string): string;
}

/** Line breaks and tabs: they become spaces, so an event is one console line and one log field. */
const BREAKS = /[\t\n\v\f\r\u0085\u2028\u2029]+/g;

/** The text cut to `limit` with the marker at its end; never splits a surrogate pair. */
function truncate(text: string, limit: number): string {
  if (text.length <= limit) return text;
  let keep = limit - TRUNCATED.length;
  const last = text.charCodeAt(keep - 1);
  if (last >= 0xd800 && last <= 0xdbff) keep -= 1;
  return `${text.slice(0, keep)}${TRUNCATED}`;
}

/**
 * One text of an event made safe to show: line breaks and tabs become spaces; other
 * control characters, bidirectional marks and lone surrogates go (they would recolour a
 * terminal or reorder what follows); the given secrets and any URL's user-info become
 * `***`; the ends are trimmed; then it is cut to `limit` with a visible marker. Secrets go
 * before the cut, so a secret split by the cut cannot leave its first half; control
 * characters before secrets, so a secret broken up by them is still found. Applying it
 * twice changes nothing.
 */
export function eventText(text: string, limit: number, secrets?: Redactor): string {
  let clean = text.replace(BREAKS, ' ').replace(UNPRINTABLE, '');
  if (secrets !== undefined) clean = secrets.redact(clean);
  // Checked per text: a plugin or an error may print a URL the configuration never held.
  if (clean.includes('://')) {
    const credentials = urlCredentials(clean);
    if (credentials.length > 0) clean = new SecretMatcher(credentials).redact(clean);
  }
  return truncate(clean.trim(), limit);
}

interface MapLimits {
  readonly key: number;
  readonly value: number;
  readonly count: number;
}

/**
 * A string map (labels, annotations) with every key and value bounded and cleaned. A value
 * under a key that names a secret (`token`, `api_key`, see `isSecretKey`) is blanked whole.
 * Past `count` entries, the first in key order are kept, so which ones survive does not
 * depend on the order they were built in. A key that cleans to nothing is dropped.
 */
function eventMap(
  map: Readonly<Record<string, AttributeValue>>,
  limits: MapLimits,
  secrets: Redactor | undefined,
): Record<string, string> {
  let keys = Object.keys(map);
  if (keys.length > limits.count) keys = keys.sort().slice(0, limits.count);
  const out: Record<string, string> = {};
  for (const rawKey of keys) {
    const key = eventText(rawKey, limits.key, secrets);
    if (key === '' || key in out) continue;
    out[key] = isSecretKey(key) ? REDACTED : eventText(String(map[rawKey]), limits.value, secrets);
  }
  return out;
}

const LABEL_LIMITS: MapLimits = {
  key: EVENT_TEXT_LIMITS.labelKey,
  value: EVENT_TEXT_LIMITS.labelValue,
  count: EVENT_TEXT_LIMITS.labels,
};

const ANNOTATION_LIMITS: MapLimits = {
  key: EVENT_TEXT_LIMITS.annotationKey,
  value: EVENT_TEXT_LIMITS.annotationValue,
  count: EVENT_TEXT_LIMITS.annotations,
};

/** Stands for "cleaned without secrets" in CLEANED_LABELS. */
const NO_SECRETS: Redactor = { redact: (text) => text };

/**
 * The label maps `eventLabels` returned, with the secrets they were cleaned with: frozen,
 * so what is found here is still what was cleaned, and `healthEvent` passes it on as it is
 * instead of cleaning it again on every event. Weak: a map is forgotten with its last user.
 */
const CLEANED_LABELS = new WeakMap<object, Redactor>();

/**
 * An event's labels, bounded and cleaned as `healthEvent` leaves them, frozen. Labels
 * identify an alert: compute its fingerprint from what this returns (once per series, not
 * per event), so the fingerprint describes the labels the event really carries, and hand
 * the same object to `healthEvent`, which then does not clean it again.
 */
export function eventLabels(labels: Readonly<Record<string, AttributeValue>>, secrets?: Redactor): Readonly<Record<string, string>> {
  if (CLEANED_LABELS.get(labels) === (secrets ?? NO_SECRETS)) return labels as Readonly<Record<string, string>>;
  const clean = Object.freeze(eventMap(labels, LABEL_LIMITS, secrets));
  CLEANED_LABELS.set(clean, secrets ?? NO_SECRETS);
  return clean;
}

/** The labels of an event given none. */
const NO_LABELS = eventLabels({});

/** What `healthEvent` takes: an event whose texts are still raw, and whose labels may hold numbers. */
export interface HealthEventInit extends Omit<HealthEvent, 'labels' | 'annotations'> {
  readonly labels?: Readonly<Record<string, AttributeValue>>;
  readonly annotations?: Readonly<Record<string, AttributeValue>>;
}

/**
 * The one way to make a health event (for `threshold`, receivers that raise events, and
 * plugins): every text cleaned and bounded by EVENT_TEXT_LIMITS, secrets replaced by `***`.
 * Pass the secrets the text may hold (a check's headers, token, URL password) as a
 * `SecretMatcher` built once per target, not per event. `message`, `thresholdText` and
 * `annotations` are left out when absent or when nothing is left of them after cleaning,
 * so the console and sinks show them only when they say something.
 */
export function healthEvent(init: HealthEventInit, secrets?: Redactor): HealthEvent {
  const { message, thresholdText, annotations, labels, ...rest } = init;
  const event: { -readonly [K in keyof HealthEvent]: HealthEvent[K] } = {
    ...rest,
    fingerprint: eventText(init.fingerprint, EVENT_TEXT_LIMITS.fingerprint, secrets),
    service: eventText(init.service, EVENT_TEXT_LIMITS.service, secrets),
    rule: eventText(init.rule, EVENT_TEXT_LIMITS.rule, secrets),
    labels: eventLabels(labels ?? NO_LABELS, secrets),
  };
  const text = message === undefined ? '' : eventText(message, EVENT_TEXT_LIMITS.message, secrets);
  if (text !== '') event.message = text;
  const written = thresholdText === undefined ? '' : eventText(thresholdText, EVENT_TEXT_LIMITS.thresholdText, secrets);
  if (written !== '') event.thresholdText = written;
  const notes = annotations === undefined ? {} : eventMap(annotations, ANNOTATION_LIMITS, secrets);
  if (Object.keys(notes).length > 0) event.annotations = notes;
  return event;
}

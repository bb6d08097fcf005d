import { formatDuration } from '../config/units.js';
import type { HealthEvent, Level } from '../model/event.js';

/**
 * An alert as Alertmanager's API v2 takes it (`postableAlert`, PROTOCOLS.md section 1), with
 * its times as milliseconds: a sink turns them into RFC 3339 when it sends, so what a
 * durable queue stores is plain JSON.
 */
export interface AlertmanagerAlert {
  readonly labels: Readonly<Record<string, string>>;
  readonly annotations: Readonly<Record<string, string>>;
  /** When the alert of this severity began (ms since epoch). */
  readonly startsAt: number;
}

/**
 * Alertmanager refuses a whole POST when one label or annotation name is not a Prometheus
 * name (`[a-zA-Z_][a-zA-Z0-9_]*`, 0.25's validation): `service.name` or `team-x` from an
 * event becomes `service_name`, `team_x`, as Prometheus names OpenTelemetry attributes.
 */
export function alertmanagerName(name: string): string {
  const replaced = name.replace(/[^a-zA-Z0-9_]/g, '_');
  return /^[0-9]/.test(replaced) ? `_${replaced}` : replaced;
}

/** A map with every key made a valid name; empty values go (Alertmanager ignores them). Keys in order, first wins. */
function validNames(map: Readonly<Record<string, string>> | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  if (map === undefined) return out;
  for (const key of Object.keys(map).sort()) {
    const value = map[key]!;
    const name = alertmanagerName(key);
    if (value !== '' && name !== '' && !(name in out)) out[name] = value;
  }
  return out;
}

/**
 * An event's alert labels: its own labels, then `alertname` (the rule), `service` and
 * `severity`, which an event label of the same name cannot replace. The labels identify
 * the alert in Alertmanager, so a level change is a different alert there.
 */
export function alertLabels(event: HealthEvent, severity: Level = event.level): Record<string, string> {
  return { ...validNames(event.labels), alertname: event.rule, service: event.service, severity };
}

/** A figure as people read it; exact for integers, four significant digits otherwise. */
function figure(value: number): string {
  if (!Number.isFinite(value) || Number.isInteger(value)) return String(value);
  return String(Number(value.toPrecision(4)));
}

/** The threshold as the rule wrote it (`10:20`, `@~:5`) when it was written, else the number. */
export function thresholdOf(event: HealthEvent): string {
  return event.thresholdText ?? figure(event.threshold);
}

/** One line for people: `api latency critical: 1.2 (threshold 1)`, or `… resolved: 0.1 …`. */
export function alertSummary(event: HealthEvent): string {
  const what = event.state === 'resolved' ? 'resolved' : event.level;
  return `${event.service} ${event.rule} ${what}: ${figure(event.value)} (threshold ${thresholdOf(event)})`;
}

/**
 * An event's annotations: a `summary` (which the event's own annotations may replace: a
 * rule's author knows better), the event's annotations, then the facts of the event that
 * nothing replaces: `message`, `value`, `threshold`, `window`, and `flapping` when set.
 * Every text was bounded and cleaned of secrets by `healthEvent`.
 */
export function alertAnnotations(event: HealthEvent): Record<string, string> {
  const annotations: Record<string, string> = { summary: alertSummary(event), ...validNames(event.annotations) };
  if (event.message !== undefined) annotations['message'] = event.message;
  annotations['value'] = figure(event.value);
  annotations['threshold'] = thresholdOf(event);
  if (event.window !== undefined) annotations['window'] = formatDuration(event.window);
  if (event.flapping === true) annotations['flapping'] = 'true';
  return annotations;
}

/** The alert an event describes, at the given severity (the level it fires at, or the one it resolves). */
export function alertmanagerAlert(event: HealthEvent, severity: Level, startsAt: number): AlertmanagerAlert {
  return { labels: alertLabels(event, severity), annotations: alertAnnotations(event), startsAt };
}

/** RFC 3339 as Alertmanager writes and reads it. */
export function rfc3339(ms: number): string {
  return new Date(ms).toISOString();
}

const FNV_OFFSET = 14695981039346656037n;
const FNV_PRIME = 1099511628211n;
const MASK_64 = (1n << 64n) - 1n;
const SEPARATOR = 0xff;

/**
 * Alertmanager's fingerprint of a label set (prometheus/common `LabelSet.Fingerprint`):
 * FNV-1a 64 over the names in order, each name and value followed by the byte 0xff, as 16
 * hex digits. The webhook payload carries it per alert, so a receiver that deduplicates by
 * it sees the same value from the `webhook` sink as from Alertmanager.
 */
export function alertmanagerFingerprint(labels: Readonly<Record<string, string>>): string {
  let hash = FNV_OFFSET;
  const add = (byte: number): void => {
    hash = ((hash ^ BigInt(byte)) * FNV_PRIME) & MASK_64;
  };
  for (const name of Object.keys(labels).sort()) {
    for (const byte of Buffer.from(name, 'utf8')) add(byte);
    add(SEPARATOR);
    for (const byte of Buffer.from(labels[name]!, 'utf8')) add(byte);
    add(SEPARATOR);
  }
  return hash.toString(16).padStart(16, '0');
}

import { alertmanagerFingerprint, rfc3339 } from '../../src/index.js';
import type { AlertChange, AlertmanagerAlert } from '../../src/index.js';

/** One alert of the payload (Alertmanager's `template.Alert`). */
export interface WebhookAlert {
  readonly status: 'firing' | 'resolved';
  readonly labels: Readonly<Record<string, string>>;
  readonly annotations: Readonly<Record<string, string>>;
  readonly startsAt: string;
  readonly endsAt: string;
  readonly generatorURL: string;
  readonly fingerprint: string;
}

/** Alertmanager's webhook payload, version "4" (PROTOCOLS.md section 2). */
export interface WebhookPayload {
  readonly version: '4';
  readonly groupKey: string;
  readonly truncatedAlerts: number;
  readonly status: 'firing' | 'resolved';
  readonly receiver: string;
  readonly groupLabels: Readonly<Record<string, string>>;
  readonly commonLabels: Readonly<Record<string, string>>;
  readonly commonAnnotations: Readonly<Record<string, string>>;
  readonly externalURL: string;
  readonly alerts: readonly WebhookAlert[];
}

/** What Alertmanager writes as the `endsAt` of a firing alert: Go's zero time. */
export const FIRING_ENDS_AT = '0001-01-01T00:00:00Z';

/** The labels notifications are grouped by: Alertmanager's usual `group_by: [alertname, service]`. */
const GROUP_BY = ['alertname', 'service'] as const;

function webhookAlert(alert: AlertmanagerAlert, endsAt: number | undefined): WebhookAlert {
  return {
    status: endsAt === undefined ? 'firing' : 'resolved',
    labels: alert.labels,
    annotations: alert.annotations,
    startsAt: rfc3339(alert.startsAt),
    endsAt: endsAt === undefined ? FIRING_ENDS_AT : rfc3339(endsAt),
    generatorURL: '',
    fingerprint: alertmanagerFingerprint(alert.labels),
  };
}

/** The pairs every map holds with the same value (Alertmanager's commonLabels, commonAnnotations). */
function common(maps: readonly Readonly<Record<string, string>>[]): Record<string, string> {
  const [first, ...rest] = maps;
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(first ?? {})) {
    if (rest.every((map) => map[key] === value)) out[key] = value;
  }
  return out;
}

/** Alertmanager's group key under its root route: `{}:{alertname="api", service="checkout"}`. */
function groupKey(labels: Readonly<Record<string, string>>): string {
  const pairs = Object.keys(labels)
    .sort()
    .map((name) => `${name}=${JSON.stringify(labels[name])}`);
  return `{}:{${pairs.join(', ')}}`;
}

/**
 * The notification of one event's change: the alert of the old severity resolved (on a
 * level change) and the one it fires, or the one it resolves; as Alertmanager would send it
 * to a webhook receiver for a group of these alerts.
 */
export function webhookPayload(change: AlertChange, receiver: string, externalURL: string): WebhookPayload {
  const alerts: WebhookAlert[] = [];
  if (change.resolve !== undefined) alerts.push(webhookAlert(change.resolve, change.resolve.endsAt));
  if (change.fire !== undefined) alerts.push(webhookAlert(change.fire, undefined));
  const labels = common(alerts.map((alert) => alert.labels));
  const groupLabels: Record<string, string> = {};
  for (const name of GROUP_BY) if (labels[name] !== undefined) groupLabels[name] = labels[name];
  return {
    version: '4',
    groupKey: groupKey(groupLabels),
    truncatedAlerts: 0,
    status: alerts.some((alert) => alert.status === 'firing') ? 'firing' : 'resolved',
    receiver,
    groupLabels,
    commonLabels: labels,
    commonAnnotations: common(alerts.map((alert) => alert.annotations)),
    externalURL,
    alerts,
  };
}

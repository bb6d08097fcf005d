import type { ConsoleAlert, ConsolePoint } from './agent.js';
import type { PostedAlert } from './alerting-fixture.js';

/**
 * Small predicates and summaries the end-to-end alerting runs share, so each test reads as
 * the story it checks.
 */

/** A figure of the window (one per closed window) of a service's check durations. */
export function isWindowMean(service: string, name = 'healthcheck.duration') {
  return (point: ConsolePoint): boolean =>
    point.name === name && point.attributes['aggregate'] === 'mean' && point.resource['service.name'] === service;
}

/** A notification as a short word: `firing warning`, `resolved`. */
export function notificationWord(alert: ConsoleAlert): string {
  return alert.state === 'firing' ? `firing ${alert.level}` : 'resolved';
}

/** The notifications (console lines after the cooldown) of one rule, as words, in order. */
export function notificationsOf(alerts: readonly ConsoleAlert[], rule: string): string[] {
  return alerts.filter((alert) => alert.rule === rule).map(notificationWord);
}

/** Per severity, the distinct startsAt of its firing forms: one each means Alertmanager never saw it fire anew. */
export function firingStartsBySeverity(posted: readonly PostedAlert[]): Record<string, string[]> {
  const starts: Record<string, string[]> = {};
  for (const alert of posted) {
    if (alert.state !== 'firing') continue;
    const severity = alert.labels['severity'] ?? '';
    const list = (starts[severity] ??= []);
    const start = alert.startsAt ?? '(none)';
    if (!list.includes(start)) list.push(start);
  }
  return starts;
}

/** The order in which states of each severity first reached Alertmanager: `firing warning`, `resolved warning`, … */
export function firstArrivals(posted: readonly PostedAlert[]): string[] {
  const seen: string[] = [];
  for (const alert of posted) {
    const word = `${alert.state} ${alert.labels['severity'] ?? ''}`;
    if (!seen.includes(word)) seen.push(word);
  }
  return seen;
}

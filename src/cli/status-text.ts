import { fitLine } from '../../exporters/console/fit.js';
import { alignRows } from '../../exporters/console/table.js';
import { formatBytes, formatFigure, formatSeconds } from '../../exporters/console/units.js';
import { formatValue } from '../../exporters/console/value.js';
import type { AlertRecord } from '../history/reader.js';
import { EVENT_TEXT_LIMITS, eventText } from '../model/event-text.js';
import { plural } from './problems.js';
import type { CheckSummary, ServiceStatus, StatusReport } from './status-report.js';

const NONE = '—';

/** `4 s ago`, `3m 05s ago`; a time a clock apart from ours may put ahead of it reads `just now`. */
export function ago(time: number, now: number): string {
  const seconds = Math.round((now - time) / 1000);
  return seconds < 1 ? 'just now' : `${formatSeconds(seconds)} ago`;
}

/** How long since `time`: `3m 05s`. */
function lasting(time: number, now: number): string {
  return formatSeconds(Math.max(0, Math.round((now - time) / 1000)));
}

function share(value: number | undefined): string {
  return value === undefined ? NONE : formatFigure(value, '1', 'share.utilization');
}

/** `up`, `down`; the debounced state beside it when it says something else (a soft failure, a warning). */
function checkCell(check: CheckSummary | undefined): string {
  if (check === undefined) return NONE;
  const plain = check.up ? 'up' : 'down';
  const expected = check.up ? 'ok' : 'critical';
  return check.state === undefined || check.state === expected ? plain : `${plain} (${check.state})`;
}

function memoryCell(service: ServiceStatus): string {
  const { memoryBytes: bytes, memoryShare: fraction } = service;
  if (bytes === undefined) return share(fraction);
  return fraction === undefined ? formatBytes(bytes) : `${formatBytes(bytes)} (${share(fraction)})`;
}

function levelCell(service: ServiceStatus, now: number): string {
  return service.levelSince === undefined ? service.level : `${service.level} ${lasting(service.levelSince, now)}`;
}

function serviceRow(service: ServiceStatus, now: number): string[] {
  return [
    service.service,
    levelCell(service, now),
    checkCell(service.check),
    share(service.errorRate),
    service.responseTimeP95 === undefined ? NONE : formatSeconds(service.responseTimeP95),
    share(service.cpu),
    memoryCell(service),
    service.connections === undefined ? NONE : formatValue(service.connections),
    service.check === undefined ? NONE : ago(service.check.time, now),
    service.firing.length === 0 ? '' : String(service.firing.length),
  ];
}

/** The threshold as the rule wrote it when it did (`10:20`, `@~:5`), else the number. */
function thresholdText(alert: AlertRecord): string {
  return alert.thresholdText ?? formatValue(alert.threshold);
}

function alertRow(alert: AlertRecord, now: number): string[] {
  return [
    alert.service,
    alert.level.toUpperCase(),
    alert.rule,
    `${formatValue(alert.value)}/${thresholdText(alert)}`,
    `for ${lasting(alert.startsAt, now)}`,
    // The store's text came from an event that was cleaned once; this goes to a terminal, so again.
    alert.message === undefined ? '' : eventText(alert.message, EVENT_TEXT_LIMITS.message),
  ];
}

function summary(report: StatusReport, store: string): string {
  const firing = report.services.reduce((total, service) => total + service.firing.length, 0);
  const raised = `${report.raisedComplete ? '' : 'at least '}${plural(report.raised, 'alert')} raised in the last 24 h`;
  return `${plural(report.services.length, 'service')}, ${firing} firing, ${raised} (store ${store})`;
}

/**
 * The ancestor's status report, for a terminal: a summary line, one row per service (level
 * and how long it has held it, check state, error rate, response time p95, CPU, memory,
 * connections, last check, firing alerts), then every firing alert; `—` where the store
 * holds no figure. Lines are cut to `width`.
 */
export function statusText(report: StatusReport, store: string, width: number): string {
  const now = report.time;
  let text = `${fitLine(summary(report, store), width)}\n`;
  if (!report.history) {
    return `${text}No history exporter has written to this store yet: add the history exporter to a pipeline to keep what status shows.\n`;
  }
  if (report.services.length === 0) return `${text}No service has points or health events in the store yet.\n`;
  const header = ['SERVICE', 'LEVEL', 'CHECK', 'ERROR RATE', 'P95', 'CPU', 'MEMORY', 'CONN', 'LAST CHECK', 'FIRING'];
  text += `\n${alignRows([header, ...report.services.map((service) => serviceRow(service, now))], width)}`;
  const alerts = report.services.flatMap((service) => service.firing);
  if (alerts.length > 0) text += `\nFiring alerts\n${alignRows(alerts.map((alert) => alertRow(alert, now)), width)}`;
  return text;
}

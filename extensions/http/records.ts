import { isoTime, type AlertRecord, type ComponentStatus, type LatestValue, type RangeSeries, type ServiceOverview } from '../../src/index.js';
import { bounded } from './answer.js';
import { healthStatusOf } from './health-status.js';

// The API's JSON forms of what the reader and the status board hold: times as ISO 8601, as
// the console exporter writes them, and undefined fields left out.

const iso = (ms: number | undefined): string | undefined => (ms === undefined ? undefined : isoTime(ms));

export function serviceRecord(service: ServiceOverview) {
  return {
    service: service.service,
    level: service.level,
    status: healthStatusOf(service.level),
    level_since: iso(service.levelSince),
    last_point: iso(service.lastPoint),
    last_event: iso(service.lastEvent),
    firing: service.firing,
  };
}

export function alertRecord(alert: AlertRecord) {
  return {
    fingerprint: alert.fingerprint,
    service: alert.service,
    rule: alert.rule,
    level: alert.level,
    previous_level: alert.previousLevel,
    state: alert.state,
    value: alert.value,
    threshold: alert.threshold,
    threshold_text: alert.thresholdText,
    message: alert.message,
    starts_at: isoTime(alert.startsAt),
    ends_at: iso(alert.endsAt),
    labels: alert.labels,
    time: isoTime(alert.time),
  };
}

export function latestRecord(value: LatestValue) {
  return { metric: value.metric, unit: value.unit, attributes: value.attributes, value: value.value, time: isoTime(value.time) };
}

export function rangeRecord(series: RangeSeries) {
  return {
    service: series.service,
    metric: series.metric,
    unit: series.unit,
    attributes: series.attributes,
    resolution: series.resolution,
    points: series.points.map((point) => ({ time: isoTime(point.time), value: point.value })),
  };
}

export function componentRecord(status: ComponentStatus) {
  return {
    id: status.id,
    kind: status.kind,
    pipeline: status.pipeline,
    state: status.state,
    since: isoTime(status.since),
    // Already one redacted line (the status board's contract); bounded again, as every answer.
    last_error: status.lastError === undefined ? undefined : { message: bounded(status.lastError.message), time: isoTime(status.lastError.time) },
    restarts: status.restarts,
  };
}

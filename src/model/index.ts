export { Resource, Series, SeriesSet } from './series.js';
export type { AttributeValue, Attributes, MetricKind, ResourceOptions, SeriesDescriptor } from './series.js';
export type { MetricPoint, MetricBatch } from './point.js';
export { LEVELS } from './event.js';
export type { Level, EventState, HealthEvent, EventBatch } from './event.js';
export { EVENT_TEXT_LIMITS, TRUNCATED, eventLabels, eventText, healthEvent } from './event-text.js';
export type { HealthEventInit, Redactor } from './event-text.js';
export { SIGNALS } from './signal.js';
export type { Signal, SignalBatch, AnyBatch } from './signal.js';

// The public API for plugin authors: `import { defineReceiver } from 'healthpipe'`.
export {
  defineReceiver,
  defineProcessor,
  defineExporter,
  ComponentRegistry,
  collectEach,
  configuredAndDiscovered,
  knownInstances,
} from './component/index.js';
export type {
  AnyFactory,
  AppendLog,
  ComponentContext,
  ComponentKind,
  ComponentStorage,
  ComponentTelemetry,
  DiscoveredSet,
  Discovery,
  DiscoveryNeeds,
  Exporter,
  ExporterFactory,
  KeyValueStore,
  LogLevel,
  LogRecord,
  Logger,
  ProcessorFactory,
  PublishedSet,
  ReceiverFactory,
  ServiceInstance,
  TargetSet,
} from './component/index.js';
// Per-target polling for receivers: interval, spread, concurrency bound, timeout, target changes.
export { scheduleTargets } from './scheduling/index.js';
export type { CheckContext, ScheduledTarget, TargetScheduleOptions } from './scheduling/index.js';
// Files an operator names (registry files, PID files): non-blocking, regular files only, bounded in size and time.
export { FileReadError, readBoundedFile } from './io/bounded-read.js';
export type { ReadLimits } from './io/bounded-read.js';
// Waits longer than one Node timer can hold (a silence that ends in a month).
export { delayInSteps } from './component/long-timer.js';
export { Resource, Series, SeriesSet, LEVELS, SIGNALS, staleMarker } from './model/index.js';
// Reading an OpenTelemetry MeterProvider into points, as the `host` and `internal` receivers do.
export { MetricPointConverter } from './telemetry/convert.js';
export { PullMetricReader } from './telemetry/pull-reader.js';
// Every health event is made through healthEvent: texts bounded, secrets out.
export { EVENT_TEXT_LIMITS, TRUNCATED, eventLabels, eventText, healthEvent } from './model/index.js';
export { SecretMatcher, basicCredentials } from './config/secrets.js';
// YAML with every value's line and column (registry files): syntax errors as located problems.
export { parseYamlSource } from './config/parse.js';
export { formatProblem } from './config/problem.js';
export type { ConfigProblem } from './config/problem.js';
export type { LocatedNode, SourcePosition } from './config/located.js';
export type {
  AnyBatch,
  AttributeValue,
  Attributes,
  EventBatch,
  EventState,
  HealthEvent,
  HealthEventInit,
  Level,
  MetricBatch,
  MetricKind,
  MetricPoint,
  Redactor,
  ResourceOptions,
  SeriesDescriptor,
  Signal,
  SignalBatch,
} from './model/index.js';
export { duration, size, parseDuration, parseSize, MAX_TIMER_MS } from './config/units.js';
export type { Bounds, DurationBounds } from './config/units.js';
export { boundedInt, pid, port } from './config/numbers.js';
export type { IntegerBounds } from './config/numbers.js';
// A field whose value must never be shown: `token: secret()`.
export { secret } from './config/schema-secrets.js';
// An http(s) URL and request headers as every HTTP client component takes them.
export { httpHeaders, httpUrl } from './alerts/http-config.js';
// The one delivery mechanism of exporters that must not lose data (src/delivery/README.md).
export { DeliveryQueue, DeliveryFailure, DEFAULT_RETRY_POLICY, checkHttpAnswer, classifyError, httpVerdict, permanent, retryable } from './delivery/index.js';
export type { DeliveryQueueOptions, HttpAnswer, RetryPolicy, Verdict } from './delivery/index.js';
// Alerts as Alertmanager takes them (labels, annotations, fingerprint), for alert sinks of plugins.
export {
  DeliveredAlerts,
  JsonPoster,
  alertAnnotations,
  alertLabels,
  alertmanagerAlert,
  alertmanagerFingerprint,
  alertmanagerName,
  redactedUrl,
} from './alerts/index.js';
export type { AlertChange, AlertmanagerAlert, DeliveredAlert, JsonPostOptions } from './alerts/index.js';
export { HealthpipeError } from './errors.js';
export type { ErrorCode } from './errors.js';
// Plugins build their schemas with the same zod the loader validates with.
export { z } from 'zod';
export { PLUGIN_API_VERSION } from './plugins/loader.js';

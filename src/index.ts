// The public API for plugin authors: `import { defineReceiver } from 'healthpipe'`. The
// built-in components import from here only, so each is a working start for a plugin.

// Components: the define* helpers a plugin's factories are made with, and what create() gets.
export {
  defineReceiver,
  defineProcessor,
  defineExporter,
  defineExtension,
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
  TelemetryDetail,
  DiscoveredSet,
  Discovery,
  DiscoveryNeeds,
  Exporter,
  ExporterFactory,
  Extension,
  ExtensionContext,
  ExtensionFactory,
  FactoryKind,
  ComponentError,
  ComponentState,
  ComponentStatus,
  ComponentStatusReader,
  StatusReporter,
  RuntimeSilence,
  SilenceBook,
  SilenceInit,
  StoreDatabase,
  TableMigration,
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

// History: what the `history` exporter stored, as `status`, `history` and the `http` extension read it.
export { EMPTY_HISTORY, HISTORY_AGGREGATES } from './history/reader.js';
// The reader over the store (status, the HTTP API), and what the `history` exporter writes with.
export {
  attributeFilter,
  createHistoryReader,
  encodeRawChunk,
  floorMod,
  forEachRawPoint,
  HistorySketch,
  HISTORY_MIGRATIONS,
  HISTORY_OWNER,
  HOUR_MS,
  RollupFigures,
  MAX_ANSWER_STEPS,
  MAX_RANGE_STEPS,
  MINUTE_MS,
  SKETCH_RELATIVE_ACCURACY,
} from './history/index.js';
export type {
  AlertQuery,
  AlertRecord,
  HistoryAggregate,
  HistoryReader,
  LatestValue,
  RangeQuery,
  RangeSeries,
  SeriesIdentity,
  ServiceOverview,
} from './history/reader.js';

// Processors: an operator whose state is made per subscription, and the timers it schedules on the injected clock.
export { statefulOperator } from './component/stateful-operator.js';
export type { OperatorState } from './component/stateful-operator.js';
export { SubscriberTimer } from './component/subscriber-timer.js';
// Waits longer than one Node timer can hold (a silence that ends in a month).
export { delayInSteps } from './component/long-timer.js';

// Per-target polling for receivers: interval, spread, concurrency bound, timeout, target changes.
export { scheduleTargets } from './scheduling/index.js';
export type { CheckContext, ScheduledTarget, TargetScheduleOptions } from './scheduling/index.js';

// Files an operator names (registry files, PID files): non-blocking, regular files only, bounded in size and time;
// and the directories an exporter writes into, made without Node's unbounded recursive mkdir.
export { FileReadError, readBoundedFile } from './io/bounded-read.js';
export type { ReadLimits } from './io/bounded-read.js';
export { DirectoryError, ensureDirectory } from './io/ensure-directory.js';
// The servers of components (a scrape endpoint, the HTTP API): where they listen, and a bind that names the address when it fails.
export { closeServer, formatListenAddress, listenOn, parseListenAddress } from './io/listen.js';
export type { ListenAddress } from './io/listen.js';

// The data model: resources, series, points, health events, and how a series' attributes make its identity.
export { Resource, Series, SeriesSet, LEVELS, SIGNALS, staleMarker } from './model/index.js';
// Reading an OpenTelemetry MeterProvider into points, as the `host` and `internal` receivers do.
export { MetricPointConverter } from './telemetry/convert.js';
export { PullMetricReader } from './telemetry/pull-reader.js';
// YAML with every value's line and column (registry files): syntax errors as located problems.
export { parseYamlSource } from './config/parse.js';
export { formatProblem } from './config/problem.js';
export type { ConfigProblem } from './config/problem.js';
export type { LocatedNode, SourcePosition } from './config/located.js';
export { canonicalAttributes, canonicalValue } from './model/attributes.js';
// The one JSON line of a point and of an event (DESIGN.md, "Console JSON"), for exporters that write lines.
export { eventLine, pointLine } from './model/json-line.js';
export { isoTime } from './model/iso-time.js';
// Every health event is made through healthEvent: texts bounded, secrets out.
export { EVENT_TEXT_LIMITS, TRUNCATED, eventLabels, eventText, healthEvent } from './model/index.js';
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

// Schemas: plugins build theirs with the same zod the loader validates with, and the same field helpers.
export { z } from 'zod';
export { duration, size, parseDuration, parseSize, formatDuration, MAX_TIMER_MS } from './config/units.js';
export type { Bounds, DurationBounds } from './config/units.js';
export { boundedInt, pid, port } from './config/numbers.js';
export type { IntegerBounds } from './config/numbers.js';
// A field whose value must never be shown: `token: secret()`.
export { secret } from './config/schema-secrets.js';
// An http(s) URL and request headers as every HTTP client component takes them.
export { httpHeaders } from './alerts/http-config.js';

// Secrets: the one rule of what is secret (keys, environment variables, URL user-info), so a
// plugin hides from its messages what the agent hides from its logs.
export {
  SecretMatcher,
  basicCredentials,
  isSecretKey,
  isSecretVariableName,
  safeDecode,
  secretTexts,
  takeBasicAuthorization,
  urlCredentials,
} from './config/secrets.js';

// The one delivery mechanism of exporters that must not lose data (src/delivery/README.md).
export { DeliveryQueue, DeliveryFailure, DEFAULT_RETRY_POLICY, MemoryAppendLog, answerOf, checkHttpAnswer, headerOf, classifyError, httpVerdict, parseRetryAfter, permanent, retryable } from './delivery/index.js';
export type { DeliveryQueueOptions, DeliveryReceipt, HttpAnswer, RetryPolicy, StoreBound, Verdict } from './delivery/index.js';

// Alerts as Alertmanager takes them (labels, annotations, fingerprint), and the settings and
// POST every HTTP alert sink shares, for alert sinks of plugins.
export {
  DeliveredAlerts,
  JsonPoster,
  alertAnnotations,
  alertLabels,
  alertOf,
  alertmanagerAlert,
  alertmanagerFingerprint,
  alertmanagerName,
  redactedUrl,
  rfc3339,
} from './alerts/index.js';
export type { AlertChange, AlertmanagerAlert, DeliveredAlert, JsonPostOptions } from './alerts/index.js';
export { MAX_DELIVERED_ALERTS, httpSinkFields, httpUrl } from './alerts/http-config.js';
export { sinkSender } from './alerts/json-post.js';
// Run-time silences: what the HTTP API accepts to make one, the same matchers and times a cooldown's configured silences take.
export { SILENCE_LIMITS, instant, silenceComment, silenceInitFrom, silenceInitSchema, silenceMatchers } from './alerts/silence-input.js';
export type { SilenceInput } from './alerts/silence-input.js';
export { MAX_SILENCES } from './alerts/silence-book.js';

// Errors: one type, with a code.
export { HealthpipeError } from './errors.js';
export type { ErrorCode } from './errors.js';

// The plugin API this build serves: a plugin exports `apiVersion` equal to it.
export { PLUGIN_API_VERSION } from './plugins/loader.js';

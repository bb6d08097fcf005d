import { boundedInt, duration, httpHeaders, size, z } from '../../src/index.js';

/** The OTLP/HTTP encodings this exporter speaks (gRPC is not one of them). */
export const OTLP_PROTOCOLS = ['http/protobuf', 'http/json'] as const;
export const OTLP_COMPRESSIONS = ['gzip', 'none'] as const;

/** What applies when neither pipeline.yaml nor an OTEL_EXPORTER_OTLP_* variable says (the OTLP exporter specification's defaults). */
export const OTLP_DEFAULTS = {
  endpoint: 'http://localhost:4318',
  protocol: 'http/protobuf',
  compression: 'gzip',
  timeout: 10_000,
} as const;

/** An http(s) URL; the problem never repeats the value (it may hold a password). */
const url = () => z.url({ protocol: /^https?$/, error: 'expected an http:// or https:// URL' });

// `endpoint`, `metrics_endpoint`, `protocol`, `compression` and `timeout` have no schema
// default on purpose: the specification puts the OTEL_EXPORTER_OTLP_* variables between
// what the file says and the default, so "not written" must stay visible. Their defaults are
// OTLP_DEFAULTS, named in each description.
export const otlpConfigSchema = z
  .strictObject({
    endpoint: url()
      .optional()
      .describe(
        'Base URL of the OTLP/HTTP receiver; `/v1/metrics` is appended (`http://vm:8428/opentelemetry` → `…/opentelemetry/v1/metrics`). Unset: `OTEL_EXPORTER_OTLP_METRICS_ENDPOINT` (as given), else `OTEL_EXPORTER_OTLP_ENDPOINT` (+ `/v1/metrics`), else `http://localhost:4318`. User-info (`https://user:pass@host`) is sent as Basic auth and never logged.',
      ),
    metrics_endpoint: url()
      .optional()
      .describe('The full URL metrics are POSTed to, used as given; wins over `endpoint` and every variable.'),
    protocol: z
      .enum(OTLP_PROTOCOLS)
      .optional()
      .describe(
        'Encoding of the requests: `http/protobuf` (what every OTLP backend takes; VictoriaMetrics takes only this) or `http/json`. Unset: `OTEL_EXPORTER_OTLP_METRICS_PROTOCOL`, else `OTEL_EXPORTER_OTLP_PROTOCOL`, else `http/protobuf` (a `grpc` there is ignored, with a warning).',
      ),
    headers: httpHeaders().describe(
      'Headers sent with every request (`authorization`, an API key, a tenant). Merged over `OTEL_EXPORTER_OTLP_HEADERS` and `OTEL_EXPORTER_OTLP_METRICS_HEADERS` (`k1=v1,k2=v2`); these win per header. Values are secrets: never logged.',
    ),
    compression: z
      .enum(OTLP_COMPRESSIONS)
      .optional()
      .describe(
        'Request bodies gzip-compressed (`Content-Encoding: gzip`, the collector\'s default) or not. Unset: `OTEL_EXPORTER_OTLP_METRICS_COMPRESSION`, else `OTEL_EXPORTER_OTLP_COMPRESSION`, else `gzip`.',
      ),
    timeout: duration({ min: '100ms', max: '5m', maxReason: 'a request held longer holds every point queued behind it' })
      .optional()
      .describe(
        'The whole request, connecting to the last byte of the answer; past it the request is retried. Unset: `OTEL_EXPORTER_OTLP_METRICS_TIMEOUT`, else `OTEL_EXPORTER_OTLP_TIMEOUT` (milliseconds), else 10s.',
      ),
    retry_max_interval: duration({ min: '100ms', max: '10m', maxReason: 'a backend back up waits no longer than this for the backlog' })
      .prefault('5s')
      .describe(
        'Longest wait between two attempts (exponential backoff from 100ms, ×1.5, ±50 %; a `Retry-After` is honoured up to 5m). 429, 502, 503, 504, other 5xx, 408 and network errors are retried until delivered or dropped at the queue\'s bound; another 4xx drops the request, counted `failed` (`permanent`).',
      ),
    linger: duration({ max: '1s', maxReason: 'points are sent as they come, not on a reader\'s period' })
      .prefault('200ms')
      .describe(
        'How long an idle exporter waits after a batch for more before sending, so the batches of one collection go in one request. `0s` sends each batch at once; while a request is under way what arrives waits anyway and goes in the next.',
      ),
    max_request_size: size({ min: 1024, max: 64 * 1024 * 1024, maxReason: 'OTLP receivers are advised to refuse larger requests (413)' })
      .prefault('4MiB')
      .describe(
        'Largest request body before compression when queued batches are joined into one request (a backlog after an outage drains in requests this big); a single larger batch still goes alone.',
      ),
    queue: z
      .strictObject({
        max_points: boundedInt({ min: 1, max: 100_000_000, maxReason: 'a queue that large holds gigabytes' })
          .default(1_000_000)
          .describe('Most points waiting for delivery; past it the oldest batches are dropped, counted `dropped` (`queue_full`).'),
        max_size: size({ min: 64 * 1024 })
          .prefault('64MiB')
          .describe('Most bytes waiting, in memory or in the store with `disk_queue`, as held there: request bodies in base64, a third above their encoded size. Past it the oldest are dropped, counted `dropped` (`queue_full`).'),
      })
      .prefault({})
      .describe('Bounds of what waits for delivery while the backend is slow or down. Points are dropped only here (the oldest first) or on a permanent refusal.'),
    disk_queue: z
      .boolean()
      .default(false)
      .describe(
        'Keep what is not yet delivered in the store (`service.data_dir`) instead of memory: it survives a restart and a SIGKILL and is sent when the agent runs again. Costs one SQLite write per batch.',
      ),
  })
  .describe(
    'Ships metric points to an OTLP/HTTP backend (VictoriaMetrics, Mimir, an OTel Collector): protobuf or JSON, gzip, a bounded queue with retry and an optional on-disk queue.',
  );

export type OtlpConfig = z.output<typeof otlpConfigSchema>;

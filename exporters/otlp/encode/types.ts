import type { MetricBatch } from '../../../src/index.js';

export type OtlpProtocol = 'http/protobuf' | 'http/json';

export interface EncodedRequest {
  /** One ExportMetricsServiceRequest. */
  readonly body: Uint8Array;
  /** Data points it carries (staleness markers and skipped points not counted). */
  readonly points: number;
  /** 'application/x-protobuf' | 'application/json'. */
  readonly contentType: string;
}

/** Why a point of a batch is not in the request (staleness markers are not counted: they are not data). */
export type SkipReason = 'histogram' | 'nan';

export interface OtlpEncoderOptions {
  /** The instrumentation scope's name; `healthpipe` by default. */
  readonly scopeName?: string;
  /** The instrumentation scope's version; healthpipe's package version by default. */
  readonly scopeVersion?: string;
  /** Told, once per `encode` and reason, how many points were left out (so the exporter can count them as dropped). */
  readonly onSkipped?: (reason: SkipReason, count: number) => void;
}

export interface OtlpEncoder {
  /** One request for the batch; undefined when nothing in it is exportable (only stale markers). */
  encode(points: MetricBatch): EncodedRequest | undefined;
  /** Several already-encoded requests as one (protobuf: byte concatenation; json: merge of resourceMetrics). */
  concat(requests: readonly EncodedRequest[]): EncodedRequest;
}

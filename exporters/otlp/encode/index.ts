// OTLP encoding of our points, for the otlp exporter (exporters/otlp/*.ts).
export { createOtlpEncoder } from './encoder.js';
export type { EncodedRequest, OtlpEncoder, OtlpEncoderOptions, OtlpProtocol, SkipReason } from './types.js';

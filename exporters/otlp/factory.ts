import { defineExporter } from '../../src/index.js';
import { otlpConfigSchema } from './config.js';
import { createOtlpEncoder } from './encode/index.js';
import { createOtlpExporter } from './exporter.js';

export const otlpExporter = defineExporter({
  type: 'otlp',
  description:
    'Ships metric points to an OTLP/HTTP backend (protobuf or JSON, gzip): a bounded queue with retry, optionally on disk; honours OTEL_EXPORTER_OTLP_*.',
  schema: otlpConfigSchema,
  signals: ['metrics'],
  create: (config, ctx) => createOtlpExporter(config, ctx, { encoderFor: (protocol, options) => createOtlpEncoder(protocol, options) }),
});

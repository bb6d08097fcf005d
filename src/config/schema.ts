import { z } from 'zod';
import { boundedInt } from './numbers.js';
import { duration } from './units.js';

/** An absent or empty (`key:` with nothing) section is the same as an empty one. */
function orEmptyMap<S extends z.ZodType>(schema: S) {
  return z.preprocess((value) => value ?? {}, schema);
}

function listOf<S extends z.ZodType>(item: S) {
  return z.preprocess((value) => value ?? [], z.array(item));
}

/** Component sections are maps of id → that component's own config, checked by its factory. */
const componentSection = z.record(z.string(), z.unknown()).nullish();

/** The top level of pipeline.yaml. Only its shape: each section is checked on its own. */
export const rootSchema = z.strictObject({
  /** ES modules (paths starting with `.` or `/`) or installed npm packages that register components. */
  plugins: listOf(z.string().min(1)),
  receivers: componentSection,
  processors: componentSection,
  exporters: componentSection,
  extensions: componentSection,
  service: z.unknown().optional(),
});

export const pipelineSchema = orEmptyMap(
  z.strictObject({
    receivers: listOf(z.string()),
    processors: listOf(z.string()),
    exporters: listOf(z.string()),
  }),
);

export const LOG_LEVELS = ['debug', 'info', 'warn', 'error'] as const;

const DEFAULT_EXPORTER_QUEUE_SIZE = 100_000;

const serviceSettings = {
  /** The one store: state, outbox, queues, history. Relative to the first config file. */
  data_dir: z.string().min(1).default('./data'),
  telemetry: orEmptyMap(
    z.strictObject({
      logs: orEmptyMap(z.strictObject({ level: z.enum(LOG_LEVELS).default('info') })),
      metrics: orEmptyMap(
        z.strictObject({
          interval: duration({
            min: '1ms',
            max: '24h',
            maxReason: "the agent's own metrics read less than once a day tell nothing about it",
          }).prefault('15s'),
        }),
      ),
    }),
  ),
  /** How long stopping may take before what is left is abandoned. */
  shutdown_timeout: duration({
    min: '1ms',
    max: '1h',
    maxReason: 'a stop that may take longer looks hung to whoever asked for it (systemd gives up after 90s by default)',
  }).prefault('10s'),
  exporter_queue_size: boundedInt({
    min: 1,
    max: 10_000_000,
    maxReason: 'every waiting point holds memory, and ten million is already gigabytes',
  })
    .default(DEFAULT_EXPORTER_QUEUE_SIZE)
    .describe(
      'Metric points that may wait for one busy exporter before the oldest are dropped and counted; alerts are never dropped',
    ),
};

export const serviceExtensionsSchema = listOf(z.string());

/** The whole `service:` section, as documented. */
export const serviceSchema = orEmptyMap(
  z.strictObject({
    ...serviceSettings,
    extensions: serviceExtensionsSchema,
    pipelines: orEmptyMap(z.record(z.string(), pipelineSchema)),
  }),
);

/**
 * The loader checks `service:` without its pipelines and extensions, then each pipeline on
 * its own, so a problem in one part never hides the problems of another.
 */
export const serviceSettingsSchema = orEmptyMap(
  z.strictObject({ ...serviceSettings, extensions: z.unknown().optional(), pipelines: z.unknown().optional() }),
);

export type PipelineSection = z.output<typeof pipelineSchema>;

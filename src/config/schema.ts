import { z } from 'zod';
import { boundedInt } from './numbers.js';
import { duration } from './units.js';

/**
 * An absent or empty (`key:` with nothing) section is the same as an empty one. Written as
 * a default (not a rewrite of the value) so the docs show it as optional, default `{}`.
 */
function orEmptyMap<S extends z.ZodType>(schema: S) {
  return z.preprocess((value) => value ?? undefined, schema.prefault({} as z.input<S>));
}

function listOf<S extends z.ZodType>(item: S) {
  return z.preprocess((value) => value ?? undefined, z.array(item).prefault([]));
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
    receivers: listOf(z.string()).describe('Receiver ids whose points enter the pipeline.'),
    processors: listOf(z.string()).describe('Processor ids, applied in this order.'),
    exporters: listOf(z.string()).describe('Exporter ids that get what comes out.'),
  }),
);

export const LOG_LEVELS = ['debug', 'info', 'warn', 'error'] as const;

const DEFAULT_EXPORTER_QUEUE_SIZE = 100_000;

const serviceSettings = {
  data_dir: z
    .string()
    .min(1)
    .default('./data')
    .describe('The one store: state, outbox, queues, history. Relative to the first configuration file.'),
  telemetry: orEmptyMap(
    z.strictObject({
      logs: orEmptyMap(
        z.strictObject({ level: z.enum(LOG_LEVELS).default('info').describe('The least severe log line written.') }),
      ),
      metrics: orEmptyMap(
        z.strictObject({
          interval: duration({
            min: '1ms',
            max: '24h',
            maxReason: "the agent's own metrics read less than once a day tell nothing about it",
          })
            .prefault('15s')
            .describe("How often the agent's own metrics are read."),
        }),
      ),
    }),
  ).describe("The agent's own logs and metrics."),
  shutdown_timeout: duration({
    min: '1ms',
    max: '1h',
    maxReason: 'a stop that may take longer looks hung to whoever asked for it (systemd gives up after 90s by default)',
  })
    .prefault('10s')
    .describe('How long stopping may take before what is left is abandoned.'),
  exporter_queue_size: boundedInt({
    min: 1,
    max: 10_000_000,
    maxReason: 'every waiting point holds memory, and ten million is already gigabytes',
  })
    .default(DEFAULT_EXPORTER_QUEUE_SIZE)
    .describe(
      'Metric points that may wait for one busy exporter before the oldest are dropped and counted; alerts are never dropped.',
    ),
};

export const serviceExtensionsSchema = listOf(z.string()).describe('The extensions to start, by id.');

/** The whole `service:` section, as documented. */
export const serviceSchema = orEmptyMap(
  z.strictObject({
    ...serviceSettings,
    extensions: serviceExtensionsSchema,
    pipelines: orEmptyMap(z.record(z.string(), pipelineSchema)).describe(
      'The pipelines by id (`metrics[/name]`, `alerts[/name]`): receivers → processors → exporters.',
    ),
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

import { duration, pid, z } from '../../src/index.js';

/**
 * procfs reads /proc directly (Linux only, the fast path); pidusage works on every platform;
 * auto picks one when the receiver starts, so the default (and the generated docs) do not
 * depend on the platform the schema is loaded on.
 */
export const PROCESS_BACKENDS = ['auto', 'procfs', 'pidusage'] as const;
export type ProcessBackendName = (typeof PROCESS_BACKENDS)[number];

export const DEFAULT_BACKEND: ProcessBackendName = 'auto';

const SELECTORS = ['self', 'pid', 'pid_file'] as const;

export const processTargetSchema = z
  .strictObject({
    service: z.string().min(1).describe('service.name of the points of this process'),
    self: z.literal(true).optional().describe("Watch the pipeline's own process"),
    pid: pid().optional().describe('Watch the process with this PID'),
    pid_file: z
      .string()
      .min(1)
      .optional()
      .describe('Watch the PID written in this file; re-read on every scrape, so a restart is followed'),
    labels: z
      .record(z.string(), z.string())
      .default({})
      .describe('Extra resource attributes of this target (team, tier, …)'),
  })
  .refine((target) => SELECTORS.filter((key) => target[key] !== undefined).length === 1, {
    message: 'a process target needs exactly one of self: true, pid or pid_file',
  });

/** A metric outside the default set, switched on the collector's way: `metrics.<name>.enabled`. */
function optionalMetric(what: string, cost: string) {
  return z
    .strictObject({ enabled: z.boolean().default(false).describe(`Emit this metric. ${cost}`) })
    .prefault({})
    .describe(what);
}

export const processConfigSchema = z
  .strictObject({
    collection_interval: duration({
      min: '10ms',
      max: '24h',
      maxReason: 'a process read less than once a day is not watched',
    })
      .prefault('15s')
      .describe('How often every target is read; a scrape still running when the next is due skips it (counted)'),
    timeout: duration({ min: '10ms', max: '24h', maxReason: 'a scrape is cut long before a day' })
      .prefault('5s')
      .describe(
        'A scrape still running this long is cut, counted and logged, and the next starts on time; it may exceed collection_interval',
      ),
    targets: z.array(processTargetSchema).default([]).describe('Processes to watch, each by exactly one selector'),
    targets_from: z
      .array(z.string().min(1))
      .default([])
      .describe('Receiver ids whose discovered instances with a PID or PID file become targets (e.g. registry)'),
    backend: z
      .enum(PROCESS_BACKENDS)
      .default(DEFAULT_BACKEND)
      .describe('procfs reads /proc (Linux, fastest); pidusage works on macOS and Windows; auto is procfs on Linux, pidusage elsewhere'),
    metrics: z
      .strictObject({
        'process.unix.file_descriptor.count': optionalMetric(
          'Open file descriptors of each process (procfs only)',
          'Costs one more system call per process and scrape, about as much again as the default set',
        ),
      })
      .prefault({})
      .describe('Metrics beyond the default set, which is read with one /proc/PID/stat read per process'),
  })
  .describe('Process metrics by PID, PID file or the pipeline itself');

export type ProcessConfig = z.output<typeof processConfigSchema>;
export type ProcessTargetConfig = z.output<typeof processTargetSchema>;

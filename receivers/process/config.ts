import { z } from 'zod';
import { pid, port } from '../../src/config/numbers.js';
import { duration } from '../../src/config/units.js';
import type { EnabledMetrics, SwitchableMetric } from './metrics.js';

/**
 * procfs reads /proc directly (Linux only, the fast path); pidusage works on every platform;
 * auto picks one when the receiver starts, so the default (and the generated docs) do not
 * depend on the platform the schema is loaded on.
 */
export const PROCESS_BACKENDS = ['auto', 'procfs', 'pidusage'] as const;
export type ProcessBackendName = (typeof PROCESS_BACKENDS)[number];

export const DEFAULT_BACKEND: ProcessBackendName = 'auto';

export const SELECTORS = ['self', 'pid', 'pid_file', 'executable', 'command_line', 'port', 'cgroup', 'unit'] as const;

/** Linux truncates a process's `comm` to 15 bytes; a longer name is confirmed on argv[0] or the executable. */
export const COMM_LENGTH = 15;

/** Why `text` is not a usable regular expression, or undefined when it is one. */
export function regexProblem(text: string): string | undefined {
  try {
    new RegExp(text);
    return undefined;
  } catch (error) {
    return `expected a JavaScript regular expression: ${(error as Error).message}`;
  }
}

const commandLine = z
  .string()
  .min(1)
  .superRefine((text, ctx) => {
    const problem = regexProblem(text);
    if (problem !== undefined) ctx.addIssue({ code: 'custom', message: problem });
  });

/** A cgroup v2 path relative to the cgroup root: no `..`, so it cannot leave the cgroup tree. */
const cgroupPath = z
  .string()
  .min(1)
  .superRefine((text, ctx) => {
    if (text.split('/').some((part) => part === '..' || part === '.')) {
      ctx.addIssue({ code: 'custom', message: 'expected a cgroup path without . or .. segments, as /proc/PID/cgroup shows it' });
    }
  });

const unitName = z
  .string()
  .regex(/^[A-Za-z0-9:_.\\@-]+\.(service|scope|slice|socket|mount|swap|target|timer|path|device|automount)$/, {
    message: 'expected a systemd unit name such as nginx.service',
  });

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
    executable: z
      .string()
      .min(1)
      .regex(/^[^/]+$/, { message: 'expected a process name without a directory, as ps -o comm shows it' })
      .optional()
      .describe(
        `Watch every process of this name: its comm, as ps shows it; a name longer than ${COMM_LENGTH} characters, which Linux truncates in comm, is confirmed on the base name of argv[0] or of the executable`,
      ),
    command_line: commandLine
      .optional()
      .describe('Watch every process whose command line (arguments joined by spaces) this regular expression matches anywhere, as pgrep -f does'),
    port: port().optional().describe('Watch the processes holding a listening TCP socket (IPv4 or IPv6) on this local port'),
    cgroup: cgroupPath
      .optional()
      .describe('Watch every process in this cgroup v2 and its sub-cgroups, e.g. /system.slice/nginx.service'),
    unit: unitName
      .optional()
      .describe('Watch every process of this systemd unit (its cgroup: under system.slice, else found by name in the cgroup tree)'),
    exclude_self: z
      .boolean()
      .default(true)
      .describe("With a selector that matches several processes: leave out the pipeline's own process, as pgrep does (watch it with self: true)"),
    labels: z
      .record(z.string(), z.string())
      .default({})
      .describe('Extra resource attributes of this target (team, tier, …)'),
  })
  .superRefine((target, ctx) => {
    const given = SELECTORS.filter((key) => target[key] !== undefined);
    if (given.length !== 1) {
      ctx.addIssue({
        code: 'custom',
        message: `a process target needs exactly one of ${SELECTORS.map((key) => (key === 'self' ? 'self: true' : key)).join(', ')}${
          given.length > 1 ? ` (it has ${given.join(', ')})` : ''
        }`,
      });
    }
  });

/** A metric switched the collector's way: `metrics.<name>.enabled`. */
function metricSwitch(what: string, enabledByDefault: boolean, cost: string) {
  return z
    .strictObject({ enabled: z.boolean().default(enabledByDefault).describe(`Emit this metric. ${cost}`) })
    .prefault({})
    .describe(what);
}

const IN_DEFAULT_SET = 'On by default: read with the one /proc/PID/stat read of every scrape';

/** Every metric of the receiver but `process.scrape.error`, which always stays. */
const metricsSchema = z.strictObject({
  'process.cpu.time': metricSwitch('CPU seconds by cpu.mode', true, IN_DEFAULT_SET),
  'process.cpu.utilization': metricSwitch('CPU share since the previous scrape, 0..1 of all cores', true, IN_DEFAULT_SET),
  'process.memory.usage': metricSwitch('Resident set size', true, IN_DEFAULT_SET),
  'process.memory.utilization': metricSwitch('Resident set size as a share of host memory', true, IN_DEFAULT_SET),
  'process.memory.virtual': metricSwitch('Virtual memory size (procfs only)', true, IN_DEFAULT_SET),
  'process.thread.count': metricSwitch('Threads (procfs only)', true, IN_DEFAULT_SET),
  'process.uptime': metricSwitch('Seconds since the process started', true, IN_DEFAULT_SET),
  'process.unix.file_descriptor.count': metricSwitch(
    'Open file descriptors of each process (procfs only)',
    false,
    'Off by default: one more system call per process and scrape',
  ),
  'process.disk.io': metricSwitch(
    'Bytes read and written to storage, by disk.io.direction (procfs only; another user\'s process is unreadable unless the agent runs as root)',
    false,
    'Off by default: one more read per process and scrape',
  ),
  'process.network.connection.count': metricSwitch(
    'TCP sockets by network.connection.state (procfs only; sockets of the agent\'s network namespace)',
    false,
    'Off by default: one parse of /proc/net/tcp and tcp6 per scrape, plus a readlink per descriptor of each process',
  ),
});

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
      .describe('Receiver ids whose discovered instances with a PID, PID file, command line or executable become targets (e.g. registry)'),
    backend: z
      .enum(PROCESS_BACKENDS)
      .default(DEFAULT_BACKEND)
      .describe('procfs reads /proc (Linux, fastest); pidusage works on macOS and Windows; auto is procfs on Linux, pidusage elsewhere'),
    metrics: metricsSchema
      .prefault({})
      .describe('Each metric can be switched off; the default set costs one /proc/PID/stat read per process'),
    resource_attributes: z
      .strictObject({
        'process.command_line': z
          .strictObject({
            enabled: z
              .boolean()
              .default(false)
              .describe('Add the attribute. Read once per process (PID and start time), never per scrape'),
          })
          .prefault({})
          .describe('The whole command line, arguments joined by spaces (procfs only): it may hold secrets, so it is opt-in'),
      })
      .prefault({})
      .describe('Resource attributes beyond the default ones, the collector\'s way: `resource_attributes.<name>.enabled`'),
  })
  .describe('Process metrics by PID, PID file, name, command line, listening port, cgroup, systemd unit or the pipeline itself');

export type ProcessConfig = z.output<typeof processConfigSchema>;
export type ProcessTargetConfig = z.output<typeof processTargetSchema>;

/** Which metrics a scrape emits, from `metrics.<name>.enabled`. */
export function enabledMetrics(metrics: ProcessConfig['metrics']): EnabledMetrics {
  const enabled = {} as Record<SwitchableMetric, boolean>;
  for (const name of Object.keys(metrics) as SwitchableMetric[]) enabled[name] = metrics[name].enabled;
  return enabled;
}

/** The metrics on when nothing is configured. */
export const DEFAULT_ENABLED_METRICS: EnabledMetrics = enabledMetrics(metricsSchema.parse({}));

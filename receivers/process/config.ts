import { z } from 'zod';
import { pid, port } from '../../src/config/numbers.js';
import { duration } from '../../src/config/units.js';

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
      .describe('Receiver ids whose discovered instances with a PID, PID file, command line or executable become targets (e.g. registry)'),
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
  .describe('Process metrics by PID, PID file, name, command line, listening port, cgroup, systemd unit or the pipeline itself');

export type ProcessConfig = z.output<typeof processConfigSchema>;
export type ProcessTargetConfig = z.output<typeof processTargetSchema>;

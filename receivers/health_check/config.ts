import { boundedInt, duration, port, z } from '../../src/index.js';
import { httpCheckSchema } from './http/index.js';

/** The kinds of check a target names; each target names exactly one. */
export const CHECK_KINDS = ['http', 'tcp', 'exec'] as const;
export type CheckKind = (typeof CHECK_KINDS)[number];

export const tcpCheckSchema = z
  .strictObject({
    host: z.string().min(1).describe('Host name or address to connect to'),
    port: port().describe('TCP port to connect to'),
  })
  .describe('Healthy when a TCP connection opens within the timeout');

export const execCheckSchema = z
  .strictObject({
    command: z
      .array(z.string())
      .min(1)
      .refine((argv) => argv[0] !== '', 'the program (the first word) must not be empty')
      .describe('The plugin and its arguments, one word per item; run directly, never through a shell'),
    env: z
      .record(z.string().min(1), z.string())
      .default({})
      .describe('Environment of the plugin besides PATH and LC_ALL=C (the agent passes nothing else of its own); values under names such as PGPASSWORD are kept out of messages'),
    cwd: z.string().min(1).optional().describe("Working directory of the plugin; the agent's when absent"),
  })
  .describe('Runs a Nagios-compatible plugin: exit 0–3 is ok, warning, critical, unknown; the first line is the message; perfdata becomes healthcheck.perfdata');

const MAX_INTERVAL = { max: '24h', maxReason: 'a service checked less than once a day is not watched' } as const;

function interval() {
  return duration({ min: '100ms', ...MAX_INTERVAL });
}

function timeout() {
  return duration({ min: '10ms', max: '1h', maxReason: 'a check is cut long before an hour' });
}

export const healthCheckTargetSchema = z
  .strictObject({
    service: z.string().min(1).describe('service.name of the points of this target'),
    labels: z
      .record(z.string(), z.string())
      .default({})
      .describe('Extra resource attributes of this target (team, tier, …)'),
    collection_interval: interval().optional().describe("This target's interval; the receiver's when absent"),
    timeout: timeout().optional().describe("This target's timeout; the receiver's when absent. May exceed the interval"),
    http: httpCheckSchema.optional().describe('Check an HTTP(S) endpoint'),
    tcp: tcpCheckSchema.optional(),
    exec: execCheckSchema.optional(),
  })
  .superRefine((target, ctx) => {
    const given = CHECK_KINDS.filter((kind) => target[kind] !== undefined);
    if (given.length === 1) return;
    ctx.addIssue({
      code: 'custom',
      message:
        given.length === 0
          ? 'a health check target needs one of http, tcp or exec'
          : `a health check target needs exactly one of http, tcp or exec, not ${given.join(' and ')}`,
    });
  });

export const healthCheckConfigSchema = z
  .strictObject({
    collection_interval: interval()
      .prefault('15s')
      .describe('How often every target is checked, at a fixed point of the interval per target (spread over it)'),
    timeout: timeout()
      .prefault('5s')
      .describe('A check still running this long is cut and reported as critical with error.type timeout; it may exceed collection_interval (the busy target skips a tick, counted)'),
    concurrency: boundedInt({ min: 1, max: 10_000, maxReason: 'more checks at once than this exhaust sockets and processes' })
      .default(100)
      .describe('At most this many checks run at once; a check due while all run waits its turn'),
    failure_threshold: boundedInt({ min: 1, max: 100, maxReason: 'a state held back for more than 100 checks is not debounced but hidden' })
      .default(3)
      .describe('Consecutive non-ok results that move healthcheck.state from ok to the failing state (Nagios soft → hard)'),
    success_threshold: boundedInt({ min: 1, max: 100, maxReason: 'a state held back for more than 100 checks is not debounced but hidden' })
      .default(2)
      .describe('Consecutive ok results that move healthcheck.state back to ok'),
    targets: z
      .array(healthCheckTargetSchema)
      .default([])
      .describe('Services to check, each with exactly one of http, tcp or exec'),
    targets_from: z
      .array(z.string().min(1))
      .default([])
      .describe('Receiver ids whose discovered instances become targets: those with a health URL are checked over HTTP, else those with host and port over TCP'),
  })
  .describe('Checks services over HTTP, TCP or a Nagios plugin, with a point on every check');

export type HealthCheckConfig = z.output<typeof healthCheckConfigSchema>;
export type HealthCheckTargetConfig = z.output<typeof healthCheckTargetSchema>;
export type TcpCheckConfig = z.output<typeof tcpCheckSchema>;
export type ExecCheckConfig = z.output<typeof execCheckSchema>;

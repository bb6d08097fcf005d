import { pid, port, z, type ServiceInstance } from '../../src/index.js';
import type { RegistryEntry } from './source.js';

function isRegex(text: string): boolean {
  try {
    new RegExp(text);
    return true;
  } catch {
    return false;
  }
}

/**
 * One instance as a registry holds it (an etcd value, a file entry, an http_sd target as
 * mapped by its source). Strict: a misspelt field is a reported, skipped instance, not a
 * silently unwatched one.
 */
export const instanceSchema = z.strictObject({
  id: z
    .string()
    .min(1)
    .optional()
    .describe("The instance's id: required in a file's list form; elsewhere the key gives it, and an `id` written here must equal it"),
  service: z.string().min(1).describe('service.name of everything watched for this instance'),
  host: z.string().min(1).optional().describe('Host name or address: with `port`, a TCP check when there is no `health_url`'),
  port: port().optional().describe('TCP port'),
  health_url: z
    .url({ protocol: /^https?$/, error: 'expected an http:// or https:// URL' })
    .optional()
    .describe('Checked over HTTP by health_check'),
  pid: pid().optional().describe('Watched by the process receiver'),
  pid_file: z.string().min(1).optional().describe('Watched by the process receiver (the PID it holds)'),
  command_line: z
    .string()
    .min(1)
    .refine(isRegex, 'expected a regular expression')
    .optional()
    .describe('A regex over the command line, as `pgrep -f` matches: the process selector'),
  executable: z.string().min(1).optional().describe("The executable's name: the process selector"),
  labels: z.record(z.string(), z.string()).default({}).describe('Extra resource attributes (team, zone, …)'),
});

export type InstanceValue = z.output<typeof instanceSchema>;

export type InstanceCheck = { readonly ok: true; readonly instance: ServiceInstance } | { readonly ok: false; readonly reason: string };

/** Past this many problems of one entry, the rest are counted, not listed: a reason stays one readable line. */
const SHOWN_ISSUES = 3;

function issueText(issues: readonly z.core.$ZodIssue[]): string {
  const shown = issues.slice(0, SHOWN_ISSUES).map((issue) => {
    const path = issue.path.map(String).join('.');
    return path === '' ? issue.message : `${path}: ${issue.message}`;
  });
  const more = issues.length - shown.length;
  return more > 0 ? `${shown.join('; ')} (and ${more} more)` : shown.join('; ');
}

/**
 * The entry as an instance of `source`, or why it is not one. Its id is the entry's (the
 * key after the prefix, the file entry's `id`, the http_sd target); a written `id` must agree.
 */
export function instanceOf(entry: RegistryEntry, source: string): InstanceCheck {
  if (entry.id === '') return { ok: false, reason: 'has no id (a list entry needs an `id` field)' };
  if (entry.unreadable !== undefined) return { ok: false, reason: entry.unreadable };
  const parsed = instanceSchema.safeParse(entry.value);
  if (!parsed.success) return { ok: false, reason: issueText(parsed.error.issues) };
  const value = parsed.data;
  if (value.id !== undefined && value.id !== entry.id) {
    return { ok: false, reason: `its id field "${value.id}" differs from its key "${entry.id}"` };
  }
  return {
    ok: true,
    instance: {
      id: entry.id,
      source,
      service: value.service,
      labels: value.labels,
      ...(value.host === undefined ? {} : { host: value.host }),
      ...(value.port === undefined ? {} : { port: value.port }),
      ...(value.health_url === undefined ? {} : { healthUrl: value.health_url }),
      ...(value.pid === undefined ? {} : { pid: value.pid }),
      ...(value.pid_file === undefined ? {} : { pidFile: value.pid_file }),
      ...(value.command_line === undefined ? {} : { commandLine: value.command_line }),
      ...(value.executable === undefined ? {} : { executable: value.executable }),
    },
  };
}

import type { RegistryEntry } from '../source.js';

export type TargetGroupsRead = { readonly ok: true; readonly entries: RegistryEntry[] } | { readonly ok: false; readonly reason: string };

interface TargetGroup {
  readonly targets: readonly string[];
  readonly labels: Readonly<Record<string, string>>;
}

/** The label a health URL is taken from, when a group has it. */
const HEALTH_URL_LABEL = 'health_url';

function isStringRecord(value: unknown): value is Record<string, string> {
  return value !== null && typeof value === 'object' && !Array.isArray(value) && Object.values(value).every((item) => typeof item === 'string');
}

/** The groups of an http_sd answer, or why the whole answer is refused (Prometheus refuses it whole too). */
function groupsOf(list: unknown): TargetGroup[] | string {
  if (!Array.isArray(list)) return 'the answer is not a JSON list of target groups';
  const groups: TargetGroup[] = [];
  for (const [index, group] of list.entries()) {
    if (group === null || typeof group !== 'object' || Array.isArray(group)) return `[${index}] is not a target group object`;
    const { targets, labels } = group as { targets?: unknown; labels?: unknown };
    if (!Array.isArray(targets) || !targets.every((target) => typeof target === 'string')) return `[${index}].targets is not a list of strings`;
    if (labels !== undefined && !isStringRecord(labels)) return `[${index}].labels is not a map of strings`;
    groups.push({ targets, labels: labels ?? {} });
  }
  return groups;
}

/** `host:port`, `[v6]:port` or a bare host: the port as written (the instance schema judges it). */
function splitTarget(target: string): { host: string; port?: number | string } {
  const bracketed = /^\[([^\]]*)\](?::(.*))?$/.exec(target);
  if (bracketed !== null) return portOf(bracketed[1]!, bracketed[2]);
  const colon = target.lastIndexOf(':');
  // Several colons without brackets: an IPv6 address without a port.
  if (colon === -1 || target.indexOf(':') !== colon) return { host: target };
  return portOf(target.slice(0, colon), target.slice(colon + 1));
}

function portOf(host: string, port: string | undefined): { host: string; port?: number | string } {
  if (port === undefined) return { host };
  return { host, port: /^\d+$/.test(port) ? Number(port) : port };
}

/**
 * The instance of one target: `host` and `port` from the target, `service` from the
 * `service` label else `job`, `health_url` from the `health_url` label; every other label
 * but those starting with `__` (`__meta_*`, `__address__`, …, Prometheus' internal ones).
 */
function targetValue(target: string, labels: Readonly<Record<string, string>>): Record<string, unknown> {
  const kept: Record<string, string> = {};
  for (const [name, value] of Object.entries(labels)) {
    if (!name.startsWith('__') && name !== HEALTH_URL_LABEL) kept[name] = value;
  }
  const service = labels['service'] ?? labels['job'];
  const healthUrl = labels[HEALTH_URL_LABEL];
  return {
    ...splitTarget(target),
    ...(service === undefined ? {} : { service }),
    ...(healthUrl === undefined ? {} : { health_url: healthUrl }),
    labels: kept,
  };
}

/**
 * An http_sd answer as registry entries, one per target. The id is the target (`host:port`);
 * a target listed by several groups is one instance per group's service, each with the id
 * `host:port/service` (the same target under the same service twice is reported as a
 * duplicate by the receiver). `where` is the redacted URL and the target's place in the list.
 */
export function targetEntries(body: string, shownUrl: string, seenAt: number): TargetGroupsRead {
  let list: unknown;
  try {
    list = JSON.parse(body);
  } catch (error) {
    return { ok: false, reason: `the answer is not JSON (${error instanceof Error ? error.message : String(error)})` };
  }
  const groups = groupsOf(list);
  if (typeof groups === 'string') return { ok: false, reason: groups };
  const listings = new Map<string, number>();
  for (const group of groups) for (const target of new Set(group.targets)) listings.set(target, (listings.get(target) ?? 0) + 1);
  const entries: RegistryEntry[] = [];
  for (const [groupIndex, group] of groups.entries()) {
    for (const [targetIndex, target] of group.targets.entries()) {
      const value = targetValue(target, group.labels);
      const id = listings.get(target)! > 1 ? `${target}/${String(value['service'] ?? '')}` : target;
      entries.push({ id, value, seenAt, where: `${shownUrl} [${groupIndex}].targets[${targetIndex}]` });
    }
  }
  return { ok: true, entries };
}

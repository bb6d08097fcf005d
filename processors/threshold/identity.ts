import { createHash } from 'node:crypto';
import { canonicalAttributes, eventLabels } from '../../src/index.js';
import type { AttributeValue, Series } from '../../src/index.js';
import type { CompiledRule } from './rule.js';
import type { AlertIdentity } from './series-state.js';

/**
 * The alert identity of a series under a rule, made once per state. Labels: the resource's
 * identifying attributes (volatile ones such as `process.pid` are not among them), the
 * series' attributes less `aggregate` (the rule already says which figure it reads, so
 * changing it keeps the alert) and less the attributes a `sum_over` rule adds up, then the
 * rule's labels, then `service`. The fingerprint hashes the rule and those labels as
 * `healthEvent` will leave them — never the level, the value or the message.
 */
export function alertIdentity(rule: CompiledRule, series: Series): AlertIdentity {
  const service = series.resource.serviceName;
  const raw: Record<string, AttributeValue> = { ...series.resource.identifyingAttributes };
  for (const [key, value] of Object.entries(series.attributes)) {
    if (key === 'aggregate' || rule.sumOver?.includes(key) === true) continue;
    raw[key] = value;
  }
  Object.assign(raw, rule.labels, { service });
  const labels = eventLabels(raw);
  const fingerprint = createHash('sha256')
    .update(JSON.stringify(rule.name))
    .update(canonicalAttributes(labels))
    .digest('hex')
    .slice(0, 16);
  return { service, fingerprint, labels };
}

/** The key of the group a `sum_over` rule adds a series into: the series without the summed attributes. */
export function groupKey(series: Series, sumOver: readonly string[]): string {
  const kept: Record<string, AttributeValue> = {};
  for (const [key, value] of Object.entries(series.attributes)) if (!sumOver.includes(key)) kept[key] = value;
  return `${JSON.stringify(series.name)}${canonicalAttributes(kept)}@${series.resource.identity}`;
}

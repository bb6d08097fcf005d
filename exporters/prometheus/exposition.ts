import type { AttributeValue, Attributes } from '../../src/index.js';
import { labelName } from './names.js';

/** The text exposition format 0.0.4, which every Prometheus scrapes. */
export const CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8';

/** A label value: `\`, `"` and line feeds escaped. */
export function escapeLabelValue(value: string): string {
  return value.replace(/[\\"\n]/g, (char) => (char === '\n' ? '\\n' : `\\${char}`));
}

/** A `# HELP` text: `\` and line feeds escaped (quotes stay). */
export function escapeHelp(text: string): string {
  return text.replace(/[\\\n]/g, (char) => (char === '\n' ? '\\n' : '\\\\'));
}

/** A sample value as Go's ParseFloat reads it: `NaN`, `+Inf`, `-Inf`, or the number. */
export function formatValue(value: number): string {
  if (Number.isNaN(value)) return 'NaN';
  if (value === Number.POSITIVE_INFINITY) return '+Inf';
  if (value === Number.NEGATIVE_INFINITY) return '-Inf';
  return String(value);
}

/** OpenTelemetry's rule for non-string attribute values as label values. */
function labelValue(value: AttributeValue): string {
  return typeof value === 'string' ? value : String(value);
}

/**
 * Attributes as label name → value. Names that sanitize to the same label (`a.b`, `a_b`) are
 * joined with `;` in the order of their original names, as the collector's exporter does;
 * names that sanitize to nothing are left out.
 */
export function labelsOf(attributes: Attributes, into: Map<string, string> = new Map()): Map<string, string> {
  for (const name of Object.keys(attributes).sort()) {
    const label = labelName(name);
    if (label === '') continue;
    const value = labelValue(attributes[name]!);
    const previous = into.get(label);
    into.set(label, previous === undefined ? value : `${previous};${value}`);
  }
  return into;
}

/** `{a="1",b="2"}` with the names sorted, or nothing for no labels. */
export function formatLabels(labels: ReadonlyMap<string, string>): string {
  if (labels.size === 0) return '';
  const names = [...labels.keys()].sort();
  return `{${names.map((name) => `${name}="${escapeLabelValue(labels.get(name)!)}"`).join(',')}}`;
}

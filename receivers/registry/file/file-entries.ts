import { formatProblem, parseYamlSource, type LocatedNode, type SourcePosition } from '../../../src/index.js';
import type { RegistryEntry, SourceUpdate } from '../source.js';
import { plainValue } from './plain-value.js';

/** Past this many syntax problems the reason names the first ones only. */
const SHOWN_PROBLEMS = 3;

function at(position: SourcePosition): string {
  return `${position.file}:${position.line}:${position.column}`;
}

/** A list item's `id` (a string, or a number written without quotes); '' when it has none. */
function listItemId(item: LocatedNode): string {
  if (item.kind !== 'map') return '';
  const id = item.entries.get('id')?.value;
  if (id?.kind !== 'scalar') return '';
  return typeof id.value === 'string' || typeof id.value === 'number' ? String(id.value) : '';
}

/**
 * A registry file's text as a source update. Two forms: a list of instances each with an
 * `id`, or a map of id → instance. JSON is read as the YAML it also is. A syntax error is
 * the registry down, with `file:line:col` and the parser's reason; an empty file too (a
 * file being rewritten in place is empty for a moment; a registry without instances is
 * written `[]`). Each entry's `where` is the line and column of its id or list item.
 */
export function fileUpdate(file: string, text: string, seenAt: number): SourceUpdate {
  if (text.trim() === '') return { kind: 'down', reason: `${file}: is empty (a registry without instances is written [])` };
  const parsed = parseYamlSource(file, text);
  if (!parsed.ok) {
    const shown = parsed.problems.slice(0, SHOWN_PROBLEMS).map(formatProblem).join('; ');
    const more = parsed.problems.length - SHOWN_PROBLEMS;
    return { kind: 'down', reason: more > 0 ? `${shown} (and ${more} more)` : shown };
  }
  const root = parsed.root;
  if (root.kind === 'seq') {
    const entries = root.items.map((item): RegistryEntry => ({ id: listItemId(item), value: plainValue(item), seenAt, where: at(item.position) }));
    return { kind: 'set', entries };
  }
  if (root.kind === 'map') {
    const entries = [...root.entries.values()].map(
      (entry): RegistryEntry => ({ id: entry.key, value: plainValue(entry.value), seenAt, where: at(entry.keyPosition) }),
    );
    return { kind: 'set', entries };
  }
  return { kind: 'down', reason: `${at(root.position)}: expected a list of instances or a map of id → instance` };
}

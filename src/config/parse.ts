import { LineCounter, isAlias, isMap, isPair, isScalar, isSeq, parseDocument, type Document, type Node } from 'yaml';
import type { ConfigProblem } from './problem.js';
import type { LocatedEntry, LocatedNode, SourcePosition } from './located.js';

export type ParsedSource = { ok: true; root: LocatedNode } | { ok: false; problems: ConfigProblem[] };

/**
 * Parses one YAML file into a located tree. Syntax errors become problems with their line
 * and column; their messages drop yaml's source excerpt, which could show a secret.
 */
export function parseYamlSource(file: string, text: string): ParsedSource {
  const lineCounter = new LineCounter();
  const document = parseDocument(text, { lineCounter, prettyErrors: true });
  if (document.errors.length > 0) {
    return {
      ok: false,
      problems: document.errors.map((error) => {
        const start = error.linePos?.[0];
        return {
          file,
          ...(start === undefined ? {} : { line: start.line, column: start.col }),
          path: '',
          message: `YAML syntax error: ${
            error.code === 'MULTIPLE_DOCS'
              ? 'a configuration file holds one YAML document, this one has several (---)'
              : withoutExcerpt(error.message)
          }`,
        };
      }),
    };
  }
  const at = (offset: number): SourcePosition => {
    const { line, col } = lineCounter.linePos(offset);
    return { file, line, column: col };
  };
  const contents = document.contents;
  // An empty file (or only comments) contributes nothing, as an empty map.
  if (contents === null) return { ok: true, root: { kind: 'map', position: at(0), entries: new Map() } };
  const converted = toLocated(contents, document, at, new Set());
  if ('problem' in converted) return { ok: false, problems: [converted.problem] };
  return { ok: true, root: converted };
}

/** yaml formats `message at line L, column C:\n\n<source line>\n   ^`; keep only the message. */
function withoutExcerpt(message: string): string {
  const cut = message.indexOf(' at line ');
  return (cut === -1 ? message.split('\n')[0] ?? message : message.slice(0, cut)).trim();
}

type Conversion = LocatedNode | { problem: ConfigProblem };

function toLocated(
  node: Node,
  document: Document,
  at: (offset: number) => SourcePosition,
  resolving: Set<Node>,
  ownPosition?: SourcePosition,
): Conversion {
  const position = ownPosition ?? at(node.range?.[0] ?? 0);
  if (isAlias(node)) {
    const target = node.resolve(document);
    if (target === undefined || resolving.has(target)) {
      return { problem: { ...position, path: '', message: `YAML alias *${node.source} cannot be resolved` } };
    }
    resolving.add(target);
    // The alias's own position is where the value is used, so problems point there.
    const resolved = toLocated(target, document, at, resolving, position);
    resolving.delete(target);
    return resolved;
  }
  if (isScalar(node)) return { kind: 'scalar', value: node.value, position };
  if (isSeq(node)) {
    const items: LocatedNode[] = [];
    for (const item of node.items) {
      const converted = toLocated(item as Node, document, at, resolving);
      if ('problem' in converted) return converted;
      items.push(converted);
    }
    return { kind: 'seq', position, items };
  }
  if (isMap(node)) {
    const entries = new Map<string, LocatedEntry>();
    for (const pair of node.items) {
      if (!isPair(pair)) continue;
      const keyNode = pair.key as Node | null;
      const keyPosition = keyNode?.range ? at(keyNode.range[0]) : position;
      if (!isScalar(keyNode)) {
        return { problem: { ...keyPosition, path: '', message: 'map keys must be plain scalars' } };
      }
      const key = String(keyNode.value);
      const valueNode = pair.value as Node | null;
      let value: Conversion;
      if (valueNode === null || isEmptyScalar(valueNode)) {
        // `console:` with nothing after it: point at the key, there is no value to point at.
        value = { kind: 'scalar', value: null, position: keyPosition };
      } else {
        value = toLocated(valueNode, document, at, resolving);
      }
      if ('problem' in value) return value;
      entries.set(key, { key, keyPosition, value });
    }
    return { kind: 'map', position, entries };
  }
  return { problem: { ...position, path: '', message: 'unsupported YAML node' } };
}

function isEmptyScalar(node: Node): boolean {
  const range = node.range;
  return isScalar(node) && node.value === null && range !== undefined && range !== null && range[0] === range[1];
}

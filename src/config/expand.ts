import { expandEnvReferences, rereadScalar, type Environment } from './env.js';
import type { LocatedEntry, LocatedNode, PathSegment, SourcePosition } from './located.js';

export interface EnvProblem {
  readonly path: PathSegment[];
  readonly position: SourcePosition;
  readonly message: string;
}

export interface ExpandedTree {
  readonly root: LocatedNode;
  readonly problems: EnvProblem[];
  /** Every piece of text that came from the environment: never to appear in a message. */
  readonly environmentValues: Set<string>;
}

/**
 * Expands env references in every string value (not in keys), after merging, so a
 * reference overridden by a later file is never resolved — the collector's order.
 */
export function expandEnvInTree(root: LocatedNode, environment: Environment): ExpandedTree {
  const problems: EnvProblem[] = [];
  const environmentValues = new Set<string>();

  // One path, pushed and popped as the walk goes; copied only for a problem.
  const path: PathSegment[] = [];
  const visit = (node: LocatedNode): LocatedNode => {
    if (node.kind === 'map') {
      const entries = new Map<string, LocatedEntry>();
      for (const [key, entry] of node.entries) {
        path.push(key);
        entries.set(key, { ...entry, value: visit(entry.value) });
        path.pop();
      }
      return { ...node, entries };
    }
    if (node.kind === 'seq') {
      return {
        ...node,
        items: node.items.map((item, index) => {
          path.push(index);
          const visited = visit(item);
          path.pop();
          return visited;
        }),
      };
    }
    if (typeof node.value !== 'string' || !node.value.includes('$')) return node;
    const expansion = expandEnvReferences(node.value, environment);
    if (!expansion.ok) {
      problems.push({ path: [...path], position: node.position, message: expansion.message });
      return node;
    }
    for (const value of expansion.environmentValues) environmentValues.add(value);
    const origin = expansion.variables.length === 0 ? {} : { envReferences: expansion.variables };
    if (!expansion.wholeReference) return { ...node, ...origin, value: expansion.text };
    const value = rereadScalar(expansion.text);
    return typeof value === 'string' ? { ...node, ...origin, value } : { ...node, ...origin, value, envText: expansion.text };
  };

  return { root: visit(root), problems, environmentValues };
}

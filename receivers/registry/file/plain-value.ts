import type { LocatedNode } from '../../../src/index.js';

/** The value a located node holds, without its positions: what the instance schema validates. */
export function plainValue(node: LocatedNode): unknown {
  switch (node.kind) {
    case 'scalar':
      return node.value;
    case 'seq':
      return node.items.map(plainValue);
    case 'map':
      // fromEntries defines own properties: a `__proto__` key stays a key (and is refused as unknown).
      return Object.fromEntries([...node.entries.values()].map((entry) => [entry.key, plainValue(entry.value)]));
  }
}

import { isAlias, isMap, isScalar, isSeq, type Alias, type Node, type YAMLMap } from 'yaml';
import { MAX_ALIAS_NODES, MAX_ALIASES, MAX_NESTING_DEPTH } from './limits.js';
import type { LocatedEntry, LocatedNode, SourcePosition } from './located.js';
import type { ConfigProblem } from './problem.js';

export type LocatedConversion = { ok: true; root: LocatedNode } | { ok: false; problems: ConfigProblem[] };

/** The alias written in the file whose expansion is being built: problems inside it point there. */
interface Expansion {
  readonly alias: string;
  readonly position: SourcePosition;
}

/**
 * Turns a yaml document's contents into a located tree, expanding aliases. Aliases are
 * resolved in one pass (yaml's own `Alias.resolve` searches the whole document per alias)
 * and bounded in number and in the nodes they add; nesting is bounded too, also through
 * aliases. Duplicate keys are all reported; any other problem stops the conversion.
 */
export function toLocatedTree(contents: Node, at: (offset: number) => SourcePosition): LocatedConversion {
  const builder = new LocatedTreeBuilder(at);
  const root = builder.build(contents, 1, undefined);
  if (root === undefined || builder.problems.length > 0) return { ok: false, problems: builder.problems };
  return { ok: true, root };
}

class LocatedTreeBuilder {
  readonly problems: ConfigProblem[] = [];
  /** The latest node carrying each anchor, in document order: what an alias written now means. */
  private readonly anchors = new Map<string, Node>();
  /** Each alias's target, fixed where the alias is written (a later anchor of the same name does not change it). */
  private readonly targets = new Map<Alias, Node>();
  /** Anchored nodes being built: an alias to one of them would contain itself. */
  private readonly resolving = new Set<Node>();
  private aliases = 0;
  private aliasNodes = 0;

  constructor(private readonly at: (offset: number) => SourcePosition) {}

  /**
   * `depth` is the nesting level of `node` (1 for the root); `expansion` is set while
   * repeating an alias's target, whose anchors and duplicates were seen where it was written.
   */
  build(node: Node, depth: number, expansion: Expansion | undefined, ownPosition?: SourcePosition): LocatedNode | undefined {
    const position = ownPosition ?? this.at(node.range?.[0] ?? 0);
    if (expansion === undefined) this.remember(node);
    else if (!this.countAliasNode(expansion)) return undefined;
    if (isAlias(node)) return this.expand(node, depth, expansion ?? { alias: node.source, position }, position);
    if (isScalar(node)) return { kind: 'scalar', value: node.value, position };
    if (depth > MAX_NESTING_DEPTH) {
      const through = expansion === undefined ? '' : ` once the alias *${expansion.alias} is expanded`;
      return this.fail(expansion?.position ?? position, `nested deeper than ${MAX_NESTING_DEPTH} levels of maps and lists${through}`);
    }
    if (isSeq(node)) {
      const items: LocatedNode[] = [];
      for (const item of node.items) {
        const converted = this.build(item as Node, depth + 1, expansion);
        if (converted === undefined) return undefined;
        items.push(converted);
      }
      return { kind: 'seq', position, items };
    }
    if (isMap(node)) return this.map(node as YAMLMap<Node, Node | null>, position, depth, expansion);
    return this.fail(position, 'unsupported YAML node');
  }

  private map(node: YAMLMap<Node, Node | null>, position: SourcePosition, depth: number, expansion: Expansion | undefined): LocatedNode | undefined {
    const entries = new Map<string, LocatedEntry>();
    for (const { key: keyNode, value: valueNode } of node.items) {
      const keyPosition = keyNode?.range ? this.at(keyNode.range[0]) : position;
      if (!isScalar(keyNode)) return this.fail(keyPosition, 'map keys must be plain scalars');
      if (expansion === undefined) this.remember(keyNode);
      else if (!this.countAliasNode(expansion)) return undefined;
      const key = String(keyNode.value);
      let value: LocatedNode | undefined;
      if (valueNode === null || isEmptyScalar(valueNode)) {
        if (valueNode !== null && expansion === undefined) this.remember(valueNode);
        // `console:` with nothing after it: point at the key, there is no value to point at.
        value = { kind: 'scalar', value: null, position: keyPosition };
      } else {
        value = this.build(valueNode, depth + 1, expansion);
      }
      const earlier = entries.get(key);
      // Inside an alias's expansion the duplicate was already reported where the anchor is.
      if (earlier !== undefined && expansion === undefined) {
        this.problems.push({
          ...keyPosition,
          path: '',
          message: `duplicate key "${key}", first written at line ${earlier.keyPosition.line}, column ${earlier.keyPosition.column}`,
        });
      }
      if (value === undefined) return undefined;
      if (earlier === undefined) entries.set(key, { key, keyPosition, value });
    }
    return { kind: 'map', position, entries };
  }

  private expand(alias: Alias, depth: number, expansion: Expansion, position: SourcePosition): LocatedNode | undefined {
    // Where the alias is written, it means the latest anchor so far; repeated inside
    // another alias's expansion, it keeps that meaning.
    let target = this.targets.get(alias);
    if (target === undefined) {
      target = this.anchors.get(alias.source);
      if (target !== undefined) this.targets.set(alias, target);
    }
    if (target === undefined || this.resolving.has(target)) return this.fail(position, `YAML alias *${alias.source} cannot be resolved`);
    this.aliases += 1;
    if (this.aliases > MAX_ALIASES) {
      return this.fail(expansion.position, `YAML aliases are used more than ${MAX_ALIASES} times (counting those inside other aliases)`);
    }
    this.resolving.add(target);
    // The alias's own position is where the value is used, so problems point there.
    const resolved = this.build(target, depth, expansion, position);
    this.resolving.delete(target);
    return resolved;
  }

  private remember(node: Node): void {
    if (!isAlias(node) && node.anchor !== undefined) this.anchors.set(node.anchor, node);
  }

  private countAliasNode(expansion: Expansion): boolean {
    this.aliasNodes += 1;
    if (this.aliasNodes <= MAX_ALIAS_NODES) return true;
    this.fail(
      expansion.position,
      `YAML aliases expand to more than ${MAX_ALIAS_NODES} nodes (here, at *${expansion.alias}): anchors that repeat each other grow exponentially`,
    );
    return false;
  }

  private fail(position: SourcePosition, message: string): undefined {
    this.problems.push({ ...position, path: '', message });
    return undefined;
  }
}

function isEmptyScalar(node: Node): boolean {
  const range = node.range;
  return isScalar(node) && node.value === null && range !== undefined && range !== null && range[0] === range[1];
}

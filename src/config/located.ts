import type { EnvironmentValue } from './env.js';

/**
 * The configuration as a tree whose every node remembers where in which file it was
 * written. Parsing, merging and env expansion work on this tree, so a problem found at
 * any later stage can still point at the exact spot in the file that supplied the value.
 */

export interface SourcePosition {
  readonly file: string;
  /** 1-based. */
  readonly line: number;
  /** 1-based. */
  readonly column: number;
}

/** A key of a map or an index of a list. */
export type PathSegment = string | number;

export interface LocatedScalar {
  readonly kind: 'scalar';
  readonly value: unknown;
  readonly position: SourcePosition;
  /**
   * Set when the scalar was exactly one `${env:…}` reference whose text was re-read as a
   * YAML scalar: the text before re-reading, used when the schema wants a string there.
   */
  readonly envText?: string;
  /** The `${env:…}` references this scalar was expanded from: each variable and what it stood for. */
  readonly envReferences?: readonly EnvironmentValue[];
}

export interface LocatedEntry {
  readonly key: string;
  readonly keyPosition: SourcePosition;
  readonly value: LocatedNode;
}

export interface LocatedMap {
  readonly kind: 'map';
  readonly position: SourcePosition;
  /** In the order written; a later file's new keys come after the earlier file's. */
  readonly entries: ReadonlyMap<string, LocatedEntry>;
}

export interface LocatedSeq {
  readonly kind: 'seq';
  readonly position: SourcePosition;
  readonly items: readonly LocatedNode[];
}

export type LocatedNode = LocatedScalar | LocatedMap | LocatedSeq;

export function isNullScalar(node: LocatedNode): boolean {
  return node.kind === 'scalar' && (node.value === null || node.value === undefined);
}

/** Past this, a key is shown shortened in a path: a problem's path must not repeat a huge key for every problem below it. */
const MAX_SHOWN_SEGMENT = 80;

/** `receivers.process.targets[0].service` */
export function formatPath(path: readonly PathSegment[]): string {
  let out = '';
  for (const segment of path) {
    if (typeof segment === 'number') out += `[${segment}]`;
    else {
      const shown =
        segment.length > MAX_SHOWN_SEGMENT ? `${segment.slice(0, MAX_SHOWN_SEGMENT / 2)}…(${segment.length} characters)` : segment;
      out += out === '' ? shown : `.${shown}`;
    }
  }
  return out;
}

/**
 * A set of paths that answers "is any of them a prefix of this path" in the length of the
 * path, however many paths it holds (a tree of segments).
 */
export class PathPrefixSet {
  private readonly root: PrefixNode = { children: new Map(), member: false };

  add(path: readonly PathSegment[]): void {
    let node = this.root;
    for (const segment of path) {
      let child = node.children.get(segment);
      if (child === undefined) {
        child = { children: new Map(), member: false };
        node.children.set(segment, child);
      }
      node = child;
    }
    node.member = true;
  }

  hasPrefixOf(path: readonly PathSegment[]): boolean {
    let node: PrefixNode | undefined = this.root;
    for (let index = 0; node !== undefined; index += 1) {
      if (node.member) return true;
      if (index === path.length) return false;
      node = node.children.get(path[index]!);
    }
    return false;
  }
}

interface PrefixNode {
  readonly children: Map<PathSegment, PrefixNode>;
  member: boolean;
}

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

/** A collision-free map key for a path (keys are strings, indices numbers, never mixed in one container). */
export function pathKey(path: readonly PathSegment[]): string {
  return path.map((segment) => (typeof segment === 'number' ? `#${segment}` : `.${segment}`)).join('\u0000');
}

/** `receivers.process.targets[0].service` */
export function formatPath(path: readonly PathSegment[]): string {
  let out = '';
  for (const segment of path) {
    if (typeof segment === 'number') out += `[${segment}]`;
    else out += out === '' ? segment : `.${segment}`;
  }
  return out;
}

export function isPathPrefix(prefix: readonly PathSegment[], path: readonly PathSegment[]): boolean {
  return prefix.length <= path.length && prefix.every((segment, index) => segment === path[index]);
}

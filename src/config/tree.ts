import { isSecretField, isSecretVariableName, secretTexts, urlCredentials } from './secrets.js';
import type { LocatedNode, LocatedScalar, PathSegment, SourcePosition } from './located.js';

interface Location {
  /** Where the key was written; absent for list items and the root. */
  readonly key?: SourcePosition;
  readonly value: SourcePosition;
  /** The text of an env reference re-read as a non-string, when the value was one. */
  readonly envText?: string;
  /** Keyed by the key of a map entry or the index of a list item. */
  readonly children?: Map<PathSegment, Location>;
}

/**
 * The merged, expanded configuration as plain data (what schemas validate), with an index
 * from every key path to where its key and its value were written. The index is a tree
 * walked one segment at a time, so its size and every lookup stay linear in the path,
 * however long the keys.
 */
export class ConfigTree {
  private readonly root: Location;
  /** The path of the node being indexed: one shared stack, so indexing stays linear. */
  private readonly path: PathSegment[] = [];
  /**
   * Values under secret-looking keys, from secret-named env variables, and credentials in
   * URLs; the loader adds the values of fields that components' schemas mark secret.
   */
  readonly secretValues = new Set<string>();
  readonly value: unknown;

  constructor(root: LocatedNode) {
    const built = this.index(root, { value: root.position }, false);
    this.root = built.location;
    this.value = built.value;
  }

  private index(node: LocatedNode, position: Omit<Location, 'envText' | 'children'>, secret: boolean): { value: unknown; location: Location } {
    if (node.kind === 'scalar') {
      if (typeof node.value === 'string') {
        for (const credential of urlCredentials(node.value)) this.secretValues.add(credential);
      }
      this.collectSecrets(node, secret);
      const location = node.envText === undefined ? position : { ...position, envText: node.envText };
      return { value: node.value, location };
    }
    const children = new Map<PathSegment, Location>();
    if (node.kind === 'seq') {
      const items = node.items.map((item, index) => {
        this.path.push(index);
        const built = this.index(item, { value: item.position }, secret);
        this.path.pop();
        children.set(index, built.location);
        return built.value;
      });
      return { value: items, location: { ...position, children } };
    }
    // fromEntries defines own properties, so a `__proto__` key stays a key (and is reported as unknown).
    const value = Object.fromEntries(
      [...node.entries.values()].map((entry) => {
        const secretField = secret || isSecretField(this.path, entry.key);
        this.path.push(entry.key);
        const built = this.index(entry.value, { key: entry.keyPosition, value: entry.value.position }, secretField);
        this.path.pop();
        children.set(entry.key, built.location);
        return [entry.key, built.value];
      }),
    );
    return { value, location: { ...position, children } };
  }

  /** The location at `path`, or at its deepest existing prefix with how many segments that is. */
  private find(path: readonly PathSegment[]): { location: Location; length: number } {
    let location = this.root;
    let length = 0;
    for (const segment of path) {
      const child = location.children?.get(segment);
      if (child === undefined) break;
      location = child;
      length += 1;
    }
    return { location, length };
  }

  /** A scalar under a secret key, or holding a secret-named variable's value: every text it may be printed as. */
  private collectSecrets(node: LocatedScalar, underSecretKey: boolean): void {
    const secretVariables = node.envReferences?.filter(({ variable }) => isSecretVariableName(variable)) ?? [];
    for (const { value } of secretVariables) this.secretValues.add(value);
    // Only a whole reference is re-read (`${env:API_TOKEN}` → a number): its value is then the variable's.
    const wholeValueSecret = underSecretKey || (secretVariables.length > 0 && node.envText !== undefined);
    if (!wholeValueSecret) return;
    for (const text of secretTexts(node.value)) this.secretValues.add(text);
    if (node.envText !== undefined) this.secretValues.add(node.envText);
  }

  has(path: readonly PathSegment[]): boolean {
    return this.find(path).length === path.length;
  }

  /**
   * Where to point for a problem at `path`: the value (or the key, for key problems) when
   * the path exists; otherwise the key of the deepest part that exists, e.g. the map a
   * required key is missing from.
   */
  locate(path: readonly PathSegment[], target: 'key' | 'value'): SourcePosition | undefined {
    const { location, length } = this.find(path);
    if (length === path.length && target === 'value') return location.value;
    return location.key ?? location.value;
  }

  /** The text of an env reference re-read as a non-string, when the value at `path` was one. */
  envTextAt(path: readonly PathSegment[]): string | undefined {
    const { location, length } = this.find(path);
    return length === path.length ? location.envText : undefined;
  }

  /** The source file that supplied the value at `path`. */
  fileOf(path: readonly PathSegment[]): string | undefined {
    return this.locate(path, 'value')?.file;
  }
}

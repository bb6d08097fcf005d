import { isSecretField, isSecretVariableName, secretTexts, urlCredentials } from './secrets.js';
import { pathKey, type LocatedNode, type LocatedScalar, type PathSegment, type SourcePosition } from './located.js';

interface Location {
  /** Where the key was written; absent for list items and the root. */
  readonly key?: SourcePosition;
  readonly value: SourcePosition;
}

/**
 * The merged, expanded configuration as plain data (what schemas validate), with an index
 * from every key path to where its key and its value were written.
 */
export class ConfigTree {
  private readonly locations = new Map<string, Location>();
  private readonly envTexts = new Map<string, string>();
  /**
   * Values under secret-looking keys, from secret-named env variables, and credentials in
   * URLs; the loader adds the values of fields that components' schemas mark secret.
   */
  readonly secretValues = new Set<string>();
  readonly value: unknown;

  constructor(root: LocatedNode) {
    this.value = this.index(root, [], { value: root.position }, false);
  }

  private index(node: LocatedNode, path: PathSegment[], location: Location, secret: boolean): unknown {
    this.locations.set(pathKey(path), location);
    if (node.kind === 'scalar') {
      if (node.envText !== undefined) this.envTexts.set(pathKey(path), node.envText);
      if (typeof node.value === 'string') {
        for (const credential of urlCredentials(node.value)) this.secretValues.add(credential);
      }
      this.collectSecrets(node, secret);
      return node.value;
    }
    if (node.kind === 'seq') {
      return node.items.map((item, index) => this.index(item, [...path, index], { value: item.position }, secret));
    }
    // fromEntries defines own properties, so a `__proto__` key stays a key (and is reported as unknown).
    return Object.fromEntries(
      [...node.entries.values()].map((entry) => [
        entry.key,
        this.index(
          entry.value,
          [...path, entry.key],
          { key: entry.keyPosition, value: entry.value.position },
          secret || isSecretField(path, entry.key),
        ),
      ]),
    );
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
    return this.locations.has(pathKey(path));
  }

  /**
   * Where to point for a problem at `path`: the value (or the key, for key problems) when
   * the path exists; otherwise the key of the deepest part that exists, e.g. the map a
   * required key is missing from.
   */
  locate(path: readonly PathSegment[], target: 'key' | 'value'): SourcePosition | undefined {
    for (let length = path.length; length >= 0; length -= 1) {
      const location = this.locations.get(pathKey(path.slice(0, length)));
      if (location === undefined) continue;
      if (length === path.length && target === 'value') return location.value;
      return location.key ?? location.value;
    }
    return undefined;
  }

  /** The text of an env reference re-read as a non-string, when the value at `path` was one. */
  envTextAt(path: readonly PathSegment[]): string | undefined {
    return this.envTexts.get(pathKey(path));
  }

  /** The source file that supplied the value at `path`. */
  fileOf(path: readonly PathSegment[]): string | undefined {
    return this.locate(path, 'value')?.file;
  }
}

import { z } from 'zod';
import { formatDurationBound } from '../config/units.js';
import { renderValue } from './values.js';

/** One documented option of a component's config, as listed in its README and by `healthpipe components`. */
export interface OptionDoc {
  /** Dotted path; list items are written `targets[].pid`. */
  readonly path: string;
  /** A type a reader understands: `duration`, `list of string`, `'table' | 'json'`, … */
  readonly type: string;
  /** Required within its parent object (a `targets[]` entry, say), not necessarily at the top. */
  readonly required: boolean;
  /** The default as it would be written in pipeline.yaml (`15s`, `[]`). */
  readonly default?: string;
  readonly description: string;
  /** The accepted range when the schema bounds it, in the option's unit: `10ms … 24h`, `1 … 65535`, `≥ 1`. */
  readonly range?: string;
}

/** The subset of JSON Schema that z.toJSONSchema emits and the docs need. */
interface JsonNode {
  type?: string | string[];
  format?: string;
  description?: string;
  default?: unknown;
  enum?: unknown[];
  const?: unknown;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  exclusiveMaximum?: number;
  /** Set by `secret()`: the value is never shown. */
  secret?: boolean;
  properties?: Record<string, JsonNode>;
  required?: string[];
  additionalProperties?: boolean | JsonNode;
  items?: JsonNode;
  anyOf?: JsonNode[];
  oneOf?: JsonNode[];
  allOf?: JsonNode[];
  $ref?: string;
  $defs?: Record<string, JsonNode>;
}

/**
 * Lists every option of a config schema, nested objects and lists of objects flattened into
 * dotted rows. Types, descriptions and most defaults come from the input-side JSON Schema
 * (what a user writes). A `.default()` on a transformed value (`duration().default(15_000)`)
 * holds the parsed value, which zod leaves out of the input side, so such defaults are
 * taken from the output side and written back in the option's unit.
 */
export function describeOptions(schema: z.ZodType): OptionDoc[] {
  const options = { unrepresentable: 'any', cycles: 'ref', reused: 'inline' } as const;
  const input = z.toJSONSchema(schema, { ...options, io: 'input' }) as JsonNode;
  const output = z.toJSONSchema(schema, { ...options, io: 'output' }) as JsonNode;
  const walker = new Walker(input, output);
  walker.object(input, output, '', new Set());
  return walker.rows;
}

class Walker {
  readonly rows: OptionDoc[] = [];

  constructor(
    private readonly inputRoot: JsonNode,
    private readonly outputRoot: JsonNode,
  ) {}

  /** Adds a row for each property of an object node, then descends into it. */
  object(node: JsonNode, out: JsonNode | undefined, prefix: string, seen: Set<string>): void {
    const { properties, required } = this.objectShape(node);
    const outProperties = out === undefined ? {} : this.objectShape(this.resolve(out, this.outputRoot)).properties;
    for (const [name, raw] of Object.entries(properties)) {
      const path = prefix === '' ? name : `${prefix}.${name}`;
      this.property(raw, outProperties[name], path, required.has(name), seen);
    }
  }

  private property(raw: JsonNode, rawOut: JsonNode | undefined, path: string, required: boolean, seen: Set<string>): void {
    // A $ref that is already being expanded is a recursive schema: one row, no descent.
    if (raw.$ref !== undefined && seen.has(raw.$ref)) {
      this.rows.push({ path, type: 'object', required, description: raw.description ?? '' });
      return;
    }
    const inner = raw.$ref === undefined ? seen : new Set([...seen, raw.$ref]);
    const node = this.resolve(raw, this.inputRoot);
    const out = rawOut === undefined ? undefined : this.resolve(rawOut, this.outputRoot);
    const items = node.type === 'array' ? node.items : undefined;
    const description = node.description ?? items?.description ?? '';
    const fallback = out?.default;
    const value = node.default !== undefined ? node.default : fallback;
    const type = typeName(node, (child) => this.resolve(child, this.inputRoot));
    // A reader should know the value will be blanked out of logs and problems.
    const row: OptionDoc = { path, type: node.secret === true ? `${type} (secret)` : type, required, description };
    const range = rangeOf(node);
    this.rows.push({
      ...row,
      ...(value === undefined ? {} : { default: renderValue(value, node.format) }),
      ...(range === undefined ? {} : { range }),
    });

    if (this.hasProperties(node)) this.object(node, out, path, inner);
    else if (this.mapOfObjects(node) !== undefined) {
      // A map of objects (pipelines by id): its entries' options, under a placeholder key.
      const outValues = out?.additionalProperties;
      this.object(this.mapOfObjects(node)!, typeof outValues === 'object' ? outValues : undefined, `${path}.<id>`, inner);
    } else if (items !== undefined && !(items.$ref !== undefined && inner.has(items.$ref))) {
      const itemNode = this.resolve(items, this.inputRoot);
      const outItems = out?.type === 'array' ? out.items : undefined;
      const itemSeen = items.$ref === undefined ? inner : new Set([...inner, items.$ref]);
      if (this.hasProperties(itemNode)) this.object(itemNode, outItems, `${path}[]`, itemSeen);
    }
  }

  /** The value schema of a map whose values are objects with options. */
  private mapOfObjects(node: JsonNode): JsonNode | undefined {
    const values = node.type === 'object' && node.properties === undefined ? node.additionalProperties : undefined;
    if (values === undefined || typeof values === 'boolean') return undefined;
    const resolved = this.resolve(values, this.inputRoot);
    return this.hasProperties(resolved) ? resolved : undefined;
  }

  private hasProperties(node: JsonNode): boolean {
    return Object.keys(this.objectShape(node).properties).length > 0;
  }

  /**
   * Properties of an object, including those of every object variant of a union (`http`,
   * `tcp` or `exec`) or intersection. A union's property is required only when every
   * variant requires it.
   */
  private objectShape(node: JsonNode): { properties: Record<string, JsonNode>; required: Set<string> } {
    const properties: Record<string, JsonNode> = { ...node.properties };
    const required = new Set(node.required ?? []);
    for (const part of node.allOf ?? []) {
      const shape = this.objectShape(this.resolve(part, this.inputRoot));
      Object.assign(properties, shape.properties);
      for (const name of shape.required) required.add(name);
    }
    const variants = (node.anyOf ?? node.oneOf ?? []).map((variant) => this.objectShape(this.resolve(variant, this.inputRoot)));
    const objects = variants.filter((shape) => Object.keys(shape.properties).length > 0);
    for (const shape of objects) {
      for (const [name, child] of Object.entries(shape.properties)) properties[name] ??= child;
    }
    if (objects.length > 0 && objects.length === variants.length) {
      const first = objects[0]!.required;
      for (const name of first) if (objects.every((shape) => shape.required.has(name))) required.add(name);
    }
    return { properties, required };
  }

  /** Follows `#/$defs/...` references, keeping the referring node's description and default. */
  private resolve(node: JsonNode, root: JsonNode): JsonNode {
    if (node.$ref === undefined) return node;
    const name = /^#\/\$defs\/(.+)$/.exec(node.$ref)?.[1];
    const target = name === undefined ? undefined : root.$defs?.[name];
    if (target === undefined) return { ...node, $ref: undefined };
    const { $ref: _ref, ...own } = node;
    return { ...target, ...own };
  }
}

/** A type as a reader of pipeline.yaml would name it. */
function typeName(raw: JsonNode, resolve: (node: JsonNode) => JsonNode): string {
  const node = resolve(raw);
  const name = (child: JsonNode): string => typeName(child, resolve);
  if (node.format === 'duration' || node.format === 'size') return node.format;
  if (node.const !== undefined) return literal(node.const);
  if (node.enum !== undefined) return node.enum.map(literal).join(' | ');
  const variants = node.anyOf ?? node.oneOf;
  if (variants !== undefined) return unique(variants.map(name)).join(' | ');
  if (Array.isArray(node.type)) return node.type.map((type) => name({ ...node, type })).join(' | ');
  switch (node.type) {
    case 'array':
      return node.items === undefined ? 'list' : `list of ${name(node.items)}`;
    case 'object':
      if (node.properties === undefined && typeof node.additionalProperties === 'object') {
        return `map of ${name(node.additionalProperties)}`;
      }
      return 'object';
    case undefined:
      return node.properties !== undefined || node.allOf !== undefined ? 'object' : 'any';
    default:
      return node.type;
  }
}

/**
 * The bounds a schema states, written in the option's unit. zod gives every integer the
 * safe-integer range; that is no bound a reader needs to see.
 */
function rangeOf(node: JsonNode): string | undefined {
  const written = (value: number | undefined): string | undefined => {
    if (value === undefined || Math.abs(value) >= Number.MAX_SAFE_INTEGER) return undefined;
    // As the problem for a value past it says it: `24d`, not `576h`.
    return node.format === 'duration' ? formatDurationBound(value) : renderValue(value, node.format);
  };
  const low = written(node.minimum);
  const high = written(node.maximum);
  if (low !== undefined && high !== undefined) return `${low} … ${high}`;
  const parts = [
    [low, '≥'],
    [written(node.exclusiveMinimum), '>'],
    [high, '≤'],
    [written(node.exclusiveMaximum), '<'],
  ].flatMap(([bound, relation]) => (bound === undefined ? [] : [`${relation} ${bound}`]));
  return parts.length === 0 ? undefined : parts.join(', ');
}

function literal(value: unknown): string {
  return typeof value === 'string' ? `'${value}'` : String(value);
}

function unique(values: string[]): string[] {
  return [...new Set(values)];
}

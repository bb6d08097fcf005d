import { z } from 'zod';
import type { PathSegment } from './located.js';

/** The parts of zod 4's schema definitions needed to find the object a path leads to. */
export interface SchemaDefinition {
  readonly type: string;
  readonly innerType?: z.core.$ZodType;
  readonly in?: z.core.$ZodType;
  readonly out?: z.core.$ZodType;
  readonly shape?: Record<string, z.core.$ZodType>;
  readonly catchall?: z.core.$ZodType;
  readonly element?: z.core.$ZodType;
  readonly keyType?: z.core.$ZodType;
  readonly valueType?: z.core.$ZodType;
  readonly entries?: Record<string, unknown>;
  readonly items?: readonly z.core.$ZodType[];
  readonly rest?: z.core.$ZodType | null;
  readonly options?: readonly z.core.$ZodType[];
  readonly left?: z.core.$ZodType;
  readonly right?: z.core.$ZodType;
  readonly getter?: () => z.core.$ZodType;
}

export function definitionOf(schema: z.core.$ZodType): SchemaDefinition {
  return schema._zod.def as unknown as SchemaDefinition;
}

export const WRAPPERS = new Set(['optional', 'nullable', 'default', 'prefault', 'catch', 'readonly', 'nonoptional']);

/** The concrete schemas behind wrappers, pipes, unions and lazies. */
function concreteSchemas(schema: z.core.$ZodType, depth = 0): z.core.$ZodType[] {
  if (depth > 32) return [];
  const definition = definitionOf(schema);
  const inner = (next: z.core.$ZodType | undefined): z.core.$ZodType[] =>
    next === undefined ? [] : concreteSchemas(next, depth + 1);
  if (WRAPPERS.has(definition.type)) return inner(definition.innerType);
  switch (definition.type) {
    case 'pipe':
      return [...inner(definition.in), ...inner(definition.out)];
    case 'lazy':
      return inner(definition.getter?.());
    case 'union':
      return (definition.options ?? []).flatMap((option) => inner(option));
    case 'intersection':
      return [...inner(definition.left), ...inner(definition.right)];
    default:
      return [schema];
  }
}

function child(schema: z.core.$ZodType, segment: PathSegment): z.core.$ZodType[] {
  const definition = definitionOf(schema);
  switch (definition.type) {
    case 'object': {
      const field = typeof segment === 'string' ? definition.shape?.[segment] : undefined;
      return field === undefined ? [] : [field];
    }
    case 'array':
      return definition.element === undefined ? [] : [definition.element];
    case 'record':
      return definition.valueType === undefined ? [] : [definition.valueType];
    case 'tuple': {
      const item = typeof segment === 'number' ? definition.items?.[segment] : undefined;
      return item === undefined ? [] : [item];
    }
    default:
      return [];
  }
}

/**
 * The keys an object schema at `path` allows, to list them with an unknown key. Where a
 * union offers several objects, the one sharing most keys with what was written is meant.
 */
export function allowedKeysAt(schema: z.core.$ZodType, path: readonly PathSegment[], written: unknown): string[] | undefined {
  const keySets = schemasAt(schema, path)
    .map((candidate) => keysOf(definitionOf(candidate)))
    .filter((keys): keys is string[] => keys !== undefined);
  const writtenKeys = written !== null && typeof written === 'object' ? Object.keys(written) : [];
  let best: string[] | undefined;
  let bestOverlap = -1;
  for (const keys of keySets) {
    const overlap = writtenKeys.filter((key) => keys.includes(key)).length;
    if (overlap > bestOverlap) {
      best = keys;
      bestOverlap = overlap;
    }
  }
  return best;
}

/** The keys of an object, or of a record keyed by an enum (which zod checks exhaustively). */
function keysOf(definition: SchemaDefinition): string[] | undefined {
  if (definition.type === 'object' && definition.shape !== undefined) return Object.keys(definition.shape);
  if (definition.type === 'record' && definition.keyType !== undefined) {
    const keyDefinition = definitionOf(definition.keyType);
    if (keyDefinition.type === 'enum' && keyDefinition.entries !== undefined) return Object.values(keyDefinition.entries).map(String);
  }
  return undefined;
}

/** Every concrete schema a path may lead to (several where a union offers alternatives). */
function schemasAt(schema: z.core.$ZodType, path: readonly PathSegment[]): z.core.$ZodType[] {
  let current = [schema];
  for (const segment of path) {
    current = current.flatMap((candidate) => concreteSchemas(candidate)).flatMap((candidate) => child(candidate, segment));
  }
  return current.flatMap((candidate) => concreteSchemas(candidate));
}

/** The `format` metadata (`duration`, `size`) of the field at `path`, so a message can say "a duration" rather than "a string". */
export function formatAt(schema: z.core.$ZodType, path: readonly PathSegment[]): string | undefined {
  for (const candidate of schemasAt(schema, path)) {
    const format = z.globalRegistry.get(candidate)?.['format'];
    if (typeof format === 'string') return format;
  }
  return undefined;
}

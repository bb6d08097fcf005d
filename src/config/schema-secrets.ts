import { z } from 'zod';
import { definitionOf, WRAPPERS } from './schema-walk.js';
import { secretTexts } from './secrets.js';

/**
 * Marks a field of a component's config schema as secret (a token, a DSN with a password,
 * a signing key): whatever is written there — at any depth, string or number — is blanked
 * out of logs and problems, whatever the field is called. `secret()` is a string;
 * `secret(z.string().min(20))` or `secret(z.union([...]))` marks any schema. The mark is
 * the metadata `{ secret: true }`, so `.meta({ secret: true })` works the same.
 */
export function secret<S extends z.ZodType = z.ZodString>(schema?: S): S {
  return (schema ?? z.string()).meta({ secret: true }) as S;
}

export function isMarkedSecret(schema: z.core.$ZodType): boolean {
  return z.globalRegistry.get(schema)?.['secret'] === true;
}

/** Deeper than any real schema; stops a schema whose `lazy` returns itself. */
const MAX_DEPTH = 64;

/**
 * The texts of every value written where `schema` marks a field secret, found by walking
 * the schema alongside the written value (before validation, so a value the schema then
 * rejects is protected in the problem that rejects it). Every alternative of a union is
 * followed: counting a value as secret needlessly is safe, missing one is not.
 */
export function markedSecretTexts(schema: z.core.$ZodType, written: unknown): Set<string> {
  const found = new Set<string>();
  // A YAML alias repeats a value: each (schema, value) pair is visited once.
  const visited = new Map<object, Set<z.core.$ZodType>>();

  const visit = (current: z.core.$ZodType, value: unknown, depth: number): void => {
    if (depth > MAX_DEPTH || value === undefined || value === null) return;
    if (isMarkedSecret(current)) {
      collectAll(value, found);
      return;
    }
    if (typeof value === 'object') {
      const schemas = visited.get(value) ?? new Set();
      if (schemas.has(current)) return;
      visited.set(value, schemas.add(current));
    }
    const definition = definitionOf(current);
    const next = (child: z.core.$ZodType | undefined, childValue: unknown = value): void => {
      if (child !== undefined) visit(child, childValue, depth + 1);
    };
    if (WRAPPERS.has(definition.type)) return next(definition.innerType);
    switch (definition.type) {
      case 'pipe':
        next(definition.in);
        return next(definition.out);
      case 'lazy':
        return next(definition.getter?.());
      case 'union':
        for (const option of definition.options ?? []) next(option);
        return;
      case 'intersection':
        next(definition.left);
        return next(definition.right);
      case 'object':
        if (!isMap(value)) return;
        for (const [key, item] of Object.entries(value)) next(definition.shape?.[key] ?? definition.catchall, item);
        return;
      case 'record':
        if (!isMap(value)) return;
        for (const item of Object.values(value)) next(definition.valueType, item);
        return;
      case 'array':
        if (Array.isArray(value)) for (const item of value) next(definition.element, item);
        return;
      case 'tuple':
        if (!Array.isArray(value)) return;
        value.forEach((item, index) => next(definition.items?.[index] ?? definition.rest ?? undefined, item));
        return;
      default:
        return;
    }
  };
  visit(schema, written, 0);
  return found;
}

function isMap(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** Every scalar text within a value, each shared part once. */
function collectAll(value: unknown, found: Set<string>, seen: Set<object> = new Set()): void {
  if (value === null || typeof value !== 'object') {
    for (const text of secretTexts(value)) found.add(text);
    return;
  }
  if (seen.has(value)) return;
  seen.add(value);
  for (const item of Object.values(value)) collectAll(item, found, seen);
}

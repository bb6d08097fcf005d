import { createHash } from 'node:crypto';
import type { AttributeValue, Attributes } from '../../src/index.js';
import type { AttributeAction } from './config.js';

/** Attributes being rewritten, and which of them are volatile (only for a resource). */
export interface Draft {
  attributes: Record<string, AttributeValue>;
  readonly volatile: Set<string>;
}

type Step = (draft: Draft) => void;

/** The collector's `hash` action: SHA-256 of the value's text, lowercase hex. */
export function hashValue(value: AttributeValue): string {
  return createHash('sha256').update(String(value)).digest('hex');
}

function remove(draft: Draft, name: string): void {
  delete draft.attributes[name];
  draft.volatile.delete(name);
}

function compileStep(action: AttributeAction): Step {
  const { key } = action;
  switch (action.action) {
    case 'insert':
    case 'update':
    case 'upsert': {
      const { value, from_attribute: from } = action;
      const when = action.action;
      return (draft) => {
        const present = Object.hasOwn(draft.attributes, key);
        if ((when === 'insert' && present) || (when === 'update' && !present)) return;
        const written = from === undefined ? value : draft.attributes[from];
        if (written === undefined) return;
        draft.attributes[key] = written;
        // A value written by the user describes the instance for good: it identifies.
        draft.volatile.delete(key);
      };
    }
    case 'delete':
      return (draft) => remove(draft, key);
    case 'hash':
      return (draft) => {
        const current = draft.attributes[key];
        if (current !== undefined) draft.attributes[key] = hashValue(current);
      };
    case 'rename': {
      // The schema requires it for rename.
      const from = action.from_attribute!;
      return (draft) => {
        const current = draft.attributes[from];
        if (current === undefined) return;
        const volatile = draft.volatile.has(from);
        remove(draft, from);
        draft.attributes[key] = current;
        // The same value under another name: volatile (a PID) stays volatile.
        if (volatile) draft.volatile.add(key);
        else draft.volatile.delete(key);
      };
    }
  }
}

/** The rewrite of one target's attributes; `undefined` when there is no action for it. */
export type AttributesRewrite = (attributes: Attributes, volatile?: Iterable<string>) => Draft | undefined;

/**
 * Compiles the actions into one rewrite, applied in order to a copy. Returns `undefined` when
 * the result has the same content as the input, so an unchanged series stays the same object.
 */
export function compileRewrite(actions: readonly AttributeAction[]): AttributesRewrite | undefined {
  if (actions.length === 0) return undefined;
  const steps = actions.map(compileStep);
  return (attributes, volatile = []) => {
    const draft: Draft = { attributes: Object.assign({}, attributes), volatile: new Set(volatile) };
    for (const step of steps) step(draft);
    return sameContent(attributes, draft.attributes) ? undefined : draft;
  };
}

function sameContent(before: Attributes, after: Attributes): boolean {
  const keys = Object.keys(after);
  if (keys.length !== Object.keys(before).length) return false;
  return keys.every((name) => Object.hasOwn(before, name) && before[name] === after[name]);
}

import { createHash } from 'node:crypto';

/**
 * Key-sorted JSON: the same configuration gives the same text whatever order its keys were
 * written or merged in, so a reload can tell which components changed.
 */
export function stableJson(value: unknown): string {
  return JSON.stringify(sortKeys(value));
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.keys(value)
      .sort()
      .map((key) => [key, sortKeys((value as Record<string, unknown>)[key])]),
  );
}

/**
 * A digest of the key-sorted JSON: what a reload compares. A digest, not the text, because
 * component configs hold secrets and a fingerprint may end up in a log.
 */
export function configFingerprint(value: unknown): string {
  return createHash('sha256').update(stableJson(value)).digest('hex');
}

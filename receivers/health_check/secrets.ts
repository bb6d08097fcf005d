import { isSecretKey, isSecretVariableName, secretTexts, urlCredentials } from '../../src/index.js';
import { httpCheckSecrets } from './http/index.js';
import type { CheckSpec } from './targets.js';

/** Every scalar text at and below `value`. */
function allTexts(value: unknown, found: Set<string>, depth = 0): void {
  if (depth > 16) return;
  if (value !== null && typeof value === 'object') {
    for (const item of Object.values(value)) allTexts(item, found, depth + 1);
    return;
  }
  for (const text of secretTexts(value)) found.add(text);
}

/** Values under keys that name a secret (headers, token, password …), and every URL's user-info. */
function secretsByKey(value: unknown, found: Set<string>, depth = 0): void {
  if (depth > 16) return;
  if (typeof value === 'string') {
    if (value.includes('://')) for (const credential of urlCredentials(value)) found.add(credential);
    return;
  }
  if (value === null || typeof value !== 'object') return;
  for (const [key, item] of Object.entries(value)) {
    if (!Array.isArray(value) && isSecretKey(key)) allTexts(item, found);
    else secretsByKey(item, found, depth + 1);
  }
}

/**
 * The texts a target's check may print that are secret: what the http check names as its
 * secrets (`httpCheckSecrets`, the one list the check itself uses), values under
 * secret-sounding keys, URL credentials, and an exec plugin's environment values whose
 * names say secret (`PGPASSWORD`, `API_TOKEN`).
 */
export function targetSecrets(spec: CheckSpec): string[] {
  const found = new Set<string>();
  switch (spec.kind) {
    case 'http':
      // The check's own list (headers, token, the URL's password as written and decoded, the
      // Basic credentials it sends), then values under secret-named keys anywhere in it.
      for (const text of httpCheckSecrets(spec.http)) found.add(text);
      secretsByKey(spec.http, found);
      break;
    case 'tcp':
      break;
    case 'exec':
      for (const [name, value] of Object.entries(spec.exec.env)) {
        if (isSecretKey(name) || isSecretVariableName(name)) found.add(value);
      }
      for (const word of spec.exec.command) secretsByKey(word, found);
      break;
  }
  return [...found];
}


/**
 * Values that must never appear in a message. Our own messages never echo values; this
 * is the safety net for messages written by component schemas (custom zod issues).
 */

const SECRET_KEY = /token|password|passwd|secret|authorization|api[_-]?key|credential|private[_-]?key|cookie/i;

/** Every value under such a key is secret; so is every value under `headers`. */
export function isSecretKey(key: string): boolean {
  return SECRET_KEY.test(key) || key.toLowerCase() === 'headers';
}

/** `https://user:pass@host/` → the user-info part, which is a credential. */
export function urlCredentials(text: string): string[] {
  const found: string[] = [];
  for (const match of text.matchAll(/[a-z][a-z0-9+.-]*:\/\/([^/@\s]+)@/gi)) {
    const userInfo = match[1]!;
    found.push(userInfo);
    const colon = userInfo.indexOf(':');
    if (colon !== -1 && colon < userInfo.length - 1) found.push(userInfo.slice(colon + 1));
  }
  return found;
}

/** Too short a value would blank out ordinary words of a message without protecting anything. */
const MIN_REDACTED_LENGTH = 3;

export function redact(message: string, secrets: Iterable<string>): string {
  const ordered = [...secrets].filter((secret) => secret.length >= MIN_REDACTED_LENGTH).sort((a, b) => b.length - a.length);
  let out = message;
  for (const secret of ordered) out = out.split(secret).join('***');
  return out;
}

/**
 * Values that must never appear in a message. Our own messages never echo values; this
 * is the safety net for messages written by component schemas (custom zod issues).
 */

const SECRET_KEY = /token|password|passwd|secret|authorization|api[_-]?key|credential|private[_-]?key|cookie/i;

/** Every value under such a key is secret; so is every value under `headers`. */
export function isSecretKey(key: string): boolean {
  return SECRET_KEY.test(key) || key.toLowerCase() === 'headers';
}

/**
 * `https://user:pass@host/` → the user-info part, which is a credential. Finds what
 * `/[a-z][a-z0-9+.-]*:\/\/([^/@\s]+)@/gi` finds, by one scan from each `://`: the regex
 * backtracks over every long run of letters, quadratic in a string with no `://` at all.
 */
export function urlCredentials(text: string): string[] {
  const found: string[] = [];
  // A match may not overlap the previous one.
  let from = 0;
  for (let separator = text.indexOf('://', from); separator !== -1; separator = text.indexOf('://', separator + 1)) {
    if (!hasSchemeBefore(text, separator, from)) continue;
    let end = separator + 3;
    while (end < text.length && !ENDS_USER_INFO.test(text[end]!)) end += 1;
    if (end === separator + 3 || text[end] !== '@') continue;
    const userInfo = text.slice(separator + 3, end);
    found.push(userInfo);
    const colon = userInfo.indexOf(':');
    if (colon !== -1 && colon < userInfo.length - 1) found.push(userInfo.slice(colon + 1));
    from = end + 1;
    separator = end;
  }
  return found;
}

const SCHEME_CHARACTER = /[a-z0-9+.-]/i;
const LETTER = /[a-z]/i;
const ENDS_USER_INFO = /[/@\s]/;

/** A scheme (a letter, then letters, digits, `+`, `.` or `-`) ends at `separator` and starts at or after `from`. */
function hasSchemeBefore(text: string, separator: number, from: number): boolean {
  let letterSeen = false;
  for (let index = separator - 1; index >= from && SCHEME_CHARACTER.test(text[index]!); index -= 1) {
    if (LETTER.test(text[index]!)) letterSeen = true;
  }
  return letterSeen;
}

/** Too short a value would blank out ordinary words of a message without protecting anything. */
const MIN_REDACTED_LENGTH = 3;

export function redact(message: string, secrets: Iterable<string>): string {
  const ordered = [...secrets].filter((secret) => secret.length >= MIN_REDACTED_LENGTH).sort((a, b) => b.length - a.length);
  let out = message;
  for (const secret of ordered) out = out.split(secret).join('***');
  return out;
}

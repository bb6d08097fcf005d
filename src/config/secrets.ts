/**
 * What counts as a secret, and blanking secrets out of what is shown. Our own messages
 * never echo values; this is the safety net for text written by others (component schemas'
 * custom issues, thrown errors, log fields).
 *
 * A value is secret when
 * - the field it is written in is marked secret by its schema (`secret()`, see schema-secrets.ts);
 * - its key, or the key of a map it sits in, names a secret (`isSecretKey`);
 * - it came from an environment variable whose name names a secret (`isSecretVariableName`);
 * - it is the user-info of a URL (`https://user:pass@host`).
 */

/** Words that only ever name a secret, matched anywhere in a key as they always were: `bearer_token`, `clientSecret`. */
const SECRET_WORD = /token|password|passwd|passphrase|secret|authorization|credential|cookie|api[_-]?key|private[_-]?key/i;

/**
 * A key split into its words: at `_`, `-`, `.`, spaces and lower-to-upper case changes
 * (`x-api-key`, `accessKey`, `basic_auth` → `[x, api, key]`, `[access, key]`, `[basic, auth]`).
 */
function wordsOf(name: string): string[] {
  return name
    .split(/[^A-Za-z0-9]+|(?<=[a-z0-9])(?=[A-Z])/)
    .filter((word) => word !== '')
    .map((word) => word.toLowerCase());
}

/**
 * Whether every value under this key is secret. Long secret words match anywhere in the key
 * (`SECRET_WORD`). The short words `auth` and `key` also occur inside ordinary words
 * (`author`, `keys`, `monkey`, `keep_firing_for`), so they count only as the last word of
 * the key: `auth`, `basic_auth`, `proxyAuth`; `api_key`, `access_key`, `signing-key`,
 * `accessKey`. A bare `key` is not secret (it names an attribute far more often:
 * `{ key: team, value: payments }`), nor is `auth_type` or `key_file` (they describe a
 * secret, they do not hold one). Everything under `headers` is secret: headers carry
 * credentials under any name.
 */
export function isSecretKey(key: string): boolean {
  if (SECRET_WORD.test(key)) return true;
  const words = wordsOf(key);
  const last = words[words.length - 1];
  if (last === 'auth') return true;
  if (last === 'key' && words.length > 1) return true;
  return words.length === 1 && last === 'headers';
}

/** Sections whose keys are component ids (`receivers: { health_check/auth: … }`), not fields. */
const ID_SECTIONS = new Set(['receivers', 'processors', 'exporters', 'extensions']);

/**
 * Whether the key at `parent` + `key` of the configuration names a secret field. Ids of
 * components and pipelines are names a user picks for what is watched (`health_check/auth`
 * checks the auth service): taken for secrets, they would blank the whole component's
 * settings, and every word of them, out of every log line.
 */
export function isSecretField(parent: readonly (string | number)[], key: string): boolean {
  const isId =
    (parent.length === 1 && ID_SECTIONS.has(String(parent[0]))) ||
    (parent.length === 2 && parent[0] === 'service' && parent[1] === 'pipelines');
  return !isId && isSecretKey(key);
}

/**
 * Words that make an environment variable's value secret wherever it is used, as whole
 * `_`-separated words of its name (case-insensitive): `SHIPPER_KEY`, `GITHUB_TOKEN`,
 * `AWS_SECRET_ACCESS_KEY`, `DB_PASSWORD`, `BASIC_AUTH`, `OTEL_EXPORTER_OTLP_HEADERS`;
 * not `KEYBOARD`, `MONKEY`, `AUTHOR` or `PWD` (the working directory).
 */
const SECRET_VARIABLE_WORDS = new Set([
  'token',
  'tokens',
  'secret',
  'secrets',
  'password',
  'passwd',
  'passphrase',
  'key',
  'keys',
  'apikey',
  'credential',
  'credentials',
  'creds',
  'auth',
  'authorization',
  'cookie',
  'headers',
]);

export function isSecretVariableName(name: string): boolean {
  return wordsOf(name).some((word) => SECRET_VARIABLE_WORDS.has(word));
}

/**
 * The texts a secret scalar may be printed as: a string as it is; a number (a numeric
 * token, `token: 12345678901234`) as JSON and templates write it. Booleans and null say
 * nothing secret.
 */
export function secretTexts(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (typeof value === 'number' || typeof value === 'bigint') return [String(value)];
  return [];
}

/** The value of the Basic `Authorization` header for a URL's user-info, decoded as a browser does. */
export function basicCredentials(url: URL): string {
  return Buffer.from(`${safeDecode(url.username)}:${safeDecode(url.password)}`).toString('base64');
}

/**
 * Moves a URL's user-info into the Basic `Authorization` value an HTTP client sends instead:
 * returns that value (undefined without user-info) and clears user-info from `url`, so the
 * request line and every message about the URL carry no credentials.
 */
export function takeBasicAuthorization(url: URL): string | undefined {
  if (url.username === '' && url.password === '') return undefined;
  const authorization = `Basic ${basicCredentials(url)}`;
  url.username = '';
  url.password = '';
  return authorization;
}

/** Percent-decoded as a browser decodes user-info; a malformed escape is kept as written. */
export function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
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

export const REDACTED = '***';

/**
 * Replaces every occurrence of any of the secrets in a text, in one pass: one regular
 * expression of every secret, longest first (so a secret that contains another is blanked
 * whole), built once and used for every text. Splitting the text once per secret made a
 * file with thousands of secrets and problems quadratic.
 */
export class SecretMatcher {
  private readonly pattern: RegExp | undefined;
  private readonly ordered: readonly string[];
  readonly secrets: ReadonlySet<string>;

  constructor(secrets: Iterable<string>) {
    this.ordered = [...new Set(secrets)]
      .filter((secret) => secret.length >= MIN_REDACTED_LENGTH)
      .sort((a, b) => b.length - a.length);
    this.secrets = new Set(this.ordered);
    this.pattern = patternOf(this.ordered);
  }

  redact(text: string): string {
    if (this.pattern !== undefined) return text.replace(this.pattern, REDACTED);
    let out = text;
    for (const secret of this.ordered) if (out.includes(secret)) out = out.split(secret).join(REDACTED);
    return out;
  }
}

/**
 * V8 refuses a pattern past a compiled size it does not state: secrets that long (a pasted
 * certificate) are replaced one by one instead.
 */
const MAX_PATTERN_LENGTH = 20_000;

function patternOf(ordered: readonly string[]): RegExp | undefined {
  if (ordered.length === 0) return undefined;
  const source = ordered.map(escapeRegExp).join('|');
  if (source.length > MAX_PATTERN_LENGTH) return undefined;
  try {
    return new RegExp(source, 'g');
  } catch {
    return undefined;
  }
}

function escapeRegExp(text: string): string {
  return text.replace(/[\\^$.*+?()[\]{}|/-]/g, '\\$&');
}

/** Every occurrence of a secret in a text, replaced by `***`. */
export function redact(message: string, secrets: Iterable<string>): string {
  return new SecretMatcher(secrets).redact(message);
}

/** A value is never legitimately deeper than this; past it the walk stops instead of recursing forever. */
const MAX_DEPTH = 8;

/**
 * A copy of `value` that JSON can write and that holds no secret: redaction on values,
 * before serialisation (redacting a serialised line misses a secret that serialising
 * escaped: a quote, a backslash, a control character). Strings are redacted where a secret
 * occurs in them; a number or bigint whose text is a secret becomes `***` (a bigint is
 * written as its decimal text, since JSON.stringify throws on one). Arrays and plain
 * objects are copied, keys kept; an object with `toJSON` (a Date) is redacted as what it
 * serialises to. An Error becomes `{name, message, code?, component?, cause?}`, each
 * redacted: the code and the cause are what a reader needs to act. A cycle or
 * a structure deeper than MAX_DEPTH is cut with a marker. The input is never changed.
 */
export function redactValue(value: unknown, secrets: Iterable<string>): unknown {
  const matcher = new SecretMatcher(secrets);
  const whole = matcher.secrets;
  const ancestors = new Set<object>();

  const visit = (item: unknown, depth: number): unknown => {
    switch (typeof item) {
      case 'string':
        return matcher.redact(item);
      case 'number':
        return whole.has(String(item)) ? REDACTED : item;
      case 'bigint':
        return whole.has(String(item)) ? REDACTED : String(item);
      case 'object':
        break;
      default:
        return item;
    }
    if (item === null) return null;
    if (ancestors.has(item)) return '[circular]';
    if (depth >= MAX_DEPTH) return '[too deep]';
    ancestors.add(item);
    try {
      return copyOf(item, (inner) => visit(inner, depth + 1));
    } finally {
      ancestors.delete(item);
    }
  };
  return visit(value, 0);
}

/** What an Error carries beyond its message that a reader needs to act on it. */
const ERROR_DETAILS = ['code', 'component', 'cause'] as const;

function copyOf(item: object, next: (inner: unknown) => unknown): unknown {
  if (Array.isArray(item)) return item.map(next);
  if (item instanceof Error) {
    const fields: Record<string, unknown> = { name: item.name, message: next(item.message) };
    for (const key of ERROR_DETAILS) {
      const detail = (item as unknown as Record<string, unknown>)[key];
      if (detail !== undefined) fields[key] = next(detail);
    }
    return fields;
  }
  const toJSON = (item as { toJSON?: unknown }).toJSON;
  if (typeof toJSON === 'function') {
    const serialised: unknown = toJSON.call(item);
    return serialised === item ? {} : next(serialised);
  }
  const copy: Record<string, unknown> = {};
  for (const [key, entry] of Object.entries(item)) copy[key] = next(entry);
  return copy;
}

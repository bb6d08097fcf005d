import { REDACTED, isSecretKey } from '../config/secrets.js';

/**
 * A URL fit for a log line or an error: its user-info (`https://user:pass@host`) and the
 * values of query parameters named like a secret (`?token=…`) become `***`. A URL that
 * does not parse is shown as `***` whole: it may be anything.
 */
export function redactedUrl(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return REDACTED;
  }
  if (parsed.username !== '' || parsed.password !== '') {
    parsed.username = REDACTED;
    parsed.password = '';
  }
  for (const name of new Set(parsed.searchParams.keys())) {
    if (isSecretKey(name)) parsed.searchParams.set(name, REDACTED);
  }
  return parsed.toString();
}

import { basicCredentials, boundedInt, safeDecode, secret, size, z } from '../../../src/index.js';
import { parseExpectStatus } from './expect-status.js';
import { parseJsonPath } from './json-path.js';

export const HTTP_METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'] as const;

export const DEFAULT_EXPECT_STATUS = '200-299';
export const DEFAULT_CERT_WARNING_DAYS = 14;
/** Enough for any health answer; a larger body is cut there, never held whole. */
export const DEFAULT_MAX_BODY = 1024 ** 2;
const MAX_MAX_BODY = 64 * 1024 ** 2;

const tlsSchema = z
  .strictObject({
    insecure_skip_verify: z
      .boolean()
      .default(false)
      .describe('Accept any certificate (self-signed, expired, another name); its days left are still measured'),
    ca_file: z
      .string()
      .min(1)
      .optional()
      .describe('PEM file of the certificate authorities to trust for this target, instead of the system ones'),
    cert_warning_days: boundedInt({ min: 0, max: 3650, maxReason: 'ten years ahead is no warning' })
      .default(DEFAULT_CERT_WARNING_DAYS)
      .describe('A certificate expiring within this many days makes the check warning; 0 turns the warning off'),
  })
  .prefault({})
  .describe('TLS of an https URL');

/** No line breaks or control characters: they would end the header and start another. */
function headerValue() {
  return z.string().regex(/^[\t\x20-\x7e\x80-\xff]*$/, 'expected a header value without line breaks or control characters');
}

export const httpCheckSchema = z
  .strictObject({
    url: z
      .string()
      .refine(isHttpUrl, { message: 'expected an http:// or https:// URL' })
      .describe('URL to request, http or https; a user:password in it is sent as Basic authorization and kept secret'),
    method: z.enum(HTTP_METHODS).default('GET').describe('HTTP method'),
    headers: z
      .record(
        z.string().regex(/^[!#$%&'*+.^_`|~\w-]+$/, 'expected a header name'),
        secret(headerValue()),
      )
      .default({})
      .describe('Request headers; their values are secret (never logged, blanked out of messages)'),
    bearer_token: secret(headerValue()).optional().describe('Sent as `Authorization: Bearer …`; secret'),
    body: z.string().optional().describe('Request body (for POST, PUT …)'),
    expect_status: z
      .string()
      .default(DEFAULT_EXPECT_STATUS)
      .superRefine((written, ctx) => {
        const parsed = parseExpectStatus(written);
        if (typeof parsed === 'string') ctx.addIssue({ code: 'custom', message: parsed });
      })
      .describe('Statuses that count as up: ranges and codes separated by commas, such as 200-299,301'),
    body_contains: z.string().min(1).optional().describe('The body must contain this text'),
    body_regex: z
      .string()
      .min(1)
      .optional()
      .superRefine((written, ctx) => {
        if (written === undefined) return;
        try {
          new RegExp(written);
        } catch {
          ctx.addIssue({ code: 'custom', message: 'expected a JavaScript regular expression' });
        }
      })
      .describe('The body must match this regular expression (JavaScript syntax), searched in the first max_body bytes'),
    json_path: z
      .string()
      .optional()
      .superRefine((written, ctx) => {
        if (written === undefined) return;
        const parsed = parseJsonPath(written);
        if (typeof parsed === 'string') ctx.addIssue({ code: 'custom', message: parsed });
      })
      .describe('The body is JSON and holds a value at this path, such as status or checks[0].state'),
    equals: z
      .union([z.string(), z.number(), z.boolean(), z.null()])
      .optional()
      .describe('The value at json_path must equal this (without it, the path must merely exist)'),
    tls: tlsSchema,
    keep_alive: z.boolean().default(true).describe('Keep the connection open between checks (the socket is reused)'),
    follow_redirects: z
      .boolean()
      .default(false)
      .describe('Follow up to 10 redirects; headers and token are not sent to another origin. Off: a 3xx is checked as it is'),
    max_body: size({ min: 1, max: MAX_MAX_BODY, maxReason: 'a health answer is small; the body is held in memory' })
      .default(DEFAULT_MAX_BODY)
      .describe('At most this much of the body is read for body_contains, body_regex and json_path; a body without checks is discarded unread'),
  })
  .superRefine((config, ctx) => {
    if (config.equals !== undefined && config.json_path === undefined) {
      ctx.addIssue({ code: 'custom', path: ['equals'], message: 'equals needs json_path: the value to compare' });
    }
    const bodyChecks = (['body_contains', 'body_regex', 'json_path'] as const).filter((key) => config[key] !== undefined);
    if (config.method === 'HEAD' && bodyChecks.length > 0) {
      ctx.addIssue({ code: 'custom', path: ['method'], message: `a HEAD answer has no body for ${bodyChecks.join(', ')}` });
    }
    if (config.bearer_token !== undefined && hasAuthorization(config)) {
      ctx.addIssue({
        code: 'custom',
        path: ['bearer_token'],
        message: 'bearer_token and an Authorization header or URL user:password cannot both be sent',
      });
    }
  });

export type HttpCheckConfig = z.output<typeof httpCheckSchema>;

function isHttpUrl(written: string): boolean {
  if (!URL.canParse(written)) return false;
  const protocol = new URL(written).protocol;
  return protocol === 'http:' || protocol === 'https:';
}

function hasAuthorization(config: Pick<HttpCheckConfig, 'url' | 'headers'>): boolean {
  const url = URL.canParse(config.url) ? new URL(config.url) : undefined;
  return (
    Object.keys(config.headers).some((name) => name.toLowerCase() === 'authorization') ||
    (url !== undefined && (url.username !== '' || url.password !== ''))
  );
}

/**
 * What of a check's config must never reach a message or a log: header values, the bearer
 * token, and the URL's user-info as written and as decoded (the Basic credentials it sends).
 */
export function httpCheckSecrets(config: Pick<HttpCheckConfig, 'url' | 'headers' | 'bearer_token'>): string[] {
  const secrets = new Set<string>(Object.values(config.headers));
  if (config.bearer_token !== undefined) secrets.add(config.bearer_token);
  if (URL.canParse(config.url)) {
    const url = new URL(config.url);
    const { username, password } = url;
    if (password !== '') {
      secrets.add(password);
      secrets.add(safeDecode(password));
    }
    if (username !== '' && password !== '') secrets.add(basicCredentials(url));
  }
  return [...secrets].filter((text) => text !== '');
}

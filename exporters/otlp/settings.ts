import { safeDecode } from '../../src/index.js';
import { OTLP_COMPRESSIONS, OTLP_DEFAULTS, OTLP_PROTOCOLS, type OtlpConfig } from './config.js';

/** Reads one environment variable; `process.env` in the agent, a plain object in tests. */
export type EnvironmentSource = (name: string) => string | undefined;

export const processEnvironment: EnvironmentSource = (name) => process.env[name];

export type OtlpProtocol = (typeof OTLP_PROTOCOLS)[number];
export type OtlpCompression = (typeof OTLP_COMPRESSIONS)[number];

/** How requests are made, once pipeline.yaml, the OTEL_EXPORTER_OTLP_* variables and the defaults are weighed. */
export interface OtlpSettings {
  /** The URL POSTed to, user-info included (the sender turns it into Basic auth). */
  readonly url: string;
  readonly protocol: OtlpProtocol;
  readonly compression: OtlpCompression;
  /** ms */
  readonly timeout: number;
  /** Lower-cased names; values are secrets. */
  readonly headers: Readonly<Record<string, string>>;
}

/** A variable that could not be used: what the exporter logs (the name, never the value, which may be a secret). */
export type SettingsWarning = (message: string, variable: string) => void;

const SIGNAL_PATH = 'v1/metrics';

/**
 * The OTLP exporter specification's precedence, per setting: pipeline.yaml, then the
 * metrics-specific variable (`OTEL_EXPORTER_OTLP_METRICS_*`), then the generic one
 * (`OTEL_EXPORTER_OTLP_*`), then the default. Headers are merged in that order, later
 * winning per name. A base endpoint (`endpoint`, `OTEL_EXPORTER_OTLP_ENDPOINT`) gets
 * `/v1/metrics` appended; a metrics endpoint is used as given. A variable that does not
 * parse is ignored with a warning, as the JS exporter does.
 */
export function resolveSettings(config: OtlpConfig, env: EnvironmentSource, warn: SettingsWarning): OtlpSettings {
  const variable = (suffix: string): { value: string; name: string } | undefined => {
    for (const name of [`OTEL_EXPORTER_OTLP_METRICS_${suffix}`, `OTEL_EXPORTER_OTLP_${suffix}`]) {
      const value = env(name)?.trim();
      if (value !== undefined && value !== '') return { value, name };
    }
    return undefined;
  };
  return {
    url: resolveUrl(config, env, warn),
    protocol: config.protocol ?? chosen(variable('PROTOCOL'), OTLP_PROTOCOLS, warn) ?? OTLP_DEFAULTS.protocol,
    compression: config.compression ?? chosen(variable('COMPRESSION'), OTLP_COMPRESSIONS, warn) ?? OTLP_DEFAULTS.compression,
    timeout: config.timeout ?? timeoutOf(variable('TIMEOUT'), warn) ?? OTLP_DEFAULTS.timeout,
    headers: {
      ...lowerCased(parseHeaderList(env('OTEL_EXPORTER_OTLP_HEADERS'))),
      ...lowerCased(parseHeaderList(env('OTEL_EXPORTER_OTLP_METRICS_HEADERS'))),
      ...lowerCased(config.headers),
    },
  };
}

function resolveUrl(config: OtlpConfig, env: EnvironmentSource, warn: SettingsWarning): string {
  if (config.metrics_endpoint !== undefined) return config.metrics_endpoint;
  if (config.endpoint !== undefined) return withSignalPath(config.endpoint);
  const specific = env('OTEL_EXPORTER_OTLP_METRICS_ENDPOINT')?.trim();
  if (specific !== undefined && specific !== '') {
    if (isHttpUrl(specific)) return specific;
    warn('not an http:// or https:// URL: ignored', 'OTEL_EXPORTER_OTLP_METRICS_ENDPOINT');
  }
  const generic = env('OTEL_EXPORTER_OTLP_ENDPOINT')?.trim();
  if (generic !== undefined && generic !== '') {
    if (isHttpUrl(generic)) return withSignalPath(generic);
    warn('not an http:// or https:// URL: ignored', 'OTEL_EXPORTER_OTLP_ENDPOINT');
  }
  return withSignalPath(OTLP_DEFAULTS.endpoint);
}

/** `http://host:4318` and `http://host:4318/` → `http://host:4318/v1/metrics`; a path is kept (`/otlp` → `/otlp/v1/metrics`). */
export function withSignalPath(base: string): string {
  return `${base.endsWith('/') ? base : `${base}/`}${SIGNAL_PATH}`;
}

function isHttpUrl(text: string): boolean {
  try {
    const parsed = new URL(text);
    return parsed.protocol === 'http:' || parsed.protocol === 'https:';
  } catch {
    return false;
  }
}

function chosen<T extends string>(found: { value: string; name: string } | undefined, allowed: readonly T[], warn: SettingsWarning): T | undefined {
  if (found === undefined) return undefined;
  const value = found.value.toLowerCase();
  if ((allowed as readonly string[]).includes(value)) return value as T;
  warn(`not one of ${allowed.join(', ')}: ignored`, found.name);
  return undefined;
}

/** The specification's timeout variables are in milliseconds. */
function timeoutOf(found: { value: string; name: string } | undefined, warn: SettingsWarning): number | undefined {
  if (found === undefined) return undefined;
  const ms = Number(found.value);
  if (Number.isFinite(ms) && ms > 0) return Math.min(Math.round(ms), 300_000);
  warn('not a number of milliseconds above 0: ignored', found.name);
  return undefined;
}

/**
 * `k1=v1,k2=v2` as the specification writes OTEL_EXPORTER_OTLP_HEADERS (the W3C baggage
 * format): keys and values percent-decoded and trimmed; an entry without a key or value is
 * skipped, as the JS exporter skips it.
 */
export function parseHeaderList(text: string | undefined): Record<string, string> {
  const headers: Record<string, string> = {};
  if (text === undefined) return headers;
  for (const entry of text.split(',')) {
    const separator = entry.indexOf('=');
    if (separator <= 0) continue;
    const name = safeDecode(entry.slice(0, separator).trim());
    const value = safeDecode(entry.slice(separator + 1).trim());
    // Node refuses a line break in a header on every attempt: such a value would never be sent.
    if (name === '' || value === '' || /[\0\r\n]/.test(value) || !/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/.test(name)) continue;
    headers[name] = value;
  }
  return headers;
}

function lowerCased(headers: Readonly<Record<string, string>>): Record<string, string> {
  const result: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) result[name.toLowerCase()] = value;
  return result;
}

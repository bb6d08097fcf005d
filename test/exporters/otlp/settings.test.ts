import { describe, expect, it } from 'vitest';
import { otlpConfigSchema } from '../../../exporters/otlp/config.js';
import { parseHeaderList, resolveSettings } from '../../../exporters/otlp/settings.js';

const config = (written: Record<string, unknown> = {}) => otlpConfigSchema.parse(written);

function settings(written: Record<string, unknown>, env: Record<string, string> = {}) {
  const warnings: string[] = [];
  const resolved = resolveSettings(config(written), (name) => env[name], (problem, variable) => warnings.push(`${variable}: ${problem}`));
  return { ...resolved, warnings };
}

describe('otlp exporter settings', () => {
  it('defaults to the specification: http://localhost:4318/v1/metrics, protobuf, gzip, 10s', () => {
    expect(settings({})).toMatchObject({
      url: 'http://localhost:4318/v1/metrics',
      protocol: 'http/protobuf',
      compression: 'gzip',
      timeout: 10_000,
      headers: {},
      warnings: [],
    });
  });

  it('appends /v1/metrics to a base endpoint, with or without a path or trailing slash; a metrics endpoint is used as given and wins', () => {
    expect(settings({ endpoint: 'http://vm:8428/opentelemetry' }).url).toBe('http://vm:8428/opentelemetry/v1/metrics');
    expect(settings({ endpoint: 'http://collector:4318/' }).url).toBe('http://collector:4318/v1/metrics');
    expect(settings({ endpoint: 'http://a:1', metrics_endpoint: 'http://b:2/custom' }).url).toBe('http://b:2/custom');
  });

  it('takes the endpoint from the file, else the metrics variable as given, else the generic one with /v1/metrics', () => {
    const env = { OTEL_EXPORTER_OTLP_ENDPOINT: 'http://generic:4318', OTEL_EXPORTER_OTLP_METRICS_ENDPOINT: 'http://specific:9/m' };
    expect(settings({ endpoint: 'http://file:1' }, env).url).toBe('http://file:1/v1/metrics');
    expect(settings({}, env).url).toBe('http://specific:9/m');
    expect(settings({}, { OTEL_EXPORTER_OTLP_ENDPOINT: 'http://generic:4318' }).url).toBe('http://generic:4318/v1/metrics');
  });

  it('weighs protocol, compression and timeout the same way: file, metrics variable, generic variable, default', () => {
    const env = {
      OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json',
      OTEL_EXPORTER_OTLP_COMPRESSION: 'none',
      OTEL_EXPORTER_OTLP_TIMEOUT: '3000',
      OTEL_EXPORTER_OTLP_METRICS_TIMEOUT: '2500',
    };
    expect(settings({}, env)).toMatchObject({ protocol: 'http/json', compression: 'none', timeout: 2500 });
    expect(settings({ protocol: 'http/protobuf', compression: 'gzip', timeout: '1s' }, env)).toMatchObject({
      protocol: 'http/protobuf',
      compression: 'gzip',
      timeout: 1000,
    });
    expect(settings({}, { OTEL_EXPORTER_OTLP_METRICS_PROTOCOL: 'http/protobuf', OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json' }).protocol).toBe('http/protobuf');
  });

  it('ignores a variable it cannot use, warning with its name but not its value', () => {
    const result = settings({}, { OTEL_EXPORTER_OTLP_PROTOCOL: 'grpc', OTEL_EXPORTER_OTLP_TIMEOUT: 'soon', OTEL_EXPORTER_OTLP_ENDPOINT: 'collector:4317' });
    expect(result).toMatchObject({ protocol: 'http/protobuf', timeout: 10_000, url: 'http://localhost:4318/v1/metrics' });
    expect(result.warnings).toHaveLength(3);
    expect(result.warnings.join()).toContain('OTEL_EXPORTER_OTLP_PROTOCOL');
    expect(result.warnings.join()).not.toContain('collector:4317');
  });

  it('merges headers: generic variable, then metrics variable, then the file, later winning per name', () => {
    const env = {
      OTEL_EXPORTER_OTLP_HEADERS: 'X-Tenant=a,Authorization=Basic%20Zm9vOmJhcg%3D%3D,x-generic=1',
      OTEL_EXPORTER_OTLP_METRICS_HEADERS: 'x-tenant=b',
    };
    expect(settings({ headers: { 'X-Extra': 'e', authorization: 'Bearer t' } }, env).headers).toEqual({
      'x-tenant': 'b',
      authorization: 'Bearer t',
      'x-generic': '1',
      'x-extra': 'e',
    });
  });

  it('reads the header list as the specification writes it: percent-decoded, trimmed, bad entries skipped', () => {
    expect(parseHeaderList(' api-key = s%3Dcret , =novalue, nokey=, broken, bad name=1, ok=a=b ')).toEqual({ 'api-key': 's=cret', ok: 'a=b' });
  });

  it('has the schema defaults the README shows, and refuses unknown keys', () => {
    expect(config()).toMatchObject({
      retry_max_interval: 5000,
      linger: 200,
      max_request_size: 4 * 1024 * 1024,
      queue: { max_points: 1_000_000, max_size: 64 * 1024 * 1024 },
      disk_queue: false,
    });
    expect(otlpConfigSchema.safeParse({ linger: '2s' }).success).toBe(false);
    expect(otlpConfigSchema.safeParse({ protocol: 'grpc' }).success).toBe(false);
    expect(otlpConfigSchema.safeParse({ endpoints: 'http://x' }).success).toBe(false);
  });
});

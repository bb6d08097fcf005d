import { describe, expect, it } from 'vitest';
import { EMPTY } from 'rxjs';
import { z } from 'zod';
import { defineReceiver } from '../../src/component/define.js';
import { ComponentRegistry } from '../../src/component/registry.js';
import { formatProblem, loadConfigFromSources, type LoadResult } from '../../src/config/index.js';
import { secret } from '../../src/index.js';
import { isSecretKey, isSecretVariableName } from '../../src/config/secrets.js';
import { configOf, VALID_SERVICE, yaml, type Env } from './helpers.js';
import { shipper } from './registry.js';
import { describeOptions } from '../../src/docs/options.js';

/** A receiver whose secrets sit under keys that do not look secret, and whose token may be a number. */
const vault = defineReceiver({
  type: 'vault',
  description: 'secrets in every form',
  schema: z.strictObject({
    token: z.union([z.string(), z.number()]).optional(),
    dsn: secret(
      z.string().refine((value) => value.startsWith('postgres://'), {
        // A careless message that quotes the value: the loader must scrub it.
        error: (issue) => `"${String(issue.input)}" is not a postgres:// URL`,
      }),
    ).optional(),
    pin: secret(z.number()).optional(),
    signing: z.strictObject({ material: z.string(), id: z.string() }).meta({ secret: true }).optional(),
    replicas: z.array(z.strictObject({ host: z.string(), dsn: secret().optional() })).default([]),
    note: z.string().optional(),
  }),
  create: () => EMPTY,
});

const SERVICE = ['service:', '  pipelines:', '    metrics:', '      receivers: [vault]', '      exporters: [shipper]'];

function load(lines: string[], env: Env = {}): LoadResult {
  const text = yaml('receivers:', '  vault:', ...lines, 'exporters: { shipper: {} }', ...SERVICE);
  return loadConfigFromSources([{ name: 'pipeline.yaml', text }], new ComponentRegistry([vault, shipper]), env);
}

function secretsOf(lines: string[], env: Env = {}): string[] {
  const result = load(lines, env);
  if (!result.ok) expect.fail(result.problems.map(formatProblem).join('\n'));
  return [...result.config.secrets].sort();
}

describe('a key that names a secret', () => {
  it('is one whose words hold a secret word, or end in auth, or in key after another word', () => {
    const secret = [
      'token',
      'bearer_token',
      'password',
      'clientSecret',
      'Authorization',
      'credentials',
      'cookie',
      'auth',
      'basic_auth',
      'proxyAuth',
      'api_key',
      'x-api-key',
      'apiKey',
      'access_key',
      'signing.key',
      'headers',
    ];
    const ordinary = ['keep_firing_for', 'keys', 'key', 'key_file', 'monkey', 'author', 'auth_type', 'keyboard', 'service', 'url'];
    expect(secret.filter((key) => !isSecretKey(key))).toEqual([]);
    expect(ordinary.filter(isSecretKey)).toEqual([]);
  });
});

describe('a component or pipeline id that looks like a secret key', () => {
  it('is a name, not a field: the settings under it are not secret for it', () => {
    const config = configOf(
      yaml(
        'receivers:',
        '  poller/auth: { token: auth-service-token, targets: [{ service: api-gateway }] }',
        'exporters:',
        '  shipper:',
        'service:',
        '  pipelines:',
        '    metrics/token_checks:',
        '      receivers: [poller/auth]',
        '      exporters: [shipper]',
      ),
    );
    expect([...config.secrets]).toEqual(['auth-service-token']);
  });
});

describe('an environment variable that names a secret', () => {
  it('is one with a secret word as a whole part of its name, in any case', () => {
    const secret = ['SHIPPER_KEY', 'GITHUB_TOKEN', 'DB_PASSWORD', 'AWS_SECRET_ACCESS_KEY', 'BASIC_AUTH', 'my_credentials', 'OTEL_EXPORTER_OTLP_HEADERS', 'APIKEY', 'Passwd'];
    const ordinary = ['KEYBOARD_LAYOUT', 'MONKEY_COUNT', 'AUTHOR', 'PWD', 'HOST', 'TOKENIZER_MODE'];
    expect(secret.filter((name) => !isSecretVariableName(name))).toEqual([]);
    expect(ordinary.filter(isSecretVariableName)).toEqual([]);
  });

  it('makes its value secret under any key, alone or inside a longer text, and only its value', () => {
    expect(
      secretsOf(['    note: "${env:API_TOKEN}"', '    replicas: [{ host: "db-${env:SIGNING_SECRET}.internal" }]'], {
        API_TOKEN: 'tok-123456',
        SIGNING_SECRET: 'sig-abcdef',
      }),
    ).toEqual(['sig-abcdef', 'tok-123456']);
    expect(secretsOf(['    note: "${env:HOSTNAME}"'], { HOSTNAME: 'db-1.internal' })).toEqual([]);
    expect(secretsOf(['    note: "${env:API_TOKEN:-dev-fallback-token}"'])).toEqual(['dev-fallback-token']);
  });

  it('counts a numeric value in every form it may be printed in', () => {
    // `0012345678` is re-read as the number 12345678: both texts are secret.
    expect(secretsOf(['    token: ${env:SERVICE_AUTH}'], { SERVICE_AUTH: '0012345678' })).toEqual(['0012345678', '12345678']);
  });
});

describe('a number under a secret key', () => {
  it('is a secret, as the text a log would print', () => {
    expect(secretsOf(['    token: 12345678901234'])).toEqual(['12345678901234']);
    expect(secretsOf(['    token: 1.5e+300'])).toEqual(['1.5e+300']);
  });
});

describe('a field its schema marks secret', () => {
  it('holds secrets under any key name, at any depth, numbers included', () => {
    expect(
      secretsOf([
        '    dsn: postgres://app:pw@db/x',
        '    pin: 4242',
        '    signing: { material: BEGIN-KEY-MATERIAL, id: k-2024 }',
        '    replicas: [{ host: db-2, dsn: postgres://replica-dsn }]',
        '    note: not a secret',
      ]),
    ).toEqual(['4242', 'BEGIN-KEY-MATERIAL', 'app:pw', 'k-2024', 'postgres://app:pw@db/x', 'postgres://replica-dsn', 'pw'].sort());
  });

  it('is never echoed by a problem, even when the schema quotes the value it rejects', () => {
    const result = load(['    dsn: mysql://hunter2-host/db']);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.problems.map(formatProblem)).toEqual(['pipeline.yaml:3:10: receivers.vault.dsn: "***" is not a postgres:// URL']);
  });

  it('is marked in the generated docs', () => {
    const types = Object.fromEntries(describeOptions(vault.schema).map((row) => [row.path, row.type]));
    expect(types).toMatchObject({ dsn: 'string (secret)', signing: 'object (secret)', 'replicas[].dsn': 'string (secret)', note: 'string' });
  });

  it('is what secret() and .meta({ secret: true }) mean, through every wrapper', () => {
    const registry = z.globalRegistry;
    expect(registry.get(secret())?.['secret']).toBe(true);
    expect(registry.get(secret(z.string().min(20)).describe('A token.'))).toMatchObject({ secret: true, description: 'A token.' });
  });
});

describe('the secrets the test registry has always found', () => {
  it('stay found: keys, URL credentials and secret-named variables', () => {
    const config = configOf(
      yaml(
        'receivers:',
        '  poller: { token: abc-token-value }',
        'exporters:',
        '  shipper: { endpoint: "http://u:p4ss@127.0.0.1:4318", api_key: "${env:SHIPPER_KEY}" }',
        ...VALID_SERVICE,
      ),
      { SHIPPER_KEY: 'key-0123456789abcdefghij' },
    );
    expect([...config.secrets].sort()).toEqual(['abc-token-value', 'key-0123456789abcdefghij', 'p4ss', 'u:p4ss']);
  });
});

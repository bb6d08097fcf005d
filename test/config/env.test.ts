import { describe, expect, it } from 'vitest';
import { expandEnvReferences, rereadScalar } from '../../src/config/env.js';
import { configOf, problemsOf, VALID_SERVICE, yaml } from './helpers.js';

describe('expandEnvReferences', () => {
  const env = { HOST: 'db.internal', EMPTY: '', PORT: '5432' };

  it('expands ${env:VAR}, uses the default when unset or empty, and turns $$ into $', () => {
    expect(expandEnvReferences('${env:HOST}:${env:PORT}', env)).toMatchObject({ ok: true, text: 'db.internal:5432', wholeReference: false });
    expect(expandEnvReferences('${env:NOPE:-127.0.0.1}', env)).toMatchObject({ ok: true, text: '127.0.0.1', wholeReference: true });
    expect(expandEnvReferences('${env:EMPTY:-fallback}', env)).toMatchObject({ ok: true, text: 'fallback' });
    expect(expandEnvReferences('${env:EMPTY}', env)).toMatchObject({ ok: true, text: '' });
    expect(expandEnvReferences('cost: $$5, $${env:HOST} stays, $HOME too', env)).toMatchObject({
      ok: true,
      text: 'cost: $5, ${env:HOST} stays, $HOME too',
      wholeReference: false,
    });
    expect(expandEnvReferences('$${env:HOST}', env)).toMatchObject({ ok: true, wholeReference: false });
  });

  it('remembers what came from the environment (to scrub it from messages), not defaults', () => {
    expect(expandEnvReferences('${env:HOST}/${env:NOPE:-x}', env)).toMatchObject({ environmentValues: ['db.internal'] });
  });

  it('names the variable, never a value, when it cannot expand', () => {
    expect(expandEnvReferences('${env:NOPE}', env)).toEqual({
      ok: false,
      message: 'environment variable NOPE is not set (use ${env:NOPE:-default} for a default)',
    });
    expect(expandEnvReferences('${HOME}', env)).toEqual({
      ok: false,
      message: 'unsupported reference "${HOME…}": write ${env:NAME} or ${env:NAME:-default}, or $$ for a literal $',
    });
    expect(expandEnvReferences('${env:', env)).toEqual({
      ok: false,
      message: 'a "${" reference has no closing "}" (write $$ for a literal $)',
    });
    expect(expandEnvReferences('${env:1BAD}', env)).toMatchObject({ ok: false });
  });
});

describe('rereadScalar', () => {
  it('reads plain scalars the YAML way and leaves anything else as text', () => {
    expect(rereadScalar('8080')).toBe(8080);
    expect(rereadScalar('0.5')).toBe(0.5);
    expect(rereadScalar('true')).toBe(true);
    expect(rereadScalar('null')).toBe(null);
    expect(rereadScalar('15s')).toBe('15s');
    expect(rereadScalar('')).toBe('');
    expect(rereadScalar('a: b')).toBe('a: b');
    expect(rereadScalar('[1, 2]')).toBe('[1, 2]');
    expect(rereadScalar('# not a comment')).toBe('# not a comment');
    expect(rereadScalar('"quoted"')).toBe('"quoted"');
  });
});

describe('env references in a configuration', () => {
  it('expand all three forms, re-read a whole reference as a number, and keep strings for string fields', () => {
    const config = configOf(
      yaml(
        'receivers:',
        '  poller:',
        '    port: ${env:PORT}',
        '    token: ${env:TOKEN}',
        '    collection_interval: "${env:INTERVAL:-20s}"',
        '    targets:',
        '      - service: ${env:SERVICE}-$${literal}',
        'exporters:',
        '  shipper:',
        '    endpoint: "http://${env:OTLP_HOST:-127.0.0.1}:4318"',
        ...VALID_SERVICE,
      ),
      { PORT: '9100', TOKEN: '0012', SERVICE: 'api' },
    );
    expect(config.receivers.get('poller')?.config).toEqual({
      port: 9100,
      // The digits re-read as the number 12, but the field wants a string: the text is kept.
      token: '0012',
      collection_interval: 20_000,
      targets: [{ service: 'api-${literal}' }],
    });
    expect(config.exporters.get('shipper')?.config).toMatchObject({ endpoint: 'http://127.0.0.1:4318' });
  });

  it('report an unset variable at its value, naming the variable, without follow-on problems', () => {
    expect(
      problemsOf(
        yaml(
          'receivers:',
          '  poller:',
          '    port: ${env:PORT}',
          '    token: "Bearer ${env:MISSING_TOKEN}"',
          'exporters:',
          '  shipper:',
          ...VALID_SERVICE,
        ),
        { PORT: 'not-a-number' },
      ),
    ).toEqual([
      'pipeline.yaml:3:11: receivers.poller.port: expected a number, got a string',
      'pipeline.yaml:4:12: receivers.poller.token: environment variable MISSING_TOKEN is not set (use ${env:MISSING_TOKEN:-default} for a default)',
    ]);
  });

  it('never show a value from the environment or a secret field in any message', () => {
    const secretFromEnv = 'sk-live-4f3c2a1b';
    const secretInFile = 'hunter2-in-the-file';
    const problems = problemsOf(
      yaml(
        'receivers:',
        '  poller:',
        '    port: ${env:PORT}',
        'exporters:',
        '  shipper:',
        '    api_key: ${env:API_KEY}',
        '    endpoint: "http://admin:${env:DB_PASSWORD}@127.0.0.1:4318"',
        '    timeout: ${env:API_KEY}',
        '  pager:',
        '    authorization: ${env:API_KEY}',
        '  pager/file:',
        `    authorization: ${secretInFile}`,
        'service:',
        '  pipelines:',
        '    metrics:',
        '      receivers: [poller]',
        '      exporters: [shipper]',
        '    alerts:',
        '      receivers: [poller]',
        '      processors: [judge]',
        '      exporters: [pager, pager/file]',
        'processors:',
        '  judge:',
      ),
      { API_KEY: secretFromEnv, PORT: secretFromEnv, DB_PASSWORD: 'pa55w0rd-xyz' },
    );
    expect(problems).toEqual([
      'pipeline.yaml:3:11: receivers.poller.port: expected a number, got a string',
      'pipeline.yaml:6:14: exporters.shipper.api_key: expected at least 20 characters',
      'pipeline.yaml:8:14: exporters.shipper.timeout: expected a duration such as 500ms, 15s, 5m or 1h',
      'pipeline.yaml:10:20: exporters.pager.authorization: "***" is not a bearer token',
      'pipeline.yaml:12:20: exporters.pager/file.authorization: "***" is not a bearer token',
    ]);
    const output = problems.join('\n');
    for (const secret of [secretFromEnv, secretInFile, 'pa55w0rd-xyz']) expect(output).not.toContain(secret);
  });

  it('are not expanded in a value a later file replaces', () => {
    const config = configOf([
      ['base.yaml', yaml('receivers:', '  poller:', '    token: ${env:UNSET_IN_CI}', 'exporters:', '  shipper:', ...VALID_SERVICE)],
      ['ci.yaml', yaml('receivers:', '  poller:', '    token: fixed')],
    ]);
    expect(config.receivers.get('poller')?.config).toMatchObject({ token: 'fixed' });
  });
});

import { describe, expect, it } from 'vitest';
import { ComponentRegistry } from '../../src/component/registry.js';
import { beaconExtension, ExtensionLog, ledgerExporter } from '../helpers/test-extension.js';
import { configOf, problemsOf, yaml } from './helpers.js';
import { judge, poller, printer, shipper } from './registry.js';

const registry = (): ComponentRegistry => new ComponentRegistry([poller, judge, shipper, printer, ledgerExporter, beaconExtension(new ExtensionLog())]);

const PIPELINE = ['service:', '  pipelines:', '    metrics: { receivers: [poller], exporters: [shipper] }'];

describe('the extensions section', () => {
  it('resolves each listed extension with its schema defaults, in the order service.extensions lists them', () => {
    const config = configOf(
      yaml(
        'receivers: { poller: {} }',
        'exporters: { shipper: {} }',
        'extensions:',
        '  beacon: { port: 8080 }',
        '  beacon/second: {}',
        ...PIPELINE,
        '  extensions: [beacon/second, beacon]',
      ),
      {},
      registry(),
    );
    expect([...config.extensions.keys()]).toEqual(['beacon/second', 'beacon']);
    expect(config.extensions.get('beacon')).toMatchObject({
      id: 'beacon',
      kind: 'extension',
      type: 'beacon',
      config: { port: 8080, refuse_start: false, label: '' },
    });
    expect(config.extensions.get('beacon/second')).toMatchObject({ name: 'second', config: { port: 13133 } });
    expect(config.service.extensions).toEqual(['beacon/second', 'beacon']);
  });

  it('reports an unknown type with suggestions and strict schema problems at their line and column', () => {
    expect(
      problemsOf(
        yaml(
          'receivers: { poller: {} }',
          'exporters: { shipper: {} }',
          'extensions:',
          '  becon: {}',
          '  beacon:',
          '    port: 99999',
          '    colour: red',
          ...PIPELINE,
          '  extensions: [becon, beacon]',
        ),
        {},
        registry(),
      ),
    ).toEqual([
      'pipeline.yaml:4:3: extensions.becon: unknown extension type "becon"; did you mean "beacon"? Known extension types: beacon',
      'pipeline.yaml:6:11: extensions.beacon.port: expected at most 65535: TCP and UDP ports are 1 to 65535',
      'pipeline.yaml:7:5: extensions.beacon.colour: unknown key "colour"; allowed keys: port, token, refuse_start, label',
    ]);
  });

  it('expands ${env:…} and never repeats a secret or a value from the environment in a problem', () => {
    const config = configOf(
      yaml(
        'receivers: { poller: {} }',
        'exporters: { shipper: {} }',
        'extensions:',
        '  beacon: { port: "${env:BEACON_PORT}", token: "${env:BEACON_TOKEN}" }',
        ...PIPELINE,
        '  extensions: [beacon]',
      ),
      { BEACON_PORT: '9000', BEACON_TOKEN: 's3cr3t-t0ken' },
      registry(),
    );
    expect(config.extensions.get('beacon')!.config).toMatchObject({ port: 9000, token: 's3cr3t-t0ken' });
    expect(config.secrets.has('s3cr3t-t0ken')).toBe(true);

    const problems = problemsOf(
      yaml(
        'receivers: { poller: {} }',
        'exporters: { shipper: {} }',
        'extensions:',
        '  beacon: { token: 12345678, refuse_start: "hunter2-secret" }',
        ...PIPELINE,
        '  extensions: [beacon]',
      ),
      {},
      registry(),
    );
    expect(problems.length).toBeGreaterThan(0);
    expect(problems.join('\n')).not.toContain('hunter2-secret');
    expect(problems.join('\n')).not.toContain('12345678');
  });

  it('reports an extension defined but not listed in service.extensions, like an unused component', () => {
    expect(
      problemsOf(
        yaml('receivers: { poller: {} }', 'exporters: { shipper: {} }', 'extensions:', '  beacon: {}', '  beacon/idle: {}', ...PIPELINE, '  extensions: [beacon]'),
        {},
        registry(),
      ),
    ).toEqual(['pipeline.yaml:5:3: extensions.beacon/idle: extension "beacon/idle" is defined but not listed in service.extensions']);
  });

  it('refuses a reference to an undefined extension, with a suggestion', () => {
    expect(
      problemsOf(
        yaml('receivers: { poller: {} }', 'exporters: { shipper: {} }', 'extensions:', '  beacon: {}', ...PIPELINE, '  extensions: [beacon, beacn]'),
        {},
        registry(),
      ),
    ).toEqual([
      'pipeline.yaml:8:24: service.extensions[1]: extension "beacn" is not defined in the extensions section; did you mean "beacon"? Defined extensions: beacon',
    ]);
  });
});

describe('a factory marked single', () => {
  it('allows one component of its type; a second is a problem at its key', () => {
    const text = (exporters: string): string =>
      yaml(
        'receivers: { poller: {} }',
        'exporters:',
        '  shipper: {}',
        exporters,
        'service:',
        '  pipelines:',
        '    metrics: { receivers: [poller], exporters: [shipper, ledger] }',
        '    metrics/b: { receivers: [poller], exporters: [ledger/b] }',
      );
    expect(problemsOf(text('  ledger: {}\n  ledger/b: {}'), {}, registry())).toEqual([
      'pipeline.yaml:5:3: exporters.ledger/b: only one ledger exporter per configuration: "ledger" is defined already',
    ]);
  });

  it('does not limit other types', () => {
    const config = configOf(
      yaml(
        'receivers: { poller: {} }',
        'exporters: { shipper: {}, shipper/b: {}, ledger: {} }',
        'service:',
        '  pipelines:',
        '    metrics: { receivers: [poller], exporters: [shipper, shipper/b, ledger] }',
      ),
      {},
      registry(),
    );
    expect([...config.exporters.keys()]).toEqual(['shipper', 'shipper/b', 'ledger']);
  });
});

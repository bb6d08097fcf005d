import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  configFingerprint,
  formatProblem,
  loadConfig,
  loadConfigFromSources,
  pluginSpecifiersFromSources,
  readConfigSources,
} from '../../src/config/index.js';
import { configOf, problemsOf, yaml } from './helpers.js';
import { judge, muffler, pager, poller, printer, shipper, smoother, testRegistry } from './registry.js';

const FULL = yaml(
  'plugins: [./plugins/extra.js, /opt/plugins/abs.js, healthpipe-plugin-foo]',
  'receivers:',
  '  poller:',
  '    collection_interval: 30s',
  '    targets:',
  '      - service: api',
  '        labels: { team: payments }',
  '  poller/backup:',
  'processors:',
  '  smoother: { size: 2m }',
  '  judge: { profile: strict }',
  '  muffler:',
  'exporters:',
  '  shipper:',
  '    endpoint: http://127.0.0.1:4318',
  '  pager:',
  '  printer: { verbosity: detailed }',
  'service:',
  '  pipelines:',
  '    metrics:',
  '      receivers: [poller, poller/backup]',
  '      exporters: [shipper, printer]',
  '    alerts/main:',
  '      receivers: [poller]',
  '      processors: [smoother, judge, muffler]',
  '      exporters: [pager, printer]',
);

describe('a valid configuration', () => {
  it('resolves to components with defaults applied, durations in ms, typed pipelines and service defaults', () => {
    const config = configOf([['/srv/hp/pipeline.yaml', FULL]]);
    expect(config.files).toEqual(['/srv/hp/pipeline.yaml']);
    expect(config.plugins).toEqual(['/srv/hp/plugins/extra.js', '/opt/plugins/abs.js', 'healthpipe-plugin-foo']);
    expect([...config.receivers.keys()]).toEqual(['poller', 'poller/backup']);
    expect(config.receivers.get('poller')).toEqual({
      id: 'poller',
      kind: 'receiver',
      type: 'poller',
      factory: poller,
      config: { collection_interval: 30_000, targets: [{ service: 'api', labels: { team: 'payments' } }] },
      fingerprint: configFingerprint({ collection_interval: '30s', targets: [{ labels: { team: 'payments' }, service: 'api' }] }),
    });
    expect(config.receivers.get('poller/backup')).toEqual({
      id: 'poller/backup',
      kind: 'receiver',
      type: 'poller',
      name: 'backup',
      factory: poller,
      config: { collection_interval: 15_000, targets: [] },
      fingerprint: configFingerprint({}),
    });
    expect(Object.fromEntries([...config.processors].map(([id, c]) => [id, [c.factory, c.config]]))).toEqual({
      smoother: [smoother, { size: 120_000 }],
      judge: [judge, { profile: 'strict' }],
      muffler: [muffler, { period: 300_000 }],
    });
    expect(Object.fromEntries([...config.exporters].map(([id, c]) => [id, [c.factory, c.config]]))).toEqual({
      shipper: [shipper, { endpoint: 'http://127.0.0.1:4318', timeout: 5000 }],
      pager: [pager, { url: 'http://127.0.0.1:9093' }],
      printer: [printer, { verbosity: 'detailed' }],
    });
    expect(config.pipelines).toEqual([
      { id: 'metrics', signal: 'metrics', receivers: ['poller', 'poller/backup'], processors: [], exporters: ['shipper', 'printer'] },
      {
        id: 'alerts/main',
        signal: 'alerts',
        receivers: ['poller'],
        processors: ['smoother', 'judge', 'muffler'],
        exporters: ['pager', 'printer'],
      },
    ]);
    expect(config.service).toEqual({
      dataDir: '/srv/hp/data',
      // Not written: a problem with it points at the service section.
      dataDirPosition: { file: '/srv/hp/pipeline.yaml', line: 18, column: 1 },
      extensions: [],
      logLevel: 'info',
      metricsInterval: 15_000,
      shutdownTimeout: 10_000,
      exporterQueueSize: 100_000,
    });
  });

  it('takes the service settings that are written', () => {
    const config = configOf(
      FULL +
        yaml(
          '  data_dir: /var/lib/healthpipe',
          '  shutdown_timeout: 3s',
          '  exporter_queue_size: 5000',
          '  telemetry:',
          '    logs: { level: debug }',
          '    metrics:',
          '      interval: 1m',
        ),
    );
    expect(config.service).toEqual({
      dataDir: '/var/lib/healthpipe',
      dataDirPosition: { file: 'pipeline.yaml', line: 27, column: 13 },
      extensions: [],
      logLevel: 'debug',
      metricsInterval: 60_000,
      shutdownTimeout: 3000,
      exporterQueueSize: 5000,
    });
  });

  it('takes a whole number of at least 1 as the exporter queue size', () => {
    expect(problemsOf(FULL + yaml('  exporter_queue_size: 0'))).toEqual([
      'pipeline.yaml:27:24: service.exporter_queue_size: expected a number >= 1',
    ]);
    expect(problemsOf(FULL + yaml('  exporter_queue_size: 2.5'))).toEqual([
      'pipeline.yaml:27:24: service.exporter_queue_size: expected an integer, got a number',
    ]);
    expect(problemsOf(FULL + yaml('  exporter_queue_size: lots'))).toEqual([
      'pipeline.yaml:27:24: service.exporter_queue_size: expected a number, got a string',
    ]);
  });

  it('gives the same fingerprint whatever the key order, and another when a value changes', () => {
    const fingerprint = (text: string): string | undefined => configOf(text).receivers.get('poller')?.fingerprint;
    const reordered = FULL.replace(
      '    collection_interval: 30s\n    targets:\n      - service: api\n        labels: { team: payments }\n',
      '    targets:\n      - labels: { team: payments }\n        service: api\n    collection_interval: 30s\n',
    );
    expect(reordered).not.toBe(FULL);
    expect(fingerprint(reordered)).toBe(fingerprint(FULL));
    expect(fingerprint(FULL.replace('30s', '31s'))).not.toBe(fingerprint(FULL));
  });
});

describe('all problems at once', () => {
  it('come from every stage, sorted by line and column', () => {
    expect(
      problemsOf(
        yaml(
          'receivers:', //                                   1
          '  poller:', //                                     2
          '    collection_interval: often', //                3
          '    token: ${env:NO_SUCH_VAR}', //                 4
          '  snmp:', //                                       5
          'exporters:', //                                   6
          '  shipper: { verbose: true }', //                  7
          'service:', //                                     8
          '  shutdown_timeout: 10', //                        9
          '  pipelines:', //                                 10
          '    metrics:', //                                 11
          '      receivers: [poller, snmp]', //              12
          '      exporters: [shipper, pager]', //            13
        ),
      ),
    ).toEqual([
      'pipeline.yaml:3:26: receivers.poller.collection_interval: expected a duration such as 500ms, 15s, 5m or 1h',
      'pipeline.yaml:4:12: receivers.poller.token: environment variable NO_SUCH_VAR is not set (use ${env:NO_SUCH_VAR:-default} for a default)',
      'pipeline.yaml:5:3: receivers.snmp: unknown receiver type "snmp"; known receiver types: poller',
      'pipeline.yaml:7:14: exporters.shipper.verbose: unknown key "verbose"; allowed keys: endpoint, api_key, timeout',
      'pipeline.yaml:9:21: service.shutdown_timeout: expected a duration such as 500ms, 15s, 5m or 1h, got an integer',
      'pipeline.yaml:13:28: service.pipelines.metrics.exporters[1]: exporter "pager" is not defined in the exporters section; defined exporters: shipper',
    ]);
  });
});

describe('loadConfig', () => {
  let directory: string;
  beforeEach(() => {
    directory = mkdtempSync(path.join(tmpdir(), 'healthpipe-config-'));
  });
  afterEach(() => {
    rmSync(directory, { recursive: true, force: true });
  });

  it('reads the files and resolves data_dir and plugins against their directory', async () => {
    const file = path.join(directory, 'pipeline.yaml');
    writeFileSync(file, FULL + yaml('  data_dir: ./state'));
    const result = await loadConfig([file], testRegistry(), {});
    expect(result.ok && result.config.service.dataDir).toBe(path.join(directory, 'state'));
    expect(result.ok && result.config.plugins[0]).toBe(path.join(directory, 'plugins', 'extra.js'));
  });

  it('reports a missing file as a problem with its path instead of throwing', async () => {
    const present = path.join(directory, 'pipeline.yaml');
    const missing = path.join(directory, 'nope.yaml');
    writeFileSync(present, FULL);
    const result = await loadConfig([present, missing, directory], testRegistry(), {});
    expect(result.ok).toBe(false);
    expect(!result.ok && result.problems.map(formatProblem)).toEqual([
      `${missing}: cannot read the configuration: no such file`,
      `${directory}: cannot read the configuration: is a directory, not a regular file`,
    ]);
  });

  it('reports problems with the file name as given', async () => {
    const file = path.join(directory, 'bad.yaml');
    writeFileSync(file, 'receivers:\n  poller:\n    port: high\n');
    const result = await loadConfig([file], testRegistry(), {});
    expect(!result.ok && result.problems.map(formatProblem)).toEqual([
      `${file}:1:1: service.pipelines: at least one pipeline is required (metrics or alerts)`,
      `${file}:3:11: receivers.poller.port: expected a number, got a string`,
    ]);
  });

  it('reports that no file was given', async () => {
    expect(await loadConfig([], testRegistry(), {})).toEqual({
      ok: false,
      problems: [{ path: '', message: 'no configuration file given' }],
    });
    expect(loadConfigFromSources([], testRegistry(), {})).toMatchObject({ ok: false });
  });

  it('reads the plugin list before the registry knows the plugins components', async () => {
    const file = path.join(directory, 'pipeline.yaml');
    writeFileSync(file, yaml('plugins: [./my-receiver.js, some-package]', 'receivers:', '  plugin_only_type:'));
    const read = await readConfigSources([file]);
    expect(read.ok).toBe(true);
    if (!read.ok) return;
    expect(pluginSpecifiersFromSources(read.sources, {})).toEqual({
      ok: true,
      plugins: [path.join(directory, 'my-receiver.js'), 'some-package'],
      // Package plugins are installed beside the file that names them.
      directory,
    });
    expect(pluginSpecifiersFromSources([{ name: 'p.yaml', text: 'plugins: [1]\n' }], {})).toEqual({
      ok: false,
      problems: [{ file: 'p.yaml', line: 1, column: 11, path: 'plugins[0]', message: 'expected a string, got an integer' }],
    });
  });
});

describe('the secrets of a configuration', () => {
  it('are the values under secret-looking keys and the credentials in URLs, for the logger to blank out', () => {
    const config = configOf(
      FULL.replace('    endpoint: http://127.0.0.1:4318', '    endpoint: http://agent:hunter2-pass@127.0.0.1:4318\n    api_key: ${env:SHIPPER_KEY}').replace(
        '  pager:',
        '  pager: { authorization: Bearer abc-def-ghi }',
      ),
      { SHIPPER_KEY: 'key-0123456789abcdefghij' },
    );
    expect([...config.secrets].sort()).toEqual(
      ['Bearer abc-def-ghi', 'agent:hunter2-pass', 'hunter2-pass', 'key-0123456789abcdefghij'].sort(),
    );
  });
});

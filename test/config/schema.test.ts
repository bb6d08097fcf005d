import { describe, expect, it } from 'vitest';
import { configOf, problemsOf, VALID_SERVICE, yaml } from './helpers.js';

const COMPONENT_ID_RULE = 'an id is "type" or "type/name" (type: lower_snake_case; name: letters, digits, _ . -)';

describe('unknown keys', () => {
  it('point at the key, with its line and column, and list the allowed keys', () => {
    expect(
      problemsOf(
        yaml(
          'receivers:',
          '  poller:',
          '    collection_interval: 15s',
          'exporters:',
          '  shipper:',
          '    endpoint: http://127.0.0.1:4318',
          '    timout: 5s',
          ...VALID_SERVICE,
        ),
      ),
    ).toEqual([
      'pipeline.yaml:7:5: exporters.shipper.timout: unknown key "timout"; did you mean "timeout"? Allowed keys: endpoint, api_key, timeout',
    ]);
  });

  it('are found at the top level', () => {
    expect(problemsOf(yaml('receivers:', '  poller:', 'exporters:', '  shipper:', 'proccessors: {}', ...VALID_SERVICE))).toEqual([
      'pipeline.yaml:5:1: proccessors: unknown key "proccessors"; did you mean "processors"? Allowed keys: plugins, receivers, processors, exporters, extensions, service',
    ]);
  });

  it('are found in service, its telemetry and its pipelines, all at once', () => {
    expect(
      problemsOf(
        yaml(
          'receivers:',
          '  poller:',
          'exporters:',
          '  shipper:',
          'service:',
          '  data_dri: ./state',
          '  telemetry:',
          '    logs: { level: loud, format: json }',
          '    metrics: { interval: soon }',
          '  pipelines:',
          '    metrics:',
          '      receivers: [poller]',
          '      exporters: [shipper]',
          '      procesors: []',
        ),
      ),
    ).toEqual([
      'pipeline.yaml:6:3: service.data_dri: unknown key "data_dri"; did you mean "data_dir"? Allowed keys: data_dir, telemetry, shutdown_timeout, exporter_queue_size, extensions, pipelines',
      'pipeline.yaml:8:20: service.telemetry.logs.level: expected one of "debug", "info", "warn", "error"',
      'pipeline.yaml:8:26: service.telemetry.logs.format: unknown key "format"; allowed keys: level',
      'pipeline.yaml:9:26: service.telemetry.metrics.interval: expected a duration such as 500ms, 15s, 5m or 1h',
      'pipeline.yaml:14:7: service.pipelines.metrics.procesors: unknown key "procesors"; did you mean "processors"? Allowed keys: receivers, processors, exporters',
    ]);
  });

  it('inside a list item point at the key in that item', () => {
    expect(
      problemsOf(
        yaml(
          'receivers:',
          '  poller:',
          '    targets:',
          '      - service: api',
          '      - { service: db, label: x }',
          'exporters:',
          '  shipper:',
          ...VALID_SERVICE,
        ),
      ),
    ).toEqual([
      'pipeline.yaml:5:24: receivers.poller.targets[1].label: unknown key "label"; did you mean "labels"? Allowed keys: service, labels',
    ]);
  });
});

describe('values a component schema rejects', () => {
  it('point at the value, saying what was expected and what kind of value was found', () => {
    expect(
      problemsOf(
        yaml(
          'receivers:',
          '  poller:',
          '    port: 70000',
          '    targets:',
          '      - service: api',
          '        labels: { team: 7 }',
          '      - servise: worker',
          'exporters:',
          '  shipper:',
          '    timeout: 5x',
          '    endpoint: [a, b]',
          ...VALID_SERVICE,
        ),
      ),
    ).toEqual([
      'pipeline.yaml:3:11: receivers.poller.port: expected a number <= 65535',
      'pipeline.yaml:6:25: receivers.poller.targets[0].labels.team: expected a string, got an integer',
      'pipeline.yaml:7:9: receivers.poller.targets[1].service: missing required key "service"',
      'pipeline.yaml:7:9: receivers.poller.targets[1].servise: unknown key "servise"; did you mean "service"? Allowed keys: service, labels',
      'pipeline.yaml:10:14: exporters.shipper.timeout: expected a duration such as 500ms, 15s, 5m or 1h',
      'pipeline.yaml:11:15: exporters.shipper.endpoint: expected a string, got a list',
    ]);
  });

  it('report a section that is not a map', () => {
    expect(problemsOf(yaml('receivers: [poller]', 'exporters:', '  shipper:', ...VALID_SERVICE))).toEqual([
      'pipeline.yaml:1:12: receivers: expected a map, got a list',
      'pipeline.yaml:7:19: service.pipelines.metrics.receivers[0]: receiver "poller" is not defined in the receivers section',
    ]);
  });
});

describe('the shape of the file', () => {
  it('must be a map of sections', () => {
    expect(problemsOf(yaml('- receivers', '- service'))).toEqual([
      'pipeline.yaml:1:1: the configuration must be a map of sections (receivers, processors, exporters, service, …)',
      'pipeline.yaml:1:1: service.pipelines: at least one pipeline is required (metrics or alerts)',
    ]);
  });

  it('needs service to be a map', () => {
    expect(problemsOf(yaml('receivers:', '  poller:', 'service: [metrics]'))).toEqual([
      'pipeline.yaml:3:10: service: expected a map, got a list',
    ]);
  });
});

describe('component ids and types', () => {
  it('report unknown types at the key with the known types, and malformed ids', () => {
    expect(
      problemsOf(
        yaml(
          'receivers:',
          '  poller:',
          '  polller/x:',
          '  Poller:',
          '  poller/:',
          'processors:',
          '  smoother/a b:',
          'exporters:',
          '  shipper:',
          '  carrier_pigeon:',
          ...VALID_SERVICE,
        ),
      ),
    ).toEqual([
      'pipeline.yaml:3:3: receivers.polller/x: unknown receiver type "polller"; did you mean "poller"? Known receiver types: poller',
      `pipeline.yaml:4:3: receivers.Poller: invalid receiver id "Poller": ${COMPONENT_ID_RULE}`,
      `pipeline.yaml:5:3: receivers.poller/: invalid receiver id "poller/": ${COMPONENT_ID_RULE}`,
      `pipeline.yaml:7:3: processors.smoother/a b: invalid processor id "smoother/a b": ${COMPONENT_ID_RULE}`,
      'pipeline.yaml:10:3: exporters.carrier_pigeon: unknown exporter type "carrier_pigeon"; known exporter types: pager, printer, shipper',
    ]);
  });

  it('accept type/name ids and an empty section as {}', () => {
    const config = configOf(
      yaml(
        'receivers:',
        '  poller/fast.v2:',
        '    collection_interval: 1s',
        '  poller:',
        'exporters:',
        '  shipper:',
        'service:',
        '  pipelines:',
        '    metrics:',
        '      receivers: [poller, poller/fast.v2]',
        '      exporters: [shipper]',
      ),
    );
    expect(config.receivers.get('poller/fast.v2')).toMatchObject({
      id: 'poller/fast.v2',
      kind: 'receiver',
      type: 'poller',
      name: 'fast.v2',
      config: { collection_interval: 1000, targets: [] },
    });
    expect(config.receivers.get('poller')).toMatchObject({ type: 'poller', config: { collection_interval: 15_000 } });
    expect(config.receivers.get('poller')).not.toHaveProperty('name');
  });
});

describe('extensions', () => {
  it('of an unknown type are problems, and service.extensions must name defined ones', () => {
    expect(
      problemsOf(
        yaml(
          'receivers:',
          '  poller:',
          'exporters:',
          '  shipper:',
          'extensions:',
          '  http: { endpoint: 127.0.0.1:13133 }',
          'service:',
          '  extensions: [http, zpages, http]',
          '  pipelines:',
          '    metrics:',
          '      receivers: [poller]',
          '      exporters: [shipper]',
        ),
      ),
    ).toEqual([
      'pipeline.yaml:6:3: extensions.http: unknown extension type "http"; no extension types are available',
      'pipeline.yaml:8:22: service.extensions[1]: extension "zpages" is not defined in the extensions section; defined extensions: http',
      'pipeline.yaml:8:30: service.extensions[2]: extension "http" is listed more than once',
    ]);
  });

  it('may be absent or empty', () => {
    const config = configOf(yaml('receivers:', '  poller:', 'exporters:', '  shipper:', 'extensions:', ...VALID_SERVICE, '  extensions: []'));
    expect(config.service.extensions).toEqual([]);
  });
});

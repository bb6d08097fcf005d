import { describe, expect, it } from 'vitest';
import { configOf, problemsOf, yaml } from './helpers.js';

const BASE = yaml(
  'receivers:', //                          1
  '  poller:', //                            2
  '    collection_interval: 10s', //         3
  '    targets:', //                         4
  '      - service: api', //                 5
  '      - service: db', //                  6
  'exporters:', //                          7
  '  shipper:', //                           8
  '    endpoint: http://a.example:4318', //  9
  'service:', //                            10
  '  data_dir: ./state', //                 11
  '  pipelines:', //                        12
  '    metrics:', //                        13
  '      receivers: [poller]', //           14
  '      exporters: [shipper]', //          15
);

describe('several configuration files', () => {
  it('deep-merge maps with the later file winning, and replace lists whole', () => {
    const config = configOf([
      ['/etc/healthpipe/base.yaml', BASE],
      [
        '/tmp/overlay.yaml',
        yaml(
          'receivers:',
          '  poller:',
          '    targets:',
          '      - service: worker',
          'exporters:',
          '  shipper:',
          '    timeout: 9s',
          '  printer:',
          'service:',
          '  pipelines:',
          '    metrics:',
          '      exporters: [shipper, printer]',
        ),
      ],
    ]);
    expect(config.files).toEqual(['/etc/healthpipe/base.yaml', '/tmp/overlay.yaml']);
    expect(config.receivers.get('poller')?.config).toEqual({ collection_interval: 10_000, targets: [{ service: 'worker' }] });
    expect(config.exporters.get('shipper')?.config).toEqual({ endpoint: 'http://a.example:4318', timeout: 9000 });
    expect(config.pipelines).toEqual([
      { id: 'metrics', signal: 'metrics', receivers: ['poller'], processors: [], exporters: ['shipper', 'printer'] },
    ]);
    // Relative paths resolve against the first file's directory, whichever file set them.
    expect(config.service.dataDir).toBe('/etc/healthpipe/state');
  });

  it('point each problem at the file that supplied the value', () => {
    expect(
      problemsOf([
        ['base.yaml', BASE.replace('collection_interval: 10s', 'collection_interval: 10x')],
        ['overlay.yaml', yaml('exporters:', '  shipper:', '    timeout: 9x', '    endpont: http://b')],
      ]),
    ).toEqual([
      'base.yaml:3:26: receivers.poller.collection_interval: expected a duration such as 500ms, 15s, 5m or 1h',
      'overlay.yaml:3:14: exporters.shipper.timeout: expected a duration such as 500ms, 15s, 5m or 1h',
      'overlay.yaml:4:5: exporters.shipper.endpont: unknown key "endpont"; did you mean "endpoint"? Allowed keys: endpoint, api_key, timeout',
    ]);
  });

  it('let a later file fix a value of an earlier one', () => {
    const config = configOf([
      ['base.yaml', BASE.replace('collection_interval: 10s', 'collection_interval: 10x')],
      ['fix.yaml', yaml('receivers:', '  poller:', '    collection_interval: 20s')],
    ]);
    expect(config.receivers.get('poller')?.config).toMatchObject({ collection_interval: 20_000 });
  });

  it('keep a map when a later file leaves the same key empty', () => {
    const config = configOf([
      ['base.yaml', BASE],
      ['empty.yaml', yaml('receivers:', '  poller:', 'exporters:')],
    ]);
    expect(config.receivers.get('poller')?.config).toMatchObject({ collection_interval: 10_000 });
    expect(config.exporters.get('shipper')?.config).toMatchObject({ endpoint: 'http://a.example:4318' });
  });

  it('accept an empty file', () => {
    expect(configOf([['base.yaml', BASE], ['empty.yaml', '# nothing yet\n']]).receivers.has('poller')).toBe(true);
  });
});

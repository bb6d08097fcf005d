import { EMPTY } from 'rxjs';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { defineReceiver } from '../../src/component/define.js';
import { ComponentRegistry } from '../../src/component/registry.js';
import { configOf, problemsOf, yaml } from './helpers.js';
import { testRegistry } from './registry.js';

const ALL_COMPONENTS = [
  'receivers:', //       1
  '  poller:', //         2
  'processors:', //      3
  '  smoother:', //       4
  '  judge:', //          5
  '  muffler:', //        6
  'exporters:', //       7
  '  shipper:', //        8
  '  pager:', //          9
  '  printer:', //       10
];

describe('pipeline graph rules', () => {
  it('check ids, receivers and exporters, references, duplicates, signals and the processor chain', () => {
    expect(
      problemsOf(
        yaml(
          ...ALL_COMPONENTS,
          'service:', //                                    11
          '  pipelines:', //                                12
          '    traces:', //                                 13
          '      receivers: [poller]', //                   14
          '      exporters: [printer]', //                  15
          '    metrics:', //                                16
          '      receivers: []', //                         17
          '    alerts:', //                                 18
          '      receivers: [poller, poller, pollr]', //    19
          '      processors: [muffler, judge]', //          20
          '      exporters: [shipper, pager, printr]', //   21
          '    alerts/noconv:', //                          22
          '      receivers: [poller]', //                   23
          '      processors: [smoother]', //                24
          '      exporters: [pager]', //                    25
          '    metrics/leak:', //                           26
          '      receivers: [poller]', //                   27
          '      processors: [judge]', //                   28
          '      exporters: [printer]', //                  29
        ),
      ),
    ).toEqual([
      'pipeline.yaml:13:5: service.pipelines.traces: pipeline id "traces" must be metrics, alerts, metrics/<name> or alerts/<name>',
      'pipeline.yaml:16:5: service.pipelines.metrics.exporters: a pipeline needs at least one exporter',
      'pipeline.yaml:17:18: service.pipelines.metrics.receivers: a pipeline needs at least one receiver',
      'pipeline.yaml:19:27: service.pipelines.alerts.receivers[1]: receiver "poller" is listed more than once',
      'pipeline.yaml:19:35: service.pipelines.alerts.receivers[2]: receiver "pollr" is not defined in the receivers section; did you mean "poller"? Defined receivers: poller',
      'pipeline.yaml:20:20: service.pipelines.alerts.processors[0]: processor "muffler" takes alerts, but receives metrics from the receivers',
      'pipeline.yaml:20:29: service.pipelines.alerts.processors[1]: processor "judge" takes metrics, but receives alerts from processor "muffler"',
      'pipeline.yaml:21:19: service.pipelines.alerts.exporters[0]: exporter "shipper" accepts metrics only, so it cannot be in an alerts pipeline',
      'pipeline.yaml:21:35: service.pipelines.alerts.exporters[2]: exporter "printr" is not defined in the exporters section; did you mean "printer"? Defined exporters: shipper, pager, printer',
      'pipeline.yaml:24:19: service.pipelines.alerts/noconv.processors: an alerts pipeline must turn metrics into alerts, but its processors end with metrics: add a processor that does, such as "judge"',
      'pipeline.yaml:28:19: service.pipelines.metrics/leak.processors: a metrics pipeline must end with metrics, but its processors turn them into alerts',
    ]);
  });

  it('report unused components, an alerts pipeline without processors, and a reference to the wrong section', () => {
    expect(
      problemsOf(
        yaml(
          'receivers:', //                              1
          '  poller:', //                                2
          '  poller/spare:', //                          3
          'processors:', //                             4
          '  smoother:', //                              5
          'exporters:', //                              6
          '  shipper:', //                               7
          '  pager:', //                                 8
          'service:', //                                9
          '  pipelines:', //                            10
          '    alerts:', //                             11
          '      receivers: [poller]', //               12
          '      exporters: [pager, smoother]', //      13
        ),
      ),
    ).toEqual([
      'pipeline.yaml:3:3: receivers.poller/spare: receiver "poller/spare" is defined but not used in any pipeline',
      'pipeline.yaml:5:3: processors.smoother: processor "smoother" is defined but not used in any pipeline',
      'pipeline.yaml:7:3: exporters.shipper: exporter "shipper" is defined but not used in any pipeline',
      'pipeline.yaml:11:5: service.pipelines.alerts.processors: an alerts pipeline must turn metrics into alerts, but its processors end with metrics: add a processor that does, such as "judge"',
      'pipeline.yaml:13:26: service.pipelines.alerts.exporters[1]: exporter "smoother" is not defined in the exporters section (it is a processor)',
    ]);
  });

  it('need at least one pipeline', () => {
    expect(problemsOf(yaml('receivers:', '  poller:'))).toEqual([
      'pipeline.yaml:1:1: service.pipelines: at least one pipeline is required (metrics or alerts)',
    ]);
    expect(problemsOf(yaml('receivers:', '  poller:', 'service:', '  pipelines:'))).toEqual([
      'pipeline.yaml:4:3: service.pipelines: at least one pipeline is required (metrics or alerts)',
    ]);
  });

  it('still run for the other pipelines when one is malformed, without claiming components unused', () => {
    expect(
      problemsOf(
        yaml(
          ...ALL_COMPONENTS,
          'service:', //                          11
          '  pipelines:', //                      12
          '    metrics:', //                      13
          '      receivers: poller', //           14
          '      exporters: [shipper]', //        15
          '    alerts:', //                       16
          '      receivers: [poller]', //         17
          '      exporters: [shipper]', //        18
        ),
      ),
    ).toEqual([
      'pipeline.yaml:14:18: service.pipelines.metrics.receivers: expected a list, got a string',
      'pipeline.yaml:16:5: service.pipelines.alerts.processors: an alerts pipeline must turn metrics into alerts, but its processors end with metrics: add a processor that does, such as "judge"',
      'pipeline.yaml:18:19: service.pipelines.alerts.exporters[0]: exporter "shipper" accepts metrics only, so it cannot be in an alerts pipeline',
    ]);
  });
});

/** A receiver that takes its targets from what other receivers discover, as `process` does. */
const finder = defineReceiver({
  type: 'finder',
  description: 'targets from other receivers',
  discovery: { sourcesKey: 'targets_from' },
  schema: z.strictObject({ targets_from: z.array(z.string().min(1)).default([]) }),
  create: () => EMPTY,
});

/** A registry: it publishes target sets. */
const lister = defineReceiver({
  type: 'lister',
  description: 'publishes targets',
  discovery: { publishes: true },
  schema: z.strictObject({}),
  create: () => EMPTY,
});

describe('targets_from', () => {
  const registry = new ComponentRegistry([...testRegistry().all(), finder, lister]);

  it('must name receivers of this configuration that publish targets, each reported at its list item', () => {
    expect(
      problemsOf(
        yaml(
          'receivers:', //                                          1
          '  poller:', //                                            2
          '  finder:', //                                            3
          '    targets_from: [lister, registry, snmp/x, poller]', // 4
          '  finder/bad:', //                                        5
          '    targets_from: poller', //                             6
          '  finder/none:', //                                       7
          '  snmp/x:', //                                            8
          '  lister:', //                                            9
          'exporters:', //                                          10
          '  shipper:', //                                          11
          'service:', //                                            12
          '  pipelines:', //                                        13
          '    metrics:', //                                        14
          '      receivers: [poller, finder, finder/bad, finder/none, snmp/x]',
          '      exporters: [shipper]',
        ),
        {},
        registry,
      ),
    ).toEqual([
      'pipeline.yaml:4:28: receivers.finder.targets_from[1]: targets_from names "registry", which is not a receiver in this configuration',
      'pipeline.yaml:4:46: receivers.finder.targets_from[3]: targets_from names "poller", a poller receiver, which publishes no targets (a registry does)',
      'pipeline.yaml:6:19: receivers.finder/bad.targets_from: expected a list, got a string',
      'pipeline.yaml:8:3: receivers.snmp/x: unknown receiver type "snmp"; known receiver types: finder, lister, poller',
    ]);
  });

  it('counts being named in a targets_from as a use: the registry needs no pipeline of its own', () => {
    const config = ['receivers:', '  finder:', '    targets_from: [lister]', '  lister:', 'exporters:', '  shipper:'];
    const pipelines = ['service:', '  pipelines:', '    metrics:', '      receivers: [finder]', '      exporters: [shipper]'];
    expect([...configOf(yaml(...config, ...pipelines), {}, registry).receivers.keys()]).toEqual(['finder', 'lister']);
    expect(problemsOf(yaml('receivers:', '  finder:', '  lister:', 'exporters:', '  shipper:', ...pipelines), {}, registry)).toEqual([
      'pipeline.yaml:3:3: receivers.lister: receiver "lister" is defined but not used in any pipeline',
    ]);
  });
});

import { describe, expect, it } from 'vitest';
import { thresholdConfigSchema } from '../../../processors/threshold/config.js';
import { parseNagiosRange, breaches, nearestEnd } from '../../../processors/threshold/nagios-range.js';
import { latencyRule } from './fixtures.js';
import { builtinRegistry } from '../../../src/builtins.js';
import { formatProblem, loadConfigFromSources } from '../../../src/config/index.js';
import { SelfTelemetry } from '../../../src/telemetry/self-telemetry.js';

/** Every problem as `path: message`, or [] when the config is accepted. */
function problems(config: unknown): string[] {
  const result = thresholdConfigSchema.safeParse(config);
  return result.success ? [] : result.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
}

describe('threshold config', () => {
  it('takes the issue\'s example as written, with its defaults', () => {
    const config = thresholdConfigSchema.parse({
      rules: [
        {
          name: 'latency',
          metric: 'healthcheck.duration',
          match: { 'service.name': 'api' },
          above: { warning: 0.2, error: 0.5, critical: 1 },
          recover: { warning: 0.15 },
          for: '30s',
          keep_firing_for: '1m',
          notify: ['warning', 'error', 'critical'],
        },
      ],
      no_data: '2m',
    });
    expect(config.rules[0]).toMatchObject({ aggregate: 'mean', for: 30_000, keep_firing_for: 60_000, complement: false, labels: {} });
    expect(config).toMatchObject({ no_data: 120_000, expire_after: 86_400_000, max_series: 100_000, flap_detection: true, flap_high: 50, flap_low: 25 });
    expect(problems({ profile: 'datapunk' })).toEqual([]);
  });

  it('needs a profile or a rule', () => {
    expect(problems({})).toEqual(['rules: name a profile (`profile: datapunk`) or at least one rule']);
    expect(problems({ profile: 'nagios' })[0]).toMatch(/^profile: /);
  });

  it('names the path of levels out of order, for above and for below', () => {
    expect(problems({ rules: [latencyRule({ above: { warning: 0.5, error: 0.5, critical: 0.4 } })] })).toEqual([
      'rules.0.above.error: levels out of order: for above, error must be greater than warning, or warning can never be reached',
      'rules.0.above.critical: levels out of order: for above, critical must be greater than error, or error can never be reached',
    ]);
    expect(problems({ rules: [latencyRule({ above: undefined, below: { warning: 0.5, critical: 0.9 } })] })).toEqual([
      'rules.0.below.critical: levels out of order: for below, critical must be less than warning, or warning can never be reached',
    ]);
  });

  it('wants the levels once, as above, below or range', () => {
    expect(problems({ rules: [latencyRule({ above: undefined })] })).toEqual(['rules.0: give the levels as one of above, below or range']);
    expect(problems({ rules: [latencyRule({ below: { warning: 1 } })] })).toEqual(['rules.0.below: give the levels once: above and below both set']);
    expect(problems({ rules: [latencyRule({ above: {} })] })).toEqual(['rules.0.above: name at least one of warning, error, critical']);
  });

  it('checks recover bounds against the levels they recover from', () => {
    expect(problems({ rules: [latencyRule({ recover: { error: 0.6 } })] })).toEqual([
      'rules.0.recover.error: a recover bound must not be above the bound that raises the level',
    ]);
    expect(problems({ rules: [latencyRule({ above: { error: 0.5 }, recover: { warning: 0.1 } })] })).toEqual([
      'rules.0.recover.warning: the rule defines no warning level to recover from',
    ]);
    expect(problems({ rules: [latencyRule({ recover: { error: '0:1' } })] })).toEqual(['rules.0.recover.error: expected a number, as the above levels are']);
  });

  it('checks Nagios ranges, notify levels, rule names and flap bounds', () => {
    const range = { name: 'r', metric: 'm', range: { warning: '20:10', critical: 'ten' } };
    expect(problems({ rules: [range] })).toEqual([
      'rules.0.range.warning: a Nagios range must not start after its end',
      'rules.0.range.critical: expected a Nagios range such as 10, 10:, ~:10, 10:20 or @10:20',
    ]);
    expect(problems({ rules: [latencyRule({ above: { error: 1 }, notify: ['warning'] })] })).toEqual(['rules.0.notify.0: the rule defines no warning level']);
    expect(problems({ profile: 'datapunk', rules: [latencyRule({ name: 'cpu' })] })).toEqual([
      "rules.0.name: a rule of this name exists already (names must be unique, the profile's included)",
    ]);
    expect(problems({ rules: [latencyRule()], flap_high: 20, flap_low: 30 })).toEqual(['flap_low: flap_low must not exceed flap_high']);
    expect(problems({ rules: [latencyRule()], no_data: '2h', expire_after: '1h' })[0]).toMatch(/^expire_after: /);
    expect(problems({ rules: [latencyRule({ colour: 'red' })] })[0]).toMatch(/^rules\.0: .*colour/);
  });
});

describe('Nagios ranges (PROTOCOLS.md §3)', () => {
  const alerts = (text: string, value: number): boolean => breaches(parseNagiosRange(text) as never, value);

  it('alert outside the range, or inside it with @', () => {
    expect([-1, 0, 10, 11].map((v) => alerts('10', v))).toEqual([true, false, false, true]);
    expect([9, 10, 1e9].map((v) => alerts('10:', v))).toEqual([true, false, false]);
    expect([-1e9, 10, 11].map((v) => alerts('~:10', v))).toEqual([false, false, true]);
    expect([9, 10, 20, 21].map((v) => alerts('10:20', v))).toEqual([true, false, false, true]);
    expect([9, 10, 20, 21].map((v) => alerts('@10:20', v))).toEqual([false, true, true, false]);
  });

  it('give the nearest finite end as the number', () => {
    expect(nearestEnd(parseNagiosRange('10:20') as never, 25)).toBe(20);
    expect(nearestEnd(parseNagiosRange('~:10') as never, 25)).toBe(10);
    expect(nearestEnd(parseNagiosRange('10:') as never, 5)).toBe(10);
  });
});

describe('threshold in pipeline.yaml', () => {
  const registry = builtinRegistry(new SelfTelemetry('threshold-config-test'));
  const load = (text: string) => loadConfigFromSources([{ name: 'pipeline.yaml', text }], registry, {});
  const pipeline = (threshold: string[]) =>
    [
      'receivers:',
      '  internal: {}',
      'processors:',
      '  window: { size: 60s }',
      '  threshold:',
      ...threshold,
      'exporters:',
      '  console: { format: json }',
      'service:',
      '  pipelines:',
      '    alerts:',
      '      receivers: [internal]',
      '      processors: [window, threshold]',
      '      exporters: [console]',
      '',
    ].join('\n');

  it('is valid as window → threshold with no cooldown, straight to an exporter of alerts', () => {
    const result = load(pipeline(['    profile: datapunk', '    no_data: 2m']));
    expect(result.ok ? [] : result.problems.map(formatProblem)).toEqual([]);
  });

  it('reports a problem of a rule at its file, line, column and path', () => {
    const result = load(pipeline(['    rules:', '      - name: latency', '        metric: healthcheck.duration', '        above: { warning: 0.5, error: 0.2 }']));
    expect(result.ok ? [] : result.problems.map(formatProblem)).toEqual([
      'pipeline.yaml:9:39: processors.threshold.rules[0].above.error: levels out of order: for above, error must be greater than warning, or warning can never be reached',
    ]);
  });
});

import { describe, expect, it } from 'vitest';
import { MAX_ALIAS_NODES, MAX_ALIASES } from '../../src/config/limits.js';
import { expectParseLikeCost } from './cost.js';
import { configOf, problemsOf, VALID_SERVICE, yaml } from './helpers.js';

/** Ten anchors, each a list of nine aliases of the one before: 9^10 scalars once expanded, in about 520 bytes. */
function billionLaughs(): string {
  const lines = ['a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]'];
  for (let level = 1; level < 10; level++) {
    lines.push(`a${level}: &a${level} [${Array.from({ length: 9 }, () => `*a${level - 1}`).join(', ')}]`);
  }
  return yaml(...lines);
}

describe('YAML aliases', () => {
  it('stop a "billion laughs" at a bound, with a problem at the alias that crosses it', () => {
    const text = billionLaughs();
    expect(text.length).toBeLessThan(600);
    const started = performance.now();
    const problems = problemsOf(text);
    // Today the loader expands every alias: minutes, then out of memory.
    expect(performance.now() - started).toBeLessThan(10_000);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/^pipeline\.yaml:\d+:\d+: YAML aliases (expand to more than 100000 nodes|are used more than 10000 times)/);
  });

  it('bound the nodes that aliases add', () => {
    // 200 keys, repeated by 600 aliases: each use adds the map, 200 keys and 200 values.
    const keys = Array.from({ length: 200 }, (_, index) => `k${index}: ${index}`).join(', ');
    const uses = Array.from({ length: 600 }, (_, index) => `u${index}: *big`);
    const crossing = Math.floor(MAX_ALIAS_NODES / 401);
    expect(problemsOf(yaml(`big: &big { ${keys} }`, ...uses))).toEqual([
      `pipeline.yaml:${2 + crossing}:${`u${crossing}: `.length + 1}: YAML aliases expand to more than ${MAX_ALIAS_NODES} nodes (here, at *big): anchors that repeat each other grow exponentially`,
    ]);
  });

  it('bound how often aliases are used', () => {
    const uses = Array.from({ length: MAX_ALIASES + 5 }, (_, index) => `u${index}: *one`);
    expect(problemsOf(yaml('one: &one 1', ...uses))).toEqual([
      `pipeline.yaml:${MAX_ALIASES + 2}:${`u${MAX_ALIASES}: `.length + 1}: YAML aliases are used more than ${MAX_ALIASES} times (counting those inside other aliases)`,
    ]);
  });

  it('keep working for ordinary reuse, with positions at the alias', () => {
    const config = configOf(
      yaml(
        'receivers:',
        '  poller:',
        '    targets:',
        '      - service: api',
        '        labels: &team { team: payments, tier: "1" }',
        '      - service: worker',
        '        labels: *team',
        'exporters: { shipper: {} }',
        ...VALID_SERVICE,
      ),
    );
    const targets = (config.receivers.get('poller')?.config as { targets: Array<{ labels: unknown }> }).targets;
    expect(targets.map((target) => target.labels)).toEqual([
      { team: 'payments', tier: '1' },
      { team: 'payments', tier: '1' },
    ]);
    expect(
      problemsOf(
        yaml(
          'receivers:',
          '  poller:',
          '    collection_interval: &interval 15s',
          '    port: *interval',
          'exporters: { shipper: {} }',
          ...VALID_SERVICE,
        ),
      ),
    ).toEqual(['pipeline.yaml:4:11: receivers.poller.port: expected a number, got a string']);
  });

  it('mean the anchor written before them, even when repeated after a later anchor of the same name', () => {
    const config = configOf(
      yaml(
        'receivers:',
        '  poller:',
        '    targets:',
        '      - service: &name first',
        '        labels: &labels { who: *name }',
        '      - service: &name second',
        '        labels: *labels',
        'exporters: { shipper: {} }',
        ...VALID_SERVICE,
      ),
    );
    const targets = (config.receivers.get('poller')?.config as { targets: Array<{ service: string; labels: unknown }> }).targets;
    expect(targets).toEqual([
      { service: 'first', labels: { who: 'first' } },
      { service: 'second', labels: { who: 'first' } },
    ]);
  });

  it('that contain themselves cannot be resolved', () => {
    expect(problemsOf(yaml('receivers: &loop', '  poller: *loop'))).toEqual(['pipeline.yaml:2:11: YAML alias *loop cannot be resolved']);
  });
});

describe('duplicate keys', () => {
  it('are each reported at the repeated key, naming where the key was first written', () => {
    expect(
      problemsOf(
        yaml(
          'receivers:', //
          '  poller: {}',
          '  poller: {}',
          'exporters: { shipper: {}, shipper: {} }',
        ),
      ),
    ).toEqual([
      'pipeline.yaml:3:3: duplicate key "poller", first written at line 2, column 3',
      'pipeline.yaml:4:27: duplicate key "shipper", first written at line 4, column 14',
    ]);
  });

  it('are found in linear time in a map of many keys', () => {
    const keys = Array.from({ length: 20_000 }, (_, index) => `          label_${index}: v`);
    const text = yaml('receivers:', '  poller:', '    targets:', '      - service: api', '        labels:', ...keys, '          label_7: again');
    let problems: string[] = [];
    // Today yaml compares each key with every earlier one: about 15 s for these 20,000 keys.
    expectParseLikeCost(text, () => (problems = problemsOf(text)));
    expect(problems).toEqual([`pipeline.yaml:${6 + keys.length}:11: duplicate key "label_7", first written at line 13, column 11`]);
  });
});

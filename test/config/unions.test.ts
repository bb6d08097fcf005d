import { EMPTY } from 'rxjs';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { defineExporter, defineReceiver } from '../../src/component/define.js';
import { ComponentRegistry } from '../../src/component/registry.js';
import { formatProblem, loadConfigFromSources } from '../../src/config/index.js';
import { size } from '../../src/config/units.js';
import { yaml } from './helpers.js';

/** A receiver whose schema has the shapes real ones use: alternatives, tagged variants, sizes. */
const prober = defineReceiver({
  type: 'prober',
  description: 'union-shaped config',
  schema: z.strictObject({
    check: z
      .union([
        z.strictObject({ http: z.strictObject({ url: z.string(), expect_status: z.string().optional() }) }),
        z.strictObject({ tcp: z.strictObject({ host: z.string(), port: z.number() }) }),
      ])
      .optional(),
    mode: z
      .discriminatedUnion('kind', [
        z.strictObject({ kind: z.literal('pull'), every: z.number() }),
        z.strictObject({ kind: z.literal('push') }),
      ])
      .optional(),
    retries: z.union([z.number(), z.boolean()]).optional(),
    buffer: size().optional(),
    weights: z.partialRecord(z.enum(['cpu', 'memory']), z.number()).optional(),
    labels: z.record(z.string().regex(/^[a-z_]+$/, 'must be lower_snake_case'), z.string()).optional(),
  }),
  create: () => EMPTY,
});

const sink = defineExporter({
  type: 'sink',
  description: 'both',
  signals: ['metrics', 'alerts'],
  schema: z.strictObject({}),
  create: () => ({ consume: () => undefined, flush: async () => undefined, shutdown: async () => undefined }),
});

function problemsOf(lines: string[]): string[] {
  const text = yaml(
    ...lines,
    'exporters:',
    '  sink:',
    'service:',
    '  pipelines:',
    '    metrics:',
    '      receivers: [prober]',
    '      exporters: [sink]',
  );
  const result = loadConfigFromSources([{ name: 'pipeline.yaml', text }], new ComponentRegistry([prober, sink]), {});
  return result.ok ? [] : result.problems.map(formatProblem);
}

describe('schemas with alternatives', () => {
  it('report against the alternative that was meant', () => {
    expect(
      problemsOf([
        'receivers:', //                                     1
        '  prober:', //                                       2
        '    check:', //                                      3
        '      tcp: { host: 127.0.0.1, port: 5432, tls: on }', // 4
      ]),
    ).toEqual(['pipeline.yaml:4:43: receivers.prober.check.tcp.tls: unknown key "tls"; allowed keys: host, port']);
    expect(
      problemsOf([
        'receivers:', //                                     1
        '  prober:', //                                       2
        '    check:', //                                      3
        '      http: { url: http://x, expect: 200 }', //      4
      ]),
    ).toEqual([
      'pipeline.yaml:4:30: receivers.prober.check.http.expect: unknown key "expect"; allowed keys: url, expect_status',
    ]);
  });

  it('say which kinds of value would do when none matches', () => {
    expect(problemsOf(['receivers:', '  prober:', '    retries: many', '    check: 5'])).toEqual([
      'pipeline.yaml:3:14: receivers.prober.retries: expected a number or true or false, got a string',
      'pipeline.yaml:4:12: receivers.prober.check: expected a map, got an integer',
    ]);
  });

  it('name the tags of a tagged variant, and a missing tag', () => {
    expect(problemsOf(['receivers:', '  prober:', '    mode: { kind: poll }'])).toEqual([
      'pipeline.yaml:3:19: receivers.prober.mode.kind: expected one of "pull", "push"',
    ]);
    expect(problemsOf(['receivers:', '  prober:', '    mode: { every: 5 }'])).toEqual([
      'pipeline.yaml:3:5: receivers.prober.mode.kind: missing required key "kind"',
    ]);
  });

  it('describe a size written as a number', () => {
    expect(problemsOf(['receivers:', '  prober:', '    buffer: 1024'])).toEqual([
      'pipeline.yaml:3:13: receivers.prober.buffer: expected a size such as 512KiB, 64MiB or 1GiB, got an integer',
    ]);
  });

  it('list the keys of a record keyed by an enum, and report a key its record rejects at the key', () => {
    expect(
      problemsOf(['receivers:', '  prober:', '    weights: { cpu: 1, disk: 2 }', '    labels: { team: a, Bad-Key: b }']),
    ).toEqual([
      'pipeline.yaml:3:24: receivers.prober.weights.disk: unknown key "disk"; allowed keys: cpu, memory',
      'pipeline.yaml:4:24: receivers.prober.labels.Bad-Key: invalid key: must be lower_snake_case',
    ]);
  });
});

import { EMPTY } from 'rxjs';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { defineExporter, defineProcessor, defineReceiver } from '../../src/component/define.js';
import { duration } from '../../src/config/units.js';
import type { Signal } from '../../src/model/signal.js';
import { renderOptionsTable, updateReadme } from '../../src/docs/markdown.js';
import { renderComponentsText } from '../../src/docs/text.js';

const pinger = defineReceiver({
  type: 'pinger',
  description: 'Pings each target.',
  schema: z.strictObject({
    interval: duration().default(15_000).describe('How often to ping.'),
    mode: z.enum(['table', 'json']).default('table').describe('One of | two.'),
    hosts: z.array(z.strictObject({ host: z.string().describe('Host name.') })).min(1),
  }),
  create: () => EMPTY,
});

// Typed with the wide signal pair: AnyFactory does not (yet) accept a processor narrowed
// to metrics → metrics, and these tests are about docs, not that contract.
const relabel = defineProcessor<z.ZodType, Signal, Signal>({
  type: 'relabel',
  description: 'Renames attributes.',
  input: 'metrics',
  output: 'metrics',
  schema: z.strictObject({}),
  create: () => (batches$) => batches$,
});

const printer = defineExporter({
  type: 'printer',
  description: 'Prints points and alerts.',
  signals: ['metrics', 'alerts'],
  schema: z.strictObject({ verbose: z.boolean().default(false).describe('Print everything\nat length.') }),
  create: () => ({ consume: () => undefined, flush: async () => {}, shutdown: async () => {} }),
});

describe('renderOptionsTable', () => {
  it('writes a heading and one row per option, escaping pipes and marking required options', () => {
    expect(renderOptionsTable(pinger)).toBe(
      [
        '### `pinger` receiver — Pings each target.',
        '',
        '| option | type | default | description |',
        '|---|---|---|---|',
        '| `interval` | duration | `15s` | How often to ping. |',
        "| `mode` | 'table' \\| 'json' | `table` | One of \\| two. |",
        '| `hosts` | list of object | *required* |  |',
        '| `hosts[].host` | string | *required* | Host name. |',
        '',
      ].join('\n'),
    );
  });

  it('names the signals of processors and exporters and says when there are no options', () => {
    const processor = renderOptionsTable(relabel);
    expect(processor).toContain('Signals: metrics → metrics.');
    expect(processor).toContain('This component has no options.');
    const exporter = renderOptionsTable(printer);
    expect(exporter).toContain('Accepts: metrics, alerts.');
    expect(exporter).toContain('| `verbose` | boolean | `false` | Print everything at length. |');
  });
});

describe('renderComponentsText', () => {
  it('groups types by kind, with signals and indented options', () => {
    expect(renderComponentsText([printer, relabel, pinger])).toBe(
      [
        'receivers:',
        '  pinger — Pings each target.',
        '    interval (duration, default 15s)',
        '        How often to ping.',
        "    mode ('table' | 'json', default table)",
        '        One of | two.',
        '    hosts (list of object, required)',
        '    hosts[].host (string, required)',
        '        Host name.',
        '',
        'processors:',
        '  relabel — Renames attributes.',
        '    Signals: metrics → metrics.',
        '    (no options)',
        '',
        'exporters:',
        '  printer — Prints points and alerts.',
        '    Accepts: metrics, alerts.',
        '    verbose (boolean, default false)',
        '        Print everything at length.',
        '',
        'extensions:',
        '  (none)',
        '',
      ].join('\n'),
    );
  });

  it('says so when a kind has no types', () => {
    expect(renderComponentsText([pinger])).toContain('processors:\n  (none)\n');
  });
});

describe('updateReadme', () => {
  const readme = ['# pinger', '', 'Intro.', '', '<!-- options:start -->', 'old table', '<!-- options:end -->', '', 'More.', ''].join(
    '\n',
  );

  it('replaces only what is between the markers and keeps them', () => {
    const updated = updateReadme(readme, '| new |\n');
    expect(updated).toBe(
      ['# pinger', '', 'Intro.', '', '<!-- options:start -->', '| new |', '<!-- options:end -->', '', 'More.', ''].join('\n'),
    );
    expect(updateReadme(updated, '| new |\n')).toBe(updated);
  });

  it('fills an empty marker pair', () => {
    const empty = '<!-- options:start -->\n<!-- options:end -->\n';
    expect(updateReadme(empty, 'table\n')).toBe('<!-- options:start -->\ntable\n<!-- options:end -->\n');
  });

  it('throws a clear error when a marker is missing or out of order', () => {
    expect(() => updateReadme('# pinger\n', 'x')).toThrow(/no "<!-- options:start -->" line/);
    expect(() => updateReadme('<!-- options:start -->\n', 'x')).toThrow(/no "<!-- options:end -->" line/);
    expect(() => updateReadme('<!-- options:end -->\n<!-- options:start -->\n', 'x')).toThrow(/options:end/);
  });
});

describe("a receiver's part in discovery", () => {
  const schema = z.strictObject({ targets_from: z.array(z.string()).default([]).describe('registries') });
  it('says a registry publishes targets and a consumer takes them from the key it declares', () => {
    const registry = defineReceiver({ type: 'lister', description: 'a registry', discovery: { publishes: true }, schema: z.strictObject({}), create: () => EMPTY });
    const consumer = defineReceiver({ type: 'finder', description: 'a consumer', discovery: { sourcesKey: 'targets_from' }, schema, create: () => EMPTY });
    const plain = defineReceiver({ type: 'plain', description: 'neither', schema: z.strictObject({}), create: () => EMPTY });
    expect(renderOptionsTable(registry)).toContain('Publishes targets: other receivers may name it in their `targets_from`.');
    expect(renderOptionsTable(consumer)).toContain('Takes targets from the registries named in `targets_from`.');
    expect(renderOptionsTable(plain)).not.toMatch(/targets/);
    expect(renderComponentsText([consumer])).toContain('Takes targets from the registries named in `targets_from`.');
  });
});

import { afterAll, describe, expect, it } from 'vitest';
import { builtinRegistry } from '../../src/builtins.js';
import { formatProblem, loadConfigFromSources, type LoadResult } from '../../src/config/index.js';
import { SelfTelemetry } from '../../src/telemetry/self-telemetry.js';
import { seededRandom } from './seeded.js';

const selfTelemetry = new SelfTelemetry('fuzz');
const registry = builtinRegistry(selfTelemetry);
afterAll(() => selfTelemetry.shutdown());

/** Generous, for a loaded CI machine: every input here loads in milliseconds; the old loader took minutes on some. */
const MAX_MILLISECONDS_PER_INPUT = 10_000;
/** Heap that one input may add while it loads: an expanded alias bomb would take gigabytes. */
const MAX_HEAP_GROWTH_PER_INPUT = 256 * 1024 * 1024;
const ENV = { TOKEN: 'env-token-value', PORT: '8080', EMPTY: '' };

/** Keys the schemas know, so generated files reach validation, mixed with odd ones. */
const KEYS = [
  'receivers', 'processors', 'exporters', 'extensions', 'service', 'pipelines', 'metrics', 'metrics/x', 'process', 'internal',
  'window', 'console', 'targets', 'service', 'pid', 'pid_file', 'self', 'labels', 'size', 'aggregates', 'format', 'token',
  'collection_interval', 'data_dir', 'plugins', '__proto__', 'constructor', 'toString', '<<', '', 'a.b', 'key with spaces',
  '\u001b[31mred', 'nul\u0000key', 'del\u007f', 'c1\u009b', 'bidi\u202e', 'bom\ufeff', 'tab\tkey', 'cr\rkey', 'lone\ud800', 'é',
];

const SCALARS = [
  '15s', '1s', '0', '-1', '99999999999', '1e400', '.inf', '.nan', 'true', 'null', '~', '', 'json', 'table', 'mean', 'self',
  '${env:TOKEN}', '${env:PORT}', '${env:MISSING}', '${env:MISSING:-5s}', '${env:EMPTY:-x}', '$$', '${', '${oops}', '${env:}',
  'https://user:pa55@host/x', 'a://', '\u0000', '\ud800', '\udc00x', '\r', '\t', '\ufeff', 'line\nbreak', '"', "'", '\\', '#',
];

type Random = () => number;

function pick<T>(random: Random, items: readonly T[]): T {
  return items[Math.floor(random() * items.length)]!;
}

/** A double-quoted YAML string holding any text, odd characters escaped as YAML allows. */
function quoted(text: string): string {
  return `"${[...text].map((character) => {
    const code = character.charCodeAt(0);
    if (character === '"' || character === '\\') return `\\${character}`;
    if (code < 0x20 || code === 0x7f || (code >= 0xd800 && code <= 0xdfff)) return `\\u${code.toString(16).padStart(4, '0')}`;
    return character;
  }).join('')}"`;
}

function scalar(random: Random): string {
  const roll = random();
  if (roll < 0.03) return quoted(pick(random, ['a', 'https://', 'x:', '${env:TOKEN}']).repeat(1 + Math.floor(random() * 3_000)));
  if (roll < 0.5) return quoted(pick(random, SCALARS));
  const plain = pick(random, SCALARS);
  return /^[\w.$/{}:-]+$/.test(plain) && !plain.startsWith('$') ? plain : quoted(plain);
}

/** `count` different keys, written as YAML (duplicates come from duplicated lines instead). */
function keys(random: Random, count: number): string[] {
  const chosen = new Set<string>();
  while (chosen.size < count) chosen.add(pick(random, KEYS));
  return [...chosen].map((name) => (/^[a-z_/]+$/.test(name) ? name : quoted(name)));
}

interface Generation {
  readonly random: Random;
  readonly anchors: string[];
}

/** A random node in flow style: maps, lists, scalars, anchors and aliases of earlier anchors. */
function flowNode(generation: Generation, depth: number): string {
  const { random, anchors } = generation;
  const roll = random();
  if (anchors.length > 0 && roll < 0.1) return `*${pick(random, anchors)}`;
  let anchor = '';
  if (random() < 0.1) {
    const name = `a${anchors.length}`;
    anchor = `&${name} `;
    anchors.push(name);
  }
  if (depth > 70 || roll < 0.45) return `${anchor}${scalar(random)}`;
  const size = Math.floor(random() * (depth < 3 ? 6 : 3));
  if (roll < 0.7) {
    const items = Array.from({ length: size }, () => flowNode(generation, depth + 1));
    return `${anchor}[${items.join(', ')}]`;
  }
  const entries = keys(random, size).map((name) => `${name}: ${flowNode(generation, depth + 1)}`);
  return `${anchor}{${entries.join(', ')}}`;
}

/** A random node in block style; nested collections fall back to flow style at random. */
function blockMap(generation: Generation, indent: number, depth: number): string[] {
  const { random } = generation;
  const lines: string[] = [];
  for (const name of keys(random, 1 + Math.floor(random() * 5))) {
    const roll = random();
    if (depth < 8 && roll < 0.35) {
      lines.push(`${' '.repeat(indent)}${name}:`, ...blockMap(generation, indent + 2, depth + 1));
    } else if (depth < 8 && roll < 0.5) {
      lines.push(`${' '.repeat(indent)}${name}:`);
      for (let item = 0; item < 1 + Math.floor(random() * 3); item++) {
        const nested = blockMap(generation, indent + 4, depth + 2);
        lines.push(`${' '.repeat(indent + 2)}- ${nested[0]!.trimStart()}`, ...nested.slice(1));
      }
    } else {
      lines.push(`${' '.repeat(indent)}${name}: ${flowNode(generation, depth + 1)}`);
    }
  }
  return lines;
}

/** Ten anchors, each nine aliases of the one before. */
function aliasBomb(random: Random): string {
  const width = 2 + Math.floor(random() * 8);
  const lines = [`b0: &b0 [${Array.from({ length: width }, () => 'lol').join(', ')}]`];
  for (let level = 1; level < 12; level++) lines.push(`b${level}: &b${level} [${Array.from({ length: width }, () => `*b${level - 1}`).join(', ')}]`);
  return lines.join('\n');
}

/** A configuration that loads, for mutations to start from: the embedded default, with aliases and env references. */
const VALID_BASE = [
  'receivers:',
  '  process:',
  '    collection_interval: &interval 1s',
  '    targets:',
  '      - service: healthpipe',
  '        self: true',
  '        labels: &labels { team: "${env:EMPTY:-core}", url: "https://u:${env:TOKEN}@host/" }',
  '      - service: other',
  '        pid: ${env:PORT}',
  '        labels: *labels',
  '  internal:',
  '    collection_interval: 60s',
  'processors:',
  '  window: { size: 5s, aggregates: [mean, max, last] }',
  'exporters:',
  '  console: { format: table }',
  'service:',
  '  data_dir: ./data',
  '  pipelines:',
  '    metrics: { receivers: [process], processors: [window], exporters: [console] }',
  '    metrics/self: { receivers: [internal], exporters: [console] }',
].join('\n');

/** Bytes a file should not hold, spliced in at random places. */
const ODD_BYTES = ['\u0000', '\ufeff', '\r', '\r\n', '\t', '\ud800', '\udfff', '\u0085', '\u2028', '\u001b[2J', '\u007f', '{', '[', ':', '- ', '&', '*', '!', '%', '|', '>', '"', "'", '? '];

function generatedInput(seed: number): string {
  const random = seededRandom(seed);
  const generation: Generation = { random, anchors: [] };
  const roll = random();
  let text: string;
  if (roll < 0.3) text = VALID_BASE;
  else if (roll < 0.35) text = aliasBomb(random);
  else if (roll < 0.4) text = `${'['.repeat(50 + Math.floor(random() * 200))}x${']'.repeat(50 + Math.floor(random() * 200))}`;
  else if (roll < 0.6) text = flowNode(generation, 0);
  else text = blockMap(generation, 0, 0).join('\n');
  // Duplicate a line now and then: a duplicate key when it is one.
  if (random() < 0.2) {
    const lines = text.split('\n');
    const line = lines[Math.floor(random() * lines.length)]!;
    lines.splice(Math.floor(random() * lines.length), 0, line);
    text = lines.join('\n');
  }
  const mutations = random() < 0.5 ? 0 : Math.floor(random() * 4);
  for (let mutation = 0; mutation < mutations; mutation++) {
    const at = Math.floor(random() * (text.length + 1));
    text = random() < 0.8 ? `${text.slice(0, at)}${pick(random, ODD_BYTES)}${text.slice(at)}` : text.slice(0, at);
  }
  return random() < 0.1 ? `\ufeff${text}` : text;
}

/** Terminal-active characters that a formatted problem must never carry raw. */
const RAW_CONTROL = /[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;

function expectWellFormed(name: string, text: string): void {
  const heapBefore = process.memoryUsage().heapUsed;
  const started = performance.now();
  let result: LoadResult | undefined;
  expect(() => (result = loadConfigFromSources([{ name, text }], registry, ENV)), name).not.toThrow();
  expect(performance.now() - started, name).toBeLessThan(MAX_MILLISECONDS_PER_INPUT);
  expect(process.memoryUsage().heapUsed - heapBefore, name).toBeLessThan(MAX_HEAP_GROWTH_PER_INPUT);
  if (result === undefined || result.ok) return;
  expect(result.problems.length, name).toBeGreaterThan(0);
  for (const problem of result.problems) {
    // A problem names its file, and a line always comes with its column.
    expect(problem.file, `${name}: ${formatProblem(problem)}`).toBe(name);
    expect(problem.line === undefined, `${name}: ${formatProblem(problem)}`).toBe(problem.column === undefined);
    expect(formatProblem(problem), name).not.toMatch(RAW_CONTROL);
    expect(formatProblem(problem), name).not.toContain(ENV.TOKEN);
  }
}

describe('the config loader on generated YAML', () => {
  it('ends every input in a configuration or in problems with positions, never a throw', () => {
    for (let seed = 1; seed <= 300; seed++) expectWellFormed(`fuzz-${seed}.yaml`, generatedInput(seed));
  });

  it('does the same on hand-picked nasty inputs', () => {
    const nasty: Record<string, string> = {
      'billion-laughs': aliasBomb(() => 0.99),
      'deep-flow': `a: ${'['.repeat(100_000)}`,
      'deep-block': Array.from({ length: 3_000 }, (_, level) => `${' '.repeat(level)}k:`).join('\n'),
      'long-string': `receivers: { process: { targets: [{ service: "${'a'.repeat(1 << 16)}", self: true }] } }`,
      'long-key': `? ${'k'.repeat(1 << 16)}\n: 1`,
      nul: 'receivers:\u0000\n  process: {}',
      'bom-crlf': '\ufeffreceivers:\r\n  process: {}\r\n',
      'lone-surrogate': 'receivers: { "\ud800": 1 }',
      'alias-only': '*a',
      'anchor-only': '&a',
      'merge-key': 'd: &d { x: 1 }\nreceivers:\n  <<: *d',
      'complex-key': '? [a, b]\n: c',
      tags: 'receivers: !!binary aGVsbG8=\nexporters: !!js/function "x"\nprocessors: !custom { a: 1 }',
      directives: '%YAML 1.1\n%TAG ! tag:x,2000:\n---\nreceivers: {}',
      'several-documents': 'a: 1\n---\nb: 2\n---\nc: 3',
      'only-comments': '# nothing\n# at all',
      numbers: 'receivers: { process: { collection_interval: 1e400, targets: [{ service: x, pid: 99999999999999999999 }] } }',
      'prototype-keys': '__proto__: { polluted: true }\nconstructor: { prototype: {} }\ntoString: 1',
      'env-token-in-error': 'receivers: { process: { targets: [{ service: x, pid: "${env:TOKEN}" }] } }',
      'duplicates-everywhere': 'a: 1\na: 2\na: 3\nb: { c: 1, c: 2 }',
    };
    for (const [name, text] of Object.entries(nasty)) expectWellFormed(`${name}.yaml`, text);
    expect(Object.keys(nasty).length).toBeGreaterThan(10);
  });
});

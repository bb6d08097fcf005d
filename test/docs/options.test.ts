import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { duration, size } from '../../src/config/units.js';
import { describeOptions } from '../../src/docs/options.js';

const checkSchema = z.strictObject({
  collection_interval: duration().default(15_000).describe('How often each target is checked.'),
  timeout: duration().prefault('5s').describe('A check still running after this is cut.'),
  max_queue: size().default(64 * 1024 ** 2).describe('Bound of the queue.'),
  format: z.enum(['table', 'json']).default('table').describe('Output format.'),
  concurrency: z.int().positive().default(4),
  ratio: z.number().min(0).max(1).optional().meta({ description: 'A fraction.' }),
  enabled: z.boolean().default(true),
  labels: z.record(z.string(), z.string()).default({}).describe('Added to every point.'),
  tls: z
    .strictObject({
      insecure: z.boolean().default(false).describe('Skip certificate checks.'),
      ca_file: z.string().optional(),
    })
    .prefault({})
    .describe('TLS settings.'),
  targets: z
    .array(
      z.strictObject({
        service: z.string().describe('The service name.'),
        pid: z.int().optional().describe('A process id.'),
        command: z.array(z.string()).min(1).optional(),
      }),
    )
    .default([])
    .describe('What to check.'),
});

describe('describeOptions', () => {
  const rows = describeOptions(checkSchema);
  const byPath = new Map(rows.map((row) => [row.path, row]));

  it('lists top-level, nested and list-item options as dotted rows in schema order', () => {
    expect(rows.map((row) => row.path)).toEqual([
      'collection_interval',
      'timeout',
      'max_queue',
      'format',
      'concurrency',
      'ratio',
      'enabled',
      'labels',
      'tls',
      'tls.insecure',
      'tls.ca_file',
      'targets',
      'targets[].service',
      'targets[].pid',
      'targets[].command',
    ]);
  });

  it('writes durations and sizes in their units, whether the default is parsed or as written', () => {
    expect(byPath.get('collection_interval')).toEqual({
      path: 'collection_interval',
      type: 'duration',
      required: false,
      default: '15s',
      description: 'How often each target is checked.',
    });
    expect(byPath.get('timeout')).toMatchObject({ type: 'duration', default: '5s' });
    expect(byPath.get('max_queue')).toMatchObject({ type: 'size', default: '64MiB' });
  });

  it('names types as a reader would', () => {
    const types = Object.fromEntries(rows.map((row) => [row.path, row.type]));
    expect(types).toMatchObject({
      format: "'table' | 'json'",
      concurrency: 'integer',
      ratio: 'number',
      enabled: 'boolean',
      labels: 'map of string',
      tls: 'object',
      targets: 'list of object',
      'targets[].command': 'list of string',
    });
  });

  it('renders defaults the way pipeline.yaml spells them', () => {
    expect(byPath.get('format')?.default).toBe('table');
    expect(byPath.get('concurrency')?.default).toBe('4');
    expect(byPath.get('enabled')?.default).toBe('true');
    expect(byPath.get('labels')?.default).toBe('{}');
    expect(byPath.get('targets')?.default).toBe('[]');
    expect(byPath.get('tls.insecure')?.default).toBe('false');
    expect(byPath.get('ratio')).not.toHaveProperty('default');
  });

  it('marks required options within their parent and keeps descriptions from describe() and meta()', () => {
    expect(byPath.get('targets[].service')).toMatchObject({ required: true, description: 'The service name.' });
    expect(byPath.get('targets[].pid')).toMatchObject({ required: false, description: 'A process id.' });
    expect(byPath.get('ratio')).toMatchObject({ required: false, description: 'A fraction.' });
    expect(byPath.get('tls')?.description).toBe('TLS settings.');
    expect(byPath.get('tls.ca_file')?.description).toBe('');
  });

  it('flattens the variants of a union of objects; a property is required only if every variant requires it', () => {
    const schema = z.strictObject({
      check: z.union([
        z.strictObject({ kind: z.literal('tcp'), host: z.string(), port: z.int() }),
        z.strictObject({ kind: z.literal('http'), host: z.string(), url: z.url() }),
      ]),
    });
    const found = describeOptions(schema);
    expect(found.map((row) => [row.path, row.type, row.required])).toEqual([
      ['check', 'object', true],
      ['check.kind', "'tcp'", true],
      ['check.host', 'string', true],
      ['check.port', 'integer', false],
      ['check.url', 'string', false],
    ]);
  });

  it('stops at a recursive schema instead of looping', () => {
    interface Node {
      name: string;
      children?: Node[];
    }
    const node: z.ZodType<Node> = z.lazy(() =>
      z.strictObject({ name: z.string(), children: z.array(node).optional() }),
    );
    const found = describeOptions(z.strictObject({ tree: node }));
    expect(found.map((row) => row.path)).toContain('tree.name');
    expect(found.length).toBeLessThan(10);
  });

  it('returns no rows for an empty config', () => {
    expect(describeOptions(z.strictObject({}))).toEqual([]);
  });

  it("lists the options of a map's object values under a placeholder key, and not those of a map of scalars", () => {
    const schema = z.strictObject({
      routes: z.record(z.string(), z.strictObject({ to: z.string().describe('Where it goes.') })).describe('Routes by name.'),
      labels: z.record(z.string(), z.string()),
    });
    expect(describeOptions(schema).map((option) => `${option.path}: ${option.type}`)).toEqual([
      'routes: map of object',
      'routes.<id>.to: string',
      'labels: map of string',
    ]);
  });
});

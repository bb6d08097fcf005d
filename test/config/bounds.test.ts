import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { exporterSchemas, processorSchemas, receiverSchemas } from './builtin-schemas.js';
import { problemsOf, VALID_SERVICE, yaml } from './helpers.js';
import { boundedInt, port } from '../../src/config/numbers.js';
import { serviceSchema } from '../../src/config/schema.js';
import { duration, MAX_TIMER_MS, parseDuration, parseSize, size } from '../../src/config/units.js';
import { withRange } from '../../src/docs/markdown.js';
import { describeOptions } from '../../src/docs/options.js';

/** The messages a schema gives for a value, or [] when it accepts it. */
function messages(schema: z.ZodType, value: unknown): string[] {
  const result = schema.safeParse(value);
  return result.success ? [] : result.error.issues.map((issue) => issue.message);
}

const everySchema: Array<[string, z.ZodType]> = [
  ...receiverSchemas,
  ...processorSchemas,
  ...exporterSchemas,
  ['service', serviceSchema],
];

describe('durations past what one Node timer can wait (2^31 − 1 ms, about 24.8 days)', () => {
  it('are refused by duration() without bounds, which Node would clamp to 1 ms', () => {
    expect(MAX_TIMER_MS).toBe(2_147_483_647);
    expect(messages(duration(), '24d')).toEqual([]);
    expect(messages(duration(), '25d')).toEqual(["expected a duration of at most 24d: one Node timer cannot wait longer (about 24.8 days)"]);
  });

  it('are refused when so many digits long that they are Infinity to JavaScript', () => {
    const huge = `${'9'.repeat(400)}s`;
    expect(parseDuration(huge)).toBeUndefined();
    expect(parseSize(`${'9'.repeat(400)}GiB`)).toBeUndefined();
    expect(messages(duration(), huge)).toEqual(["expected a duration of at most 24d: one Node timer cannot wait longer (about 24.8 days)"]);
    expect(messages(size(), `${'9'.repeat(400)}GiB`)).toEqual(['expected a size this agent can count in bytes exactly (under 8PiB)']);
  });

  it('are bounded in every built-in schema, at most at the timer limit, and the docs show the bound', () => {
    for (const [name, schema] of everySchema) {
      for (const row of describeOptions(schema).filter((option) => option.type === 'duration')) {
        expect(row.range, `${name}: ${row.path}`).toMatch(/( … |^≤ )\d+(ms|s|m|h|d)$/);
        const max = parseDuration(row.range!.replace(/^≤ /, ' … ').split(' … ')[1]!);
        expect(max, `${name}: ${row.path}`).toBeLessThanOrEqual(MAX_TIMER_MS);
      }
    }
  });

  it('are refused by the configuration with the reason, at the value', () => {
    const service = VALID_SERVICE.slice(1);
    expect(
      problemsOf(
        yaml(
          'receivers:',
          '  poller: { collection_interval: 25d }',
          'exporters: { shipper: {} }',
          'service:',
          '  shutdown_timeout: 25d',
          '  telemetry: { metrics: { interval: 1000d } }',
          ...service,
        ),
      ),
    ).toEqual([
      'pipeline.yaml:2:34: receivers.poller.collection_interval: expected a duration of at most 24d: one Node timer cannot wait longer (about 24.8 days)',
      'pipeline.yaml:5:21: service.shutdown_timeout: expected a duration of at most 1h: a stop that may take longer looks hung to whoever asked for it (systemd gives up after 90s by default)',
      "pipeline.yaml:6:37: service.telemetry.metrics.interval: expected a duration of at most 24h: the agent's own metrics read less than once a day tell nothing about it",
    ]);
  });

  it('of the built-in components are refused with a reason of their own', () => {
    const [, process] = receiverSchemas.find(([name]) => name === 'process')!;
    const [, internal] = receiverSchemas.find(([name]) => name === 'internal')!;
    const [, window] = processorSchemas.find(([name]) => name === 'window')!;
    expect(messages(process, { collection_interval: '25d' })).toEqual([
      'expected a duration of at most 24h: a process read less than once a day is not watched',
    ]);
    expect(messages(internal, { collection_interval: '25h' })).toEqual([
      'expected a duration of at most 24h: counters read less than once a day tell nothing about a running agent',
    ]);
    expect(messages(window, { size: '1000d' })).toEqual([
      'expected a duration of at most 24h: a window keeps every series it sees in memory until it ends; keep longer views in history',
    ]);
    expect(messages(window, { size: '24h' })).toEqual([]);
  });

  it('accept bounds written as durations, and refuse a bound that is not one', () => {
    expect(messages(duration({ min: '1s', max: '1m', maxReason: 'why' }), '61s')).toEqual(['expected a duration of at most 1m: why']);
    expect(messages(duration({ min: '1s', max: '1m' }), '999ms')).toEqual(['expected a duration of at least 1s']);
    expect(() => duration({ max: 'a day' })).toThrow(/"a day" is not a duration/);
  });
});

describe('the generated docs', () => {
  it("show the range a schema states, in the option's unit, after the description", () => {
    const schema = z.strictObject({
      every: duration({ min: '1s', max: '24h', maxReason: 'r' }).describe('How often'),
      wait: duration({ min: '1s' }),
      keep: duration({ max: '30d' }),
      share: z.number().positive(),
      ratio: z.number().max(5),
      plain: duration(),
      count: z.int(),
    });
    const rows = describeOptions(schema);
    expect(rows.map((row) => row.range)).toEqual(['1s … 24h', '≥ 1s', '≤ 30d', '> 0', '≤ 5', undefined, undefined]);
    expect(withRange(rows[0]!)).toBe('How often. Range: 1s … 24h.');
    expect(withRange(rows[1]!)).toBe('Range: ≥ 1s.');
    expect(withRange(rows[5]!)).toBe('');
  });
});

describe('spaces around a duration or a size', () => {
  it('are refused with a problem that says so, instead of being trimmed away', () => {
    for (const text of [' 2s', '2s ', '\t2s', '2 s']) {
      expect(messages(duration(), text), JSON.stringify(text)).toEqual(['no spaces: write a duration as digits and a unit, such as 15s']);
    }
    for (const text of [' 64MiB', '64MiB\n']) {
      expect(messages(size(), text), JSON.stringify(text)).toEqual([
        'no spaces before or after a size: write it as digits and a unit, such as 64MiB',
      ]);
    }
    expect(parseDuration(' 2s')).toBeUndefined();
    expect(parseSize('64MiB ')).toBeUndefined();
    expect(messages(size(), '64 MiB')).toEqual([]);
  });

  it('are reported at the value, which is never repeated: it may come from the environment', () => {
    const written = (interval: string) =>
      yaml('receivers:', `  poller: { collection_interval: ${interval} }`, 'exporters: { shipper: {} }', ...VALID_SERVICE);
    expect(problemsOf(written('" 2s"'))).toEqual([
      'pipeline.yaml:2:34: receivers.poller.collection_interval: no spaces: write a duration as digits and a unit, such as 15s',
    ]);
    const fromEnvironment = problemsOf(written('"${env:EVERY}ms"'), { EVERY: ' 7919' });
    expect(fromEnvironment).toEqual([
      'pipeline.yaml:2:34: receivers.poller.collection_interval: no spaces: write a duration as digits and a unit, such as 15s',
    ]);
  });
});

describe('numbers with an upper bound', () => {
  it('refuse a PID that Linux can never hand out', () => {
    const [, process] = receiverSchemas.find(([name]) => name === 'process')!;
    const target = (pid: number) => ({ targets: [{ service: 'api', pid }] });
    expect(messages(process, target(99_999_999_999))).toEqual([
      'expected at most 4194304: Linux PIDs never exceed 4194304 (pid_max is at most 2^22)',
    ]);
    expect(messages(process, target(4_194_304))).toEqual([]);
  });

  it('bound every count of the built-in schemas, and the docs show it', () => {
    for (const [name, schema] of everySchema) {
      for (const row of describeOptions(schema).filter((option) => option.type === 'integer')) {
        expect(row.range, `${name}: ${row.path}`).toMatch(/^\d+ … \d+$/);
      }
    }
    const [, window] = processorSchemas.find(([name]) => name === 'window')!;
    expect(messages(window, { max_series: 1e12 })).toEqual([
      'expected at most 10000000: every series holds its window in memory, and ten million is already gigabytes',
    ]);
    expect(messages(serviceSchema, { exporter_queue_size: 1e12 })).toEqual([
      'expected at most 10000000: every waiting point holds memory, and ten million is already gigabytes',
    ]);
  });

  it('are reported by the loader with the reason, at the value', () => {
    const written = yaml('receivers: { poller: {} }', 'exporters: { shipper: {} }', 'service:', '  exporter_queue_size: 99999999999', ...VALID_SERVICE.slice(1));
    expect(problemsOf(written)).toEqual([
      'pipeline.yaml:4:24: service.exporter_queue_size: expected at most 10000000: every waiting point holds memory, and ten million is already gigabytes',
    ]);
  });

  it('give ports 1 to 65535, and keep the lower bound', () => {
    expect(messages(port(), 65_536)).toEqual(['expected at most 65535: TCP and UDP ports are 1 to 65535']);
    expect(messages(port(), 0)).toHaveLength(1);
    expect(messages(port(), 443)).toEqual([]);
    expect(describeOptions(z.strictObject({ p: port(), n: boundedInt({ min: 0, max: 9, maxReason: 'r' }) })).map((row) => row.range)).toEqual([
      '1 … 65535',
      '0 … 9',
    ]);
  });
});

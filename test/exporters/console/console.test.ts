import { afterEach, describe, expect, it, vi } from 'vitest';
import { consoleExporter, createConsoleExporter, formatValue, type ConsoleWrite } from '../../../exporters/console/index.js';
import { createTestContext } from '../../helpers/context.js';
import { T, firing, points, resolved } from './fixtures.js';

function collecting(): { writes: string[]; write: ConsoleWrite } {
  const writes: string[] = [];
  return { writes, write: (text) => void writes.push(text) };
}

function exporterWith(config: Record<string, unknown>, write: ConsoleWrite) {
  const ctx = createTestContext({ id: 'console' });
  return { ctx, exporter: createConsoleExporter(consoleExporter.schema.parse(config), ctx, write) };
}

describe('console exporter: json', () => {
  it('writes one object per point, in the shape DESIGN.md fixes, the whole batch in one write', async () => {
    const { writes, write } = collecting();
    const { exporter, ctx } = exporterWith({ format: 'json' }, write);
    await exporter.consume(points.slice(0, 2), 'metrics');
    await exporter.flush();
    expect(writes).toEqual([
      '{"time":"2024-05-01T12:01:00.000Z","name":"process.cpu.utilization","value":0.123456,"unit":"1",' +
        '"attributes":{"aggregate":"mean"},"resource":{"service.name":"api","service.instance.id":"api-1","process.pid":4242}}\n' +
        '{"time":"2024-05-01T12:01:00.000Z","name":"process.memory.usage","value":123456789,"unit":"By",' +
        '"attributes":{"aggregate":"max"},"resource":{"service.name":"api","service.instance.id":"api-1","process.pid":4242}}\n',
    ]);
    expect(ctx.telemetry.counts.sent).toBe(2);
  });

  it('keeps the key order of a plain JSON.stringify and writes NaN as null', async () => {
    const { writes, write } = collecting();
    const { exporter } = exporterWith({ format: 'json' }, write);
    const point = points[3]!;
    await exporter.consume([point, { ...point, value: Number.NaN }], 'metrics');
    const [first, second] = writes[0]!.trimEnd().split('\n');
    expect(first).toBe(
      JSON.stringify({
        time: new Date(point.time).toISOString(),
        name: 'healthcheck.duration',
        value: 0.0042,
        unit: 's',
        attributes: { 'check.type': 'tcp' },
        resource: { 'service.name': 'postgres', 'service.instance.id': 'db-1' },
      }),
    );
    expect(JSON.parse(second!)).toMatchObject({ value: null });
  });

  it('writes an event as a kind=alert object with exactly the documented fields', async () => {
    const { writes, write } = collecting();
    const { exporter } = exporterWith({ format: 'json' }, write);
    await exporter.consume([firing, resolved], 'alerts');
    expect(writes).toEqual([
      '{"kind":"alert","time":"2024-05-01T12:01:00.000Z","fingerprint":"9f1c2b3a","service":"api","rule":"memory",' +
        '"level":"critical","previous_level":"warning","state":"firing","value":0.975,"threshold":0.97,"labels":{"team":"payments"}}\n' +
        '{"kind":"alert","time":"2024-05-01T12:01:15.000Z","fingerprint":"77aa0e11","service":"postgres","rule":"error_rate",' +
        '"level":"info","previous_level":"error","state":"resolved","value":0,"threshold":0.1,"labels":{}}\n',
    ]);
  });
});

describe('console exporter: table', () => {
  it('prints one table per batch under a line with the batch time: a row per service and metric, figures in their unit', async () => {
    const { writes, write } = collecting();
    const { exporter } = exporterWith({}, write);
    await exporter.consume(points, 'metrics');
    expect(writes).toEqual([
      [
        '2024-05-01T12:01:00.000Z  4 points',
        'SERVICE   METRIC                   VALUES',
        'api       process.cpu.utilization  mean 12.3%',
        'api       process.memory.usage     max 117.7 MiB',
        'postgres  healthcheck.up           1',
        'postgres  healthcheck.duration     type=tcp  4.2 ms',
        '',
        '',
      ].join('\n'),
    ]);
  });

  it("puts a window's aggregates of one series side by side on its row", async () => {
    const { writes, write } = collecting();
    const { exporter } = exporterWith({}, write);
    const [cpuMean] = points;
    const cpuMax = { ...cpuMean!, series: cpuMean!.series.with('aggregate', 'max'), value: 0.5 };
    await exporter.consume([cpuMean!, cpuMax], 'metrics');
    expect(writes[0]!.split('\n').slice(1, 3)).toEqual([
      'SERVICE  METRIC                   VALUES',
      'api      process.cpu.utilization  mean 12.3%, max 50.0%',
    ]);
  });

  it('prints events one line each: time, level, service, rule, state, value/threshold', async () => {
    const { writes, write } = collecting();
    const { exporter } = exporterWith({ format: 'table' }, write);
    await exporter.consume([firing, resolved], 'alerts');
    expect(writes).toEqual([
      [
        '2024-05-01T12:01:00.000Z  CRITICAL  api       memory      firing    0.975/0.97',
        '2024-05-01T12:01:15.000Z  INFO      postgres  error_rate  resolved  0/0.1',
        '',
      ].join('\n'),
    ]);
  });

  it('formats values compactly and integers exactly', () => {
    expect([0.123456, 12.3456, 1234.5678, 123456789, 1e-7, -0.5, Number.NaN, Infinity].map(formatValue)).toEqual([
      '0.1235',
      '12.35',
      '1234.6',
      '123456789',
      '1e-7',
      '-0.5',
      'NaN',
      'Infinity',
    ]);
  });
});

describe('console exporter: writing', () => {
  afterEach(() => vi.restoreAllMocks());

  function captureStream(stream: NodeJS.WriteStream): string[] {
    const written: string[] = [];
    vi.spyOn(stream, 'write').mockImplementation(((text: string, done?: () => void) => {
      written.push(text);
      done?.();
      return true;
    }) as NodeJS.WriteStream['write']);
    return written;
  }

  it.each(['stdout', 'stderr'] as const)('writes to %s when output says so, and nothing to the other stream', async (output) => {
    const out = captureStream(process.stdout);
    const err = captureStream(process.stderr);
    const exporter = consoleExporter.create(consoleExporter.schema.parse({ format: 'json', output }), createTestContext());
    await exporter.consume([firing], 'alerts');
    await exporter.flush();
    const [chosen, other] = output === 'stdout' ? [out, err] : [err, out];
    expect(chosen).toHaveLength(1);
    expect(chosen[0]).toContain('"kind":"alert"');
    expect(other).toEqual([]);
  });

  it('flush and shutdown resolve only after pending writes have drained', async () => {
    const finish: Array<() => void> = [];
    const { exporter, ctx } = exporterWith({ format: 'json' }, () => new Promise<void>((resolve) => finish.push(resolve)));
    void exporter.consume(points, 'metrics');
    void exporter.consume([firing], 'alerts');
    let flushed = false;
    const flushing = exporter.flush().then(() => (flushed = true));
    await Promise.resolve();
    expect(flushed).toBe(false);
    finish.shift()?.();
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(flushed).toBe(false);
    finish.shift()?.();
    await flushing;
    expect(ctx.telemetry.counts.sent).toBe(5);

    void exporter.consume([firing], 'alerts');
    let down = false;
    const stopping = exporter.shutdown().then(() => (down = true));
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(down).toBe(false);
    finish.shift()?.();
    await stopping;
    expect(ctx.telemetry.counts.sent).toBe(6);
  });

  it('counts a failed write instead of throwing, and drops batches after shutdown', async () => {
    const { exporter, ctx } = exporterWith({}, () => Promise.reject(new Error('EPIPE')));
    await exporter.consume(points, 'metrics');
    await exporter.flush();
    expect(ctx.telemetry.counts.failed).toBe(4);
    expect(ctx.logs.records().some((record) => record['level'] === 'error')).toBe(true);
    await exporter.shutdown();
    await exporter.consume([firing], 'alerts');
    expect(ctx.telemetry.counts.dropped).toBe(1);
  });

  it('makes the pipeline wait once too many writes are pending', async () => {
    const finish: Array<() => void> = [];
    const { exporter } = exporterWith({ format: 'json' }, () => new Promise<void>((resolve) => finish.push(resolve)));
    const results = Array.from({ length: 16 }, () => exporter.consume([firing], 'alerts'));
    expect(results.slice(0, 15).every((result) => result === undefined)).toBe(true);
    expect(results[15]).toBeInstanceOf(Promise);
    for (const resolve of finish) resolve();
    await exporter.flush();
  });

  it('writes nothing for an empty batch', async () => {
    const { writes, write } = collecting();
    const { exporter } = exporterWith({}, write);
    await exporter.consume([], 'metrics');
    await exporter.consume([], 'alerts');
    expect(writes).toEqual([]);
  });
});

describe('console exporter: config', () => {
  it('defaults to a table on stdout and rejects unknown keys and values', () => {
    expect(consoleExporter.schema.parse({})).toEqual({ format: 'table', output: 'stdout' });
    const result = consoleExporter.schema.safeParse({ format: 'yaml', output: 'file', colour: true, width: 20 });
    expect(result.error?.issues.map((issue) => issue.path.join('.') || issue.code).sort()).toEqual(['format', 'output', 'unrecognized_keys', 'width']);
  });

  it('accepts metrics and alerts', () => {
    expect(consoleExporter).toMatchObject({ kind: 'exporter', type: 'console', signals: ['metrics', 'alerts'] });
    expect(T).toBe(Date.parse('2024-05-01T12:01:00Z'));
  });
});

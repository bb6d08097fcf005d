import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { asyncScheduler } from 'rxjs';
import { afterEach, describe, expect, it } from 'vitest';
import { fileConfigSchema } from '../../../exporters/file/config.js';
import { createFileExporter } from '../../../exporters/file/exporter.js';
import { Resource, SeriesSet } from '../../../src/model/series.js';
import type { MetricBatch } from '../../../src/model/point.js';
import { openStore, type Store } from '../../../src/storage/index.js';
import { createTestContext } from '../../helpers/context.js';
import { latencyEvent } from '../../alerts/events.js';
import { eventually } from '../alertmanager/recording-server.js';

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'healthpipe-file-sink-'));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

function fileSink(written: Record<string, unknown>, options: { store?: Store; maxPendingMetricLines?: number } = {}) {
  const store = options.store ?? openStore(':memory:');
  if (options.store === undefined) cleanups.push(() => store.close());
  const ctx = createTestContext({ id: 'file', scheduler: asyncScheduler, store });
  const exporter = createFileExporter(fileConfigSchema.parse(written), ctx, { maxPendingMetricLines: options.maxPendingMetricLines });
  let stopped = false;
  const shutdown = async (): Promise<void> => {
    if (stopped) return;
    stopped = true;
    await exporter.shutdown();
  };
  cleanups.push(shutdown);
  return { ctx, exporter, shutdown, outbox: ctx.storage.log('outbox') };
}

const series = new SeriesSet(new Resource({ 'service.name': 'api' })).get({ name: 'healthcheck.duration', unit: 's', kind: 'gauge' });

function points(count: number, time = Date.UTC(2026, 10, 29, 18)): MetricBatch {
  return Array.from({ length: count }, (_, index) => ({ series, value: index / 10, time }));
}

const lines = (path: string): Array<Record<string, unknown>> =>
  readFileSync(path, 'utf8')
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => JSON.parse(line) as Record<string, unknown>);

describe('file sink', () => {
  it('writes alerts and points as the console JSON lines, in the order they came, into a directory it creates', async () => {
    const path = join(tempDir(), 'deep', 'er', 'alerts.jsonl');
    const { exporter } = fileSink({ path });
    const time = Date.UTC(2026, 10, 29, 18, 0, 0);
    exporter.consume(points(1, time), 'metrics');
    exporter.consume([latencyEvent({ time, thresholdText: '0.2', message: 'slow' })], 'alerts');
    await exporter.flush();

    expect(readFileSync(path, 'utf8').split('\n')).toEqual([
      '{"time":"2026-11-29T18:00:00.000Z","name":"healthcheck.duration","value":0,"unit":"s","attributes":{},"resource":{"service.name":"api"}}',
      '{"kind":"alert","time":"2026-11-29T18:00:00.000Z","fingerprint":"api-latency","service":"api","rule":"latency","level":"warning","previous_level":"info","state":"firing","value":0.3,"threshold":0.2,"threshold_text":"0.2","labels":{"team":"payments"},"message":"slow"}',
      '',
    ]);
  });

  it('rotates by size: path.1, path.2 …, at most max_files files, no line split, newest in path', async () => {
    const dir = tempDir();
    const path = join(dir, 'out.jsonl');
    const { exporter } = fileSink({ path, max_size: '1KiB', max_files: 3 });
    for (let index = 0; index < 40; index += 1) {
      exporter.consume([latencyEvent({ value: index, time: index })], 'alerts');
      // One write per alert, so rotation is checked between lines.
      await exporter.flush();
    }

    expect(readdirSync(dir).sort()).toEqual(['out.jsonl', 'out.jsonl.1', 'out.jsonl.2']);
    for (const name of readdirSync(dir)) expect(statSync(join(dir, name)).size).toBeLessThanOrEqual(1024);
    const values = [`${path}.2`, `${path}.1`, path].flatMap((file) => lines(file).map((line) => line['value']));
    // The oldest lines went with the oldest file; what is kept runs on without a gap up to the last.
    expect(values.at(-1)).toBe(39);
    expect(values).toEqual(Array.from({ length: values.length }, (_, index) => 40 - values.length + index));
  });

  it('retries a write that fails and loses no alert (the directory is a file until it is removed)', async () => {
    const dir = tempDir();
    const blocked = join(dir, 'logs');
    writeFileSync(blocked, 'not a directory');
    const { exporter, outbox, ctx } = fileSink({ path: join(blocked, 'alerts.jsonl') });
    exporter.consume([latencyEvent({ value: 1 })], 'alerts');
    exporter.consume([latencyEvent({ value: 2 })], 'alerts');
    await eventually(() => expect(ctx.logs.records().some((record) => record['level'] === 'warn')).toBe(true));
    expect(outbox.size()).toBe(2);

    rmSync(blocked);
    await eventually(() => expect(outbox.size()).toBe(0));
    expect(lines(join(blocked, 'alerts.jsonl')).map((line) => line['value'])).toEqual([1, 2]);
    expect(ctx.telemetry.counts.failed).toBe(0);
  });

  it('writes after a restart what an earlier run could not, after ending a line a kill cut short', async () => {
    const dir = tempDir();
    const path = join(dir, 'alerts.jsonl');
    writeFileSync(join(dir, 'blocker'), '');
    const store = openStore(':memory:');
    cleanups.push(() => store.close());
    // A path under a file: every write fails.
    const first = fileSink({ path: join(dir, 'blocker', 'x.jsonl') }, { store });
    first.exporter.consume([latencyEvent({ value: 7 })], 'alerts');
    await eventually(() => expect(first.ctx.logs.records().some((record) => record['level'] === 'warn')).toBe(true));
    await first.shutdown();
    expect(first.outbox.size()).toBe(1);

    writeFileSync(path, '{"kind":"alert","cut sh');
    const second = fileSink({ path }, { store });
    await eventually(() => expect(second.outbox.size()).toBe(0));
    const text = readFileSync(path, 'utf8').split('\n');
    expect(text[0]).toBe('{"kind":"alert","cut sh');
    expect(JSON.parse(text[1]!)).toMatchObject({ kind: 'alert', value: 7 });
  });

  it('drops metric points, counted, once too many lines wait; alerts still queue', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'blocker'), '');
    const { exporter, outbox, ctx } = fileSink({ path: join(dir, 'blocker', 'x.jsonl') }, { maxPendingMetricLines: 10 });
    exporter.consume(points(8), 'metrics');
    exporter.consume(points(8), 'metrics');
    exporter.consume(points(8), 'metrics');
    exporter.consume([latencyEvent()], 'alerts');
    expect(outbox.size()).toBe(17);
    expect(ctx.telemetry.counts.dropped).toBe(8);
  });
});

import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createConsoleExporter, streamWriter } from '../../../exporters/console/exporter.js';
import { consoleExporter } from '../../../exporters/console/index.js';
import { jsonLines } from '../../../exporters/console/json.js';
import { measuredPointBytes } from '../../../exporters/console/json-bytes.js';
import type { MetricPoint } from '../../../src/model/point.js';
import { Resource, SeriesSet } from '../../../src/model/series.js';
import { createTestContext } from '../../helpers/context.js';
import { T, points } from './fixtures.js';

const odd = new SeriesSet(new Resource({ 'service.name': 'naïve "api" ✓', 'process.pid': 7, 'process.command_line': 'node\tserver.js \\ --x' }));
const tricky = odd.get({ name: 'x","value":0,"y', unit: 'By', kind: 'gauge' }, { aggregate: 'max', 'ü': true });
const plain = odd.get({ name: 'process.cpu.time', unit: 's', kind: 'sum', monotonic: true });

const mixed: MetricPoint[] = [
  ...points,
  { series: tricky, value: Number.NaN, time: T },
  { series: tricky, value: Number.POSITIVE_INFINITY, time: T + 1 },
  { series: plain, value: -0, time: T + 1 },
  { series: plain, value: -1.2345678901234567e-308, time: T, partial: true },
  { series: plain, value: 1e21, time: T, message: 'CRITICAL – “socket” timeout\n✓' },
  { series: tricky, value: 42, time: T, partial: true, message: '' },
  { series: plain, value: 3, time: T, stale: true },
  { series: plain, value: 0.1 + 0.2, time: Date.UTC(1999, 11, 31, 23, 59, 59, 999) },
];

describe('console json as bytes', () => {
  it('is byte for byte the text of jsonLines: odd names, unicode, NaN and ±Infinity, -0, partial and message, stale markers left out', () => {
    expect(measuredPointBytes(mixed).toString('utf8')).toBe(jsonLines.metrics(mixed, 120));
    // Twice: the second time from the per-series bytes made the first.
    expect(measuredPointBytes(mixed).toString('utf8')).toBe(jsonLines.metrics(mixed, 120));
  });

  it('is empty for a batch of staleness markers only', () => {
    expect(measuredPointBytes([{ series: plain, value: Number.NaN, time: T, stale: true }])).toHaveLength(0);
  });

  it('goes to a stream as bytes through the default writer, the same lines', async () => {
    const stream = new PassThrough();
    const chunks: Buffer[] = [];
    stream.on('data', (chunk: Buffer) => chunks.push(chunk));
    const ctx = createTestContext({ id: 'console' });
    const exporter = createConsoleExporter(consoleExporter.schema.parse({ format: 'json' }), ctx, streamWriter(stream));
    await exporter.consume(mixed, 'metrics');
    await exporter.flush();
    expect(Buffer.concat(chunks).toString('utf8')).toBe(jsonLines.metrics(mixed, 120));
    expect(ctx.telemetry.counts.sent).toBe(mixed.length);
  });
});

describe('console json as bytes: the buffer written into again', () => {
  it('reuses the buffer of a completed write only where the writer says nothing holds it, and each write has its own lines', async () => {
    const held: Uint8Array[] = [];
    const texts: string[] = [];
    const writer = (releasesBytes: boolean) =>
      Object.assign((text: string) => void texts.push(text), {
        bytes: (data: Uint8Array) => {
          held.push(data);
          texts.push(Buffer.from(data).toString('utf8'));
        },
        releasesBytes,
      });
    for (const releasesBytes of [false, true]) {
      held.length = 0;
      texts.length = 0;
      const exporter = createConsoleExporter(consoleExporter.schema.parse({ format: 'json' }), createTestContext({ id: 'console' }), writer(releasesBytes));
      await exporter.consume(mixed, 'metrics');
      await exporter.flush();
      await exporter.consume(points.slice(0, 2), 'metrics');
      await exporter.flush();
      expect(texts).toEqual([jsonLines.metrics(mixed, 120), jsonLines.metrics(points.slice(0, 2), 120)]);
      expect(held[1]!.buffer === held[0]!.buffer).toBe(releasesBytes);
      // A writer that may still hold the first buffer finds it as it was.
      if (!releasesBytes) expect(Buffer.from(held[0]!).toString('utf8')).toBe(jsonLines.metrics(mixed, 120));
    }
  });
});

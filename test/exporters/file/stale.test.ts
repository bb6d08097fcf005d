import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { asyncScheduler } from 'rxjs';
import { afterEach, expect, it } from 'vitest';
import { fileConfigSchema } from '../../../exporters/file/config.js';
import { createFileExporter } from '../../../exporters/file/exporter.js';
import { staleMarker } from '../../../src/model/point.js';
import { Resource, SeriesSet } from '../../../src/model/series.js';
import { createTestContext } from '../../helpers/context.js';

const dir = mkdtempSync(join(tmpdir(), 'healthpipe-file-stale-'));
afterEach(() => rmSync(dir, { recursive: true, force: true }));

it('leaves staleness markers out of the file: a series whose source left just has no more lines', async () => {
  const ctx = createTestContext({ id: 'file', scheduler: asyncScheduler });
  const path = join(dir, 'points.jsonl');
  const exporter = createFileExporter(fileConfigSchema.parse({ path }), ctx);
  const series = new SeriesSet(new Resource({ 'service.name': 'worker' })).get({ name: 'process.cpu.utilization', unit: '1', kind: 'gauge' });
  const time = Date.UTC(2026, 10, 29, 18);
  exporter.consume([{ series, value: 0.25, time }, staleMarker(series, time + 1000)], 'metrics');
  exporter.consume([staleMarker(series, time + 2000)], 'metrics');
  await exporter.flush();
  await exporter.shutdown();
  ctx.store.close();
  const lines = readFileSync(path, 'utf8').trimEnd().split('\n');
  expect(lines.map((line) => JSON.parse(line) as { value: unknown })).toEqual([expect.objectContaining({ value: 0.25 })]);
});

import { describe, expect, it } from 'vitest';
import { consoleExporter, createConsoleExporter, jsonLines, pointTable, type ConsoleWrite } from '../../../exporters/console/index.js';
import { staleMarker } from '../../../src/model/point.js';
import { Resource, SeriesSet } from '../../../src/model/series.js';
import { createTestContext } from '../../helpers/context.js';
import { T, points } from './fixtures.js';

const worker = new SeriesSet(new Resource({ 'service.name': 'worker', 'process.pid': 77 }));
const cpu = worker.get({ name: 'process.cpu.utilization', unit: '1', kind: 'gauge' });
const gone = [staleMarker(cpu.with('aggregate', 'mean'), T), staleMarker(cpu.with('aggregate', 'max'), T)];

function exporterWith(format: 'json' | 'table') {
  const writes: string[] = [];
  const write: ConsoleWrite = (text) => void writes.push(text);
  const ctx = createTestContext({ id: 'console' });
  return { writes, ctx, exporter: createConsoleExporter(consoleExporter.schema.parse({ format }), ctx, write) };
}

describe('console: a series whose source left (staleness markers)', () => {
  it('JSON lines leave the markers out: their value means nothing', async () => {
    const { writes, exporter } = exporterWith('json');
    await exporter.consume([points[0]!, ...gone], 'metrics');
    const lines = writes[0]!.trimEnd().split('\n');
    expect(lines).toHaveLength(1);
    expect(JSON.parse(lines[0]!)).toMatchObject({ name: 'process.cpu.utilization', resource: { 'service.name': 'api' } });
    expect(jsonLines.metrics(gone, 120)).toBe('');
  });

  it('JSON writes nothing for a batch of markers only, and still counts it as handled', async () => {
    const { writes, exporter, ctx } = exporterWith('json');
    await exporter.consume(gone, 'metrics');
    await exporter.flush();
    expect(writes).toEqual([]);
    expect(ctx.telemetry.counts.sent).toBe(2);
    expect(ctx.telemetry.counts.failed ?? 0).toBe(0);
  });

  it('the table shows once that the series left, instead of a figure, and counts the markers apart from the points', () => {
    const table = pointTable([points[0]!, ...gone]);
    expect(table.split('\n')).toEqual([
      '2024-05-01T12:01:00.000Z  1 point, 2 left',
      'SERVICE  METRIC                   VALUES',
      'api      process.cpu.utilization  mean 12.3%',
      'worker   process.cpu.utilization  left',
      '',
      '',
    ]);
    expect(table).not.toContain('NaN');
  });
});

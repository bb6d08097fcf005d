import { describe, expect, it } from 'vitest';
import { consoleExporter, createConsoleExporter, eventTable, pointTable, type ConsoleWrite } from '../../../exporters/console/index.js';
import type { MetricPoint } from '../../../src/model/point.js';
import { Resource, SeriesSet } from '../../../src/model/series.js';
import { createTestContext } from '../../helpers/context.js';
import { T, firing } from './fixtures.js';

const host = new SeriesSet(new Resource({ 'service.name': 'host', 'host.name': 'vm' }));
const memoryUsage = { name: 'system.memory.usage', unit: 'By', kind: 'gauge' } as const;
const cpuUtilization = { name: 'system.cpu.utilization', unit: '1', kind: 'gauge' } as const;
const networkIo = { name: 'system.network.io', unit: 'By', kind: 'sum', monotonic: true } as const;

function point(descriptor: Parameters<SeriesSet['get']>[0], attributes: Record<string, string>, value: number): MetricPoint {
  return { series: host.get(descriptor, attributes), value, time: T };
}

const cpuRow: MetricPoint[] = [];
for (const cpu of ['0', '1', '2', '3']) {
  for (const [state, value] of [['user', 0.12], ['system', 0.03], ['idle', 0.85]] as const) {
    cpuRow.push(point(cpuUtilization, { 'system.cpu.state': state, 'system.cpu.logical_number': cpu }, value));
  }
}

const rowsOf = (table: string) => table.trimEnd().split('\n').slice(2);

describe('console table: one row per service and metric', () => {
  it('folds the series of a metric into its row: shared attributes once, then the values that tell them apart', () => {
    const table = pointTable([
      point(memoryUsage, { 'system.memory.state': 'used' }, 1.5 * 2 ** 30),
      point(memoryUsage, { 'system.memory.state': 'free' }, 22.1 * 2 ** 30),
      point(networkIo, { 'system.device': 'eth0', 'network.io.direction': 'receive' }, 1.1 * 2 ** 30),
      point(networkIo, { 'system.device': 'eth0', 'network.io.direction': 'transmit' }, 4.2 * 2 ** 20),
    ]);
    expect(rowsOf(table)).toEqual([
      'host     system.memory.usage  state: used 1.5 GiB | free 22.1 GiB',
      'host     system.network.io    device=eth0  direction: receive 1.1 GiB | transmit 4.2 MiB',
    ]);
  });

  it('keeps a key whole when its last part would say the same as another key of the row', () => {
    const table = pointTable([
      point(memoryUsage, { 'a.state': 'x', 'b.state': '1' }, 1),
      point(memoryUsage, { 'a.state': 'y', 'b.state': '2' }, 2),
    ]);
    expect(rowsOf(table)).toEqual(['host     system.memory.usage  a.state,b.state: x,1 1 B | y,2 2 B']);
  });

  it("shows a window's aggregates of each set side by side, once when they all agree", () => {
    const used = host.get(memoryUsage, { 'system.memory.state': 'used' });
    const free = host.get(memoryUsage, { 'system.memory.state': 'free' });
    const table = pointTable([
      { series: used.with('aggregate', 'mean'), value: 1024, time: T },
      { series: used.with('aggregate', 'max'), value: 2048, time: T },
      { series: free.with('aggregate', 'mean'), value: 4096, time: T },
      { series: free.with('aggregate', 'max'), value: 4096, time: T },
    ]);
    expect(rowsOf(table)).toEqual(['host     system.memory.usage  state: used mean 1.0 KiB, max 2.0 KiB | free 4.0 KiB']);
  });

  it('gives each service instance its own row, even under one service name', () => {
    const other = new SeriesSet(new Resource({ 'service.name': 'host', 'host.name': 'other' }));
    const table = pointTable([point(memoryUsage, {}, 1), { series: other.get(memoryUsage), value: 2, time: T }]);
    expect(rowsOf(table)).toEqual(['host     system.memory.usage  1 B', 'host     system.memory.usage  2 B']);
  });
});

describe('console table: rows that fit the terminal', () => {
  it.each([80, 120])('cuts every line to %i columns with an ellipsis, never wraps, and keeps metric names whole', (width) => {
    const longService = new SeriesSet(new Resource({ 'service.name': 'a-service-with-a-name-much-too-long-for-its-column' }));
    const table = pointTable([...cpuRow, { series: longService.get(memoryUsage), value: 1, time: T }], width);
    const lines = table.trimEnd().split('\n');
    for (const line of lines) expect(line.length).toBeLessThanOrEqual(width);
    const cpu = lines.find((line) => line.includes('system.cpu.utilization'))!;
    expect(cpu.length).toBeGreaterThan(width - 3);
    expect(cpu.endsWith('…')).toBe(true);
    expect(cpu).toMatch(/^host\s+system\.cpu\.utilization {2}state/);
    if (width === 120) expect(cpu).toMatch(/ {2}state,logical_number: user,0 12\.0% \| system,0 3\.0% \| idle,0 85\.0% \| /);
    // A long service name is cut in its column, so the metric and its figures stay on the line.
    expect(lines.find((line) => line.includes('system.memory.usage'))).toMatch(/^a-service-with-a-name-m… {2}system\.memory\.usage\s+1 B$/);
  });

  it('cuts event lines too', () => {
    const long = { ...firing, message: 'x'.repeat(300) };
    const [line] = eventTable([long], 80).split('\n');
    expect(line).toHaveLength(80);
    expect(line!.endsWith('…')).toBe(true);
  });

  it('writes at the configured width, else the terminal width, else 120 columns', () => {
    const widths = (config: Record<string, unknown>, columns?: number) => {
      const writes: string[] = [];
      const write: ConsoleWrite = (text) => void writes.push(text);
      const exporter = createConsoleExporter(consoleExporter.schema.parse(config), createTestContext({ id: 'console' }), write, () => columns);
      void exporter.consume(cpuRow, 'metrics');
      // A cut line may end a character short: the space before its ellipsis goes.
      return Math.max(...writes[0]!.split('\n').map((line) => line.length)) + 1;
    };
    expect(widths({ width: 60 }, 100)).toBeOneOf([60, 61]);
    expect(widths({}, 100)).toBeOneOf([100, 101]);
    expect(widths({})).toBeOneOf([120, 121]);
    // A terminal narrower than any useful row: cut at 40 and let the terminal wrap.
    expect(widths({}, 10)).toBeOneOf([40, 41]);
  });
});

import { afterEach, describe, expect, it } from 'vitest';
import { createHistoryExporter } from '../../../exporters/history/exporter.js';
import { createHistoryReader, HISTORY_MIGRATIONS } from '../../../src/history/index.js';
import { staleMarker } from '../../../src/model/point.js';
import type { Exporter, Signal } from '../../../src/index.js';
import { createTestContext, type TestContext } from '../../helpers/context.js';

import { HOUR, HistoryClock, MINUTE, SECOND, config, event, point, seriesOf } from './fixture.js';

const T0 = 10 * HOUR;

let exporters: Exporter<Signal>[] = [];

afterEach(async () => {
  for (const exporter of exporters) await exporter.shutdown();
  exporters = [];
});

async function setup(written: Record<string, unknown> = {}): Promise<{ ctx: TestContext; scheduler: HistoryClock; exporter: Exporter<Signal> }> {
  const scheduler = new HistoryClock();
  scheduler.advanceTo(T0);
  const ctx = createTestContext({ id: 'history', scheduler });
  const exporter = createHistoryExporter(config(written), ctx);
  exporters.push(exporter);
  await exporter.start!();
  return { ctx, scheduler, exporter };
}

function readerOf(ctx: TestContext) {
  return createHistoryReader(ctx.storage.tables('history', HISTORY_MIGRATIONS));
}

describe('history exporter: writes', () => {
  it('makes points visible after the linger, in virtual time, and not before', async () => {
    const { ctx, scheduler, exporter } = await setup({ linger: '1s' });
    const reader = readerOf(ctx);
    const cpu = seriesOf('api', 'process.cpu.utilization');
    exporter.consume([point(cpu, T0, 0.5)], 'metrics');
    expect(reader.latest('api')).toEqual([]);
    scheduler.advanceBy(999);
    expect(reader.latest('api')).toEqual([]);
    scheduler.advanceBy(1);
    expect(reader.latest('api')).toEqual([
      { service: 'api', metric: 'process.cpu.utilization', unit: 's', attributes: {}, value: 0.5, time: T0 },
    ]);
    expect(ctx.telemetry.countOf('sent', { signal: 'metrics' })).toBe(1);
  });

  it('writes at once when batch_size points wait, and on flush', async () => {
    const { ctx, exporter } = await setup({ batch_size: 3 });
    const reader = readerOf(ctx);
    const cpu = seriesOf('api', 'cpu');
    exporter.consume([point(cpu, T0, 1), point(cpu, T0 + 1, 2)], 'metrics');
    expect(reader.latest('api')).toEqual([]);
    exporter.consume([point(cpu, T0 + 2, 3)], 'metrics');
    expect(reader.latest('api')[0]?.value).toBe(3);
    exporter.consume([point(cpu, T0 + 3, 4)], 'metrics');
    await exporter.flush();
    expect(reader.latest('api')[0]?.value).toBe(4);
  });

  it('skips staleness markers, and skips and counts NaN and infinite values', async () => {
    const { ctx, exporter } = await setup();
    const reader = readerOf(ctx);
    const cpu = seriesOf('api', 'cpu');
    exporter.consume([point(cpu, T0, 1), point(cpu, T0 + 1, Number.NaN), staleMarker(cpu, T0 + 2), point(cpu, T0 + 3, Infinity)], 'metrics');
    await exporter.flush();
    expect(reader.latest('api')).toMatchObject([{ value: 1, time: T0 }]);
    expect(ctx.telemetry.countOf('dropped', { reason: 'nan', signal: 'metrics' })).toBe(1);
    expect(ctx.telemetry.countOf('dropped', { reason: 'infinite', signal: 'metrics' })).toBe(1);
    expect(ctx.telemetry.countOf('sent', { signal: 'metrics' })).toBe(1);
  });

  it('keeps a point under its resource\'s service.name, and one without it under the resource\'s identity', async () => {
    const { ctx, exporter } = await setup();
    const { Resource, SeriesSet } = await import('../../../src/model/series.js');
    const anonymous = new SeriesSet(new Resource({ 'host.name': 'db1' })).get({ name: 'up', unit: '1', kind: 'gauge' });
    const bare = new SeriesSet(new Resource({})).get({ name: 'up', unit: '1', kind: 'gauge' });
    exporter.consume([point(anonymous, T0, 1), point(bare, T0, 1), point(seriesOf('api', 'up'), T0, 1)], 'metrics');
    await exporter.flush();
    expect(readerOf(ctx).services().map((service) => service.service)).toEqual(['api', 'unknown_service', '{"host.name":"db1"}']);
  });

  it('keeps the newest value per series even when an older point arrives later', async () => {
    const { ctx, exporter } = await setup();
    const cpu = seriesOf('api', 'cpu');
    exporter.consume([point(cpu, T0 + 10 * SECOND, 2)], 'metrics');
    await exporter.flush();
    exporter.consume([point(cpu, T0, 1)], 'metrics');
    await exporter.flush();
    expect(readerOf(ctx).latest('api')).toMatchObject([{ value: 2, time: T0 + 10 * SECOND }]);
  });
});

describe('history exporter: events', () => {
  it('logs every event; answers firing alerts, alert history and each service\'s level', async () => {
    const { ctx, exporter } = await setup();
    const reader = readerOf(ctx);
    exporter.consume([point(seriesOf('quiet', 'cpu'), T0, 0.1)], 'metrics');
    exporter.consume(
      [
        event({ service: 'api', rule: 'cpu', level: 'warning', time: T0 }),
        event({ service: 'api', rule: 'cpu', level: 'critical', previous: 'warning', time: T0 + MINUTE }),
        event({ service: 'api', rule: 'memory', level: 'warning', time: T0 + 2 * MINUTE }),
        event({ service: 'db', rule: 'cpu', level: 'error', time: T0 }),
        event({ service: 'db', rule: 'cpu', level: 'info', previous: 'error', time: T0 + 3 * MINUTE }),
      ],
      'alerts',
    );
    await exporter.flush();
    expect(ctx.telemetry.countOf('sent', { signal: 'alerts' })).toBe(5);

    const firing = reader.alerts({ firing: true });
    expect(firing.map((alert) => [alert.service, alert.rule, alert.level])).toEqual([
      ['api', 'memory', 'warning'],
      ['api', 'cpu', 'critical'],
    ]);
    expect(firing[1]).toMatchObject({ previousLevel: 'warning', state: 'firing', value: 0.95, threshold: 0.9, labels: { team: 'payments' } });
    expect(reader.alerts({ firing: true, service: 'db' })).toEqual([]);
    expect(reader.alerts({ service: 'db' }).map((alert) => [alert.level, alert.state])).toEqual([
      ['info', 'resolved'],
      ['error', 'firing'],
    ]);
    expect(reader.alerts({ since: T0 + MINUTE }).length).toBe(3);
    expect(reader.alerts({ limit: 2 }).map((alert) => alert.time)).toEqual([T0 + 3 * MINUTE, T0 + 2 * MINUTE]);

    expect(reader.services()).toEqual([
      { service: 'api', level: 'critical', levelSince: T0 + MINUTE, lastEvent: T0 + 2 * MINUTE, firing: 2 },
      { service: 'db', level: 'info', levelSince: T0 + 3 * MINUTE, lastEvent: T0 + 3 * MINUTE, firing: 0 },
      { service: 'quiet', level: 'unknown', lastPoint: T0, firing: 0 },
    ]);
  });

  it('keeps a NaN value of an event as NaN', async () => {
    const { ctx, exporter } = await setup();
    exporter.consume([{ ...event({ service: 'api', level: 'unknown', time: T0 }), value: Number.NaN, threshold: Number.NaN }], 'alerts');
    await exporter.flush();
    const [alert] = readerOf(ctx).alerts();
    expect(alert?.value).toBeNaN();
    expect(alert?.threshold).toBeNaN();
  });
});

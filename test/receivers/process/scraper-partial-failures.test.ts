import { VirtualTimeScheduler } from 'rxjs';
import { describe, expect, it } from 'vitest';
import { DEFAULT_ENABLED_METRICS } from '../../../receivers/process/config.js';
import { ProcessScraper } from '../../../receivers/process/scraper.js';
import { staticTargets } from '../../../receivers/process/targets.js';
import { createTestContext } from '../../helpers/context.js';
import { FakeBackend } from './fake-backend.js';

const HOST = { hostname: 'host-a', cores: 2, totalMemory: () => 1000 };
const ALL_ON = { ...DEFAULT_ENABLED_METRICS, 'process.disk.io': true, 'process.network.connection.count': true };

describe('ProcessScraper with reads beyond stat that fail', () => {
  it('counts each refused read on every scrape, logs it once per target, metric and reason, and keeps the other points', async () => {
    const context = createTestContext({ scheduler: new VirtualTimeScheduler() });
    const backend = new FakeBackend();
    const scraper = new ProcessScraper(backend, context, HOST, undefined, ALL_ON);
    backend.set({
      pid: 100,
      connections: [0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0],
      partialFailures: [{ metric: 'process.disk.io', errorType: 'permission_denied', code: 'EACCES' }],
    });
    const targets = staticTargets([{ service: 'api', pid: 100, labels: {} }]);

    const first = await scraper.scrape(targets);
    await scraper.scrape(targets);

    expect(first.some((point) => point.series.name === 'process.disk.io')).toBe(false);
    expect(first.some((point) => point.series.name === 'process.scrape.error')).toBe(false);
    expect(first.filter((point) => point.series.name === 'process.network.connection.count')).toHaveLength(11);
    expect(context.telemetry.counts.refused).toBe(2);
    const warnings = context.logs.records().filter((record) => record.level === 'warn');
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatchObject({ service: 'api', pid: 100, metric: 'process.disk.io', 'error.type': 'permission_denied', code: 'EACCES' });

    // Another reason is another log line.
    backend.set({ pid: 100, partialFailures: [{ metric: 'process.disk.io', errorType: 'not_found', code: 'ENOENT' }] });
    await scraper.scrape(targets);
    expect(context.logs.records().filter((record) => record.level === 'warn')).toHaveLength(2);
  });

  it('emits disk I/O and connections only when switched on, even when the backend read them', async () => {
    const context = createTestContext({ scheduler: new VirtualTimeScheduler() });
    const backend = new FakeBackend();
    const scraper = new ProcessScraper(backend, context, HOST);
    backend.set({ pid: 100, diskRead: 1, diskWrite: 2, connections: [1, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0], fileDescriptors: 9 });
    const batch = await scraper.scrape(staticTargets([{ service: 'api', pid: 100, labels: {} }]));
    const names = new Set(batch.map((point) => point.series.name));
    expect(names.has('process.disk.io')).toBe(false);
    expect(names.has('process.network.connection.count')).toBe(false);
    expect(names.has('process.unix.file_descriptor.count')).toBe(false);
    expect(names.has('process.memory.usage')).toBe(true);
  });
});

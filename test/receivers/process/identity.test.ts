import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { VirtualTimeScheduler } from 'rxjs';
import { afterEach, describe, expect, it } from 'vitest';
import type { MetricBatch } from '../../../src/model/point.js';
import { ProcessScraper } from '../../../receivers/process/scraper.js';
import { staticTargets, type ProcessTarget } from '../../../receivers/process/targets.js';
import { processResource, type HostFacts } from '../../../receivers/process/watched-process.js';
import { createTestContext } from '../../helpers/context.js';
import { FakeBackend, procfsLikeSample } from './fake-backend.js';

const HOST: HostFacts = { hostname: 'host-a', cores: 2, totalMemory: () => 1000 };
const STARTED = Date.UTC(2024, 0, 1);

function newScraper(backend: FakeBackend): ProcessScraper {
  const scheduler = new VirtualTimeScheduler();
  scheduler.frame = Date.UTC(2024, 0, 1, 0, 10);
  return new ProcessScraper(backend, createTestContext({ scheduler }), HOST);
}

function keysByName(batch: MetricBatch): Map<string, string> {
  return new Map(batch.map((point) => [`${point.series.name}/${String(point.series.attributes['cpu.mode'])}`, point.series.key]));
}

let dir: string | undefined;
afterEach(() => {
  if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
  dir = undefined;
});

describe('process receiver: series identity', () => {
  it('keeps the series of a PID-file target across a receiver restart and a restart of its process', async () => {
    dir = mkdtempSync(join(tmpdir(), 'healthpipe-identity-'));
    const pidFile = join(dir, 'api.pid');
    const targets = staticTargets([{ service: 'api', pid_file: pidFile, labels: { team: 'payments' } }]);
    const backend = new FakeBackend();

    writeFileSync(pidFile, '100\n');
    backend.set({ pid: 100 });
    const first = await newScraper(backend).scrape(targets);

    // The receiver restarted by its hub or a reload: a new scraper, the same process.
    const restarted = await newScraper(backend).scrape(targets);
    expect(restarted[0]!.series).not.toBe(first[0]!.series);
    expect(keysByName(restarted)).toEqual(keysByName(first));

    // The service restarted: a new PID and start time in the same PID file.
    writeFileSync(pidFile, '200\n');
    backend.set({ pid: 200, creationTime: STARTED + 3_600_000 });
    const newProcess = await newScraper(backend).scrape(targets);
    expect(keysByName(newProcess)).toEqual(keysByName(first));
    // The PID and start time still describe every point.
    expect(newProcess[0]!.series.resource.attributes).toMatchObject({
      'service.instance.id': `host-a:pid_file ${pidFile}`,
      'process.pid': 200,
      'process.creation.time': '2024-01-01T01:00:00.000Z',
    });
    expect(newProcess[0]!.series.resource.identifyingAttributes).toEqual({
      team: 'payments',
      'service.name': 'api',
      'service.instance.id': `host-a:pid_file ${pidFile}`,
    });
  });

  it('puts a failed read of a single-process target on the same instance as its readable process', async () => {
    const backend = new FakeBackend();
    const targets = staticTargets([{ service: 'me', self: true, labels: {} }]);
    const scraper = newScraper(backend);
    const failed = await scraper.scrape(targets);
    backend.set({ pid: process.pid });
    const read = await newScraper(backend).scrape(targets);
    expect(failed[0]!.series.name).toBe('process.scrape.error');
    expect(failed[0]!.series.resource.identity).toBe(read[0]!.series.resource.identity);
    expect(read[0]!.series.resource.attributes['service.instance.id']).toBe('host-a:self');
  });

  it('makes each process of a multi-process target its own instance, identified by PID and start time', () => {
    const [single] = staticTargets([{ service: 'worker', self: true, labels: {} }]);
    const several: ProcessTarget = { ...single!, eachProcessIsAnInstance: true };
    const a = processResource(several, procfsLikeSample(100), HOST);
    const b = processResource(several, procfsLikeSample(101), HOST);
    const reused = processResource(several, { ...procfsLikeSample(100), creationTime: STARTED + 1000 }, HOST);
    expect(new Set([a.identity, b.identity, reused.identity]).size).toBe(3);
    expect(a.isVolatile('process.pid')).toBe(false);
    expect(a.attributes['service.instance.id']).toBe('host-a:100');
    // Through a single-process target the same three processes are one instance.
    const asOne = [100, 101].map((pid) => processResource(single!, procfsLikeSample(pid), HOST).identity);
    expect(new Set(asOne).size).toBe(1);
  });

  it('keeps two single-process targets of one service apart', () => {
    const [a, b] = staticTargets([
      { service: 'api', pid_file: '/run/api-a.pid', labels: {} },
      { service: 'api', pid_file: '/run/api-b.pid', labels: {} },
    ]);
    expect(processResource(a!, procfsLikeSample(100), HOST).identity).not.toBe(processResource(b!, procfsLikeSample(101), HOST).identity);
  });
});

import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { VirtualTimeScheduler } from 'rxjs';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { ProcfsBackend } from '../../../receivers/process/procfs-backend.js';
import { loadProcfsConstants, parseBootTime, parsePasswd } from '../../../receivers/process/procfs-constants.js';
import { ProcessScraper } from '../../../receivers/process/scraper.js';
import { staticTargets } from '../../../receivers/process/targets.js';
import { createTestContext } from '../../helpers/context.js';
import { startChild, stopAllChildren, stopChild } from './children.js';

const linux = process.platform === 'linux';
const golden = readFileSync(new URL('./testdata/command-with-spaces-and-parens.stat', import.meta.url), 'latin1');

describe('procfs constants', () => {
  it('reads the boot time and user names', () => {
    expect(parseBootTime('cpu  1 2 3\nintr 5\nbtime 1700000000\nprocesses 9\n')).toBe(1_700_000_000_000);
    expect(parseBootTime('cpu 1\n')).toBeUndefined();
    expect(parsePasswd('root:x:0:0:root:/root:/bin/bash\n# note\nsvc:x:1001:1001::/home/svc:/bin/sh\nbad\n')).toEqual(
      new Map([
        [0, 'root'],
        [1001, 'svc'],
      ]),
    );
  });
});

describe.runIf(linux)('ProcfsBackend on a golden /proc tree', () => {
  const root = mkdtempSync(join(tmpdir(), 'healthpipe-proc-'));
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('converts ticks and pages, and starts over when the start time of a PID changes', async () => {
    mkdirSync(join(root, '4242'));
    writeFileSync(join(root, '4242', 'stat'), golden);
    const constants = await loadProcfsConstants();
    const backend = new ProcfsBackend({ fileDescriptors: false, procRoot: root });

    const [sample] = await backend.read([4242]);
    expect(sample).toMatchObject({
      ok: true,
      pid: 4242,
      executableName: 'my (weird) ) name',
      cpuUser: 1234 / constants.clockTicks,
      cpuSystem: 567 / constants.clockTicks,
      memoryRss: 18123 * constants.pageSize,
      memoryVirtual: 1077329920,
      threads: 7,
      fileDescriptors: undefined,
      creationTime: constants.bootTime + (889900 * 1000) / constants.clockTicks,
    });

    // Same PID, later start: another process. The scraper makes a new resource for it.
    const scheduler = new VirtualTimeScheduler();
    const scraper = new ProcessScraper(backend, createTestContext({ scheduler }));
    const targets = staticTargets([{ service: 'weird', pid: 4242, labels: {} }]);
    const before = await scraper.scrape(targets);
    writeFileSync(join(root, '4242', 'stat'), golden.replace(' 889900 ', ' 989900 '));
    const after = await scraper.scrape(targets);
    expect(after[0]!.series.resource).not.toBe(before[0]!.series.resource);
    expect(Date.parse(String(after[0]!.series.resource.attributes['process.creation.time']))).toBe(
      constants.bootTime + (989900 * 1000) / constants.clockTicks,
    );
    scraper.close();
  });

  it('reports a zombie as gone, a file that is not a stat line as `other`', async () => {
    mkdirSync(join(root, '76'));
    writeFileSync(join(root, '76', 'stat'), golden.replace(') S ', ') Z '));
    mkdirSync(join(root, '77'));
    writeFileSync(join(root, '77', 'stat'), 'garbage\n');
    const backend = new ProcfsBackend({ fileDescriptors: false, procRoot: root });
    expect(await backend.read([76, 77, 78])).toEqual([
      { ok: false, pid: 76, errorType: 'not_found', code: 'EZOMBIE' },
      { ok: false, pid: 77, errorType: 'other', code: 'EBADSTAT' },
      { ok: false, pid: 78, errorType: 'not_found', code: 'ENOENT' },
    ]);
    backend.close();
  });

  it("fills the same sample again on the next read, and a scrape's points keep the values of their own read", async () => {
    mkdirSync(join(root, '4343'));
    writeFileSync(join(root, '4343', 'stat'), golden);
    const constants = await loadProcfsConstants();
    const backend = new ProcfsBackend({ fileDescriptors: false, procRoot: root });
    const scraper = new ProcessScraper(backend, createTestContext({ scheduler: new VirtualTimeScheduler() }));
    const targets = staticTargets([{ service: 'weird', pid: 4343, labels: {} }]);
    const rss = (batch: readonly { series: { name: string }; value: number }[]) => batch.find((point) => point.series.name === 'process.memory.usage')?.value;
    const first = await scraper.scrape(targets);
    writeFileSync(join(root, '4343', 'stat'), golden.replace(' 18123 ', ' 20000 '));
    const second = await scraper.scrape(targets);
    expect(rss(first)).toBe(18123 * constants.pageSize);
    expect(rss(second)).toBe(20000 * constants.pageSize);
    const [a] = await backend.read([4343]);
    const [b] = await backend.read([4343]);
    // One object per PID, refilled: what outlives a scrape is copied out of it (see ProcessBackend.read).
    expect(b).toBe(a);
    scraper.close();
  });
});

describe.runIf(linux)('ProcfsBackend on real processes', () => {
  afterEach(() => stopAllChildren());

  function openFds(): number {
    return readdirSync('/proc/self/fd').length;
  }

  it('keeps one descriptor per PID, releases those not asked for, and sees a process that exited', async () => {
    const first = await startChild();
    const second = await startChild();
    const baseline = openFds();
    const backend = new ProcfsBackend({ fileDescriptors: true });

    const both = await backend.read([first, second]);
    expect(both.map((result) => result.ok)).toEqual([true, true]);
    expect(both[0]).toMatchObject({ executableName: 'node' });
    expect(both[0]!.ok && both[0]!.fileDescriptors).toBeGreaterThanOrEqual(3);
    const withHandles = openFds();
    expect(withHandles).toBeGreaterThan(baseline);

    await stopChild(second);
    const afterExit = await backend.read([first, second]);
    expect(afterExit[1]).toMatchObject({ ok: false, pid: second, errorType: 'not_found' });

    await backend.read([first]);
    expect(openFds()).toBeLessThan(withHandles);
    backend.close();
    expect(openFds()).toBe(baseline);
  });
});

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Resource } from '../../../src/model/series.js';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { startChild, stopAllChildren, stopChild } from './children.js';
import { batches, linux, receive } from './receive.js';

const dir = mkdtempSync(join(tmpdir(), 'healthpipe-process-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
afterEach(() => stopAllChildren());

describe.runIf(linux)('process receiver by PID file (procfs, real processes)', () => {
  it('follows a PID file, re-read on every scrape, to the restarted process', async () => {
    const pidFile = join(dir, 'api.pid');
    const before = await startChild();
    const after = await startChild();
    writeFileSync(pidFile, `${before}\n`);
    const { batches$ } = receive({ targets: [{ service: 'api', pid_file: pidFile }] });
    const resources = await new Promise<Resource[]>((resolve, reject) => {
      const seen: Resource[] = [];
      const subscription = batches$.subscribe({
        next: (batch) => {
          seen.push(batch[0]!.series.resource);
          // The "restart": the next scrape must find the new PID in the same file.
          if (seen.length === 1) writeFileSync(pidFile, `${after}\n`);
          if (seen.length === 3) {
            subscription.unsubscribe();
            resolve(seen);
          }
        },
        error: reject,
      });
    });
    expect(resources.map((resource) => resource.attributes['process.pid'])).toEqual([before, after, after]);
    expect(resources[1]).not.toBe(resources[0]);
    expect(resources[2]).toBe(resources[1]);
  });

  it('tells a PID file of a dead process from a missing or garbled PID file', async () => {
    const dead = await startChild();
    await stopChild(dead);
    writeFileSync(join(dir, 'dead.pid'), `${dead}\n`);
    writeFileSync(join(dir, 'garbled.pid'), 'not a pid\n');
    const { batches$, context } = receive({
      targets: [
        { service: 'dead', pid_file: join(dir, 'dead.pid') },
        { service: 'missing', pid_file: join(dir, 'missing.pid') },
        { service: 'garbled', pid_file: join(dir, 'garbled.pid') },
      ],
    });
    const [first, second] = await batches(batches$, 2);
    for (const batch of [first!, second!]) {
      expect(
        batch.map((point) => [point.series.resource.serviceName, point.series.attributes['error.type'], point.series.resource.attributes['process.pid']]),
      ).toEqual([
        ['dead', 'not_found', dead],
        ['missing', 'pid_file_unreadable', undefined],
        ['garbled', 'pid_file_unreadable', undefined],
      ]);
    }
    expect(context.logs.records().filter((record) => record.level === 'warn')).toHaveLength(3);
  });
});

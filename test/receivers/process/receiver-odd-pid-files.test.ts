import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { batches, linux, receive } from './receive.js';

const dir = mkdtempSync(join(tmpdir(), 'healthpipe-odd-pid-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe.runIf(linux)('process receiver with PID files that are not PID files', () => {
  it('keeps scraping `self` while other targets name a FIFO, a device, a directory and a large file', async () => {
    const fifo = join(dir, 'api.pid');
    execFileSync('mkfifo', [fifo]);
    mkdirSync(join(dir, 'folder.pid'));
    writeFileSync(join(dir, 'large.pid'), `${'1'.repeat(100)}\n`);
    const { batches$, context } = receive({
      targets: [
        { service: 'me', self: true },
        { service: 'fifo', pid_file: fifo },
        { service: 'zero', pid_file: '/dev/zero' },
        { service: 'folder', pid_file: join(dir, 'folder.pid') },
        { service: 'large', pid_file: join(dir, 'large.pid') },
      ],
    });
    // Today's blocking open of the FIFO never returns: no batch ever comes, not even for `self`.
    const received = await batches(batches$, 2);
    for (const batch of received) {
      const errors = batch
        .filter((point) => point.series.name === 'process.scrape.error')
        .map((point) => [point.series.resource.serviceName, point.series.attributes['error.type']]);
      expect(errors).toEqual([
        ['fifo', 'pid_file_unreadable'],
        ['zero', 'pid_file_unreadable'],
        ['folder', 'pid_file_unreadable'],
        ['large', 'pid_file_unreadable'],
      ]);
      const own = batch.filter((point) => point.series.resource.serviceName === 'me');
      expect(own.map((point) => point.series.resource.attributes['process.pid'])).toContain(process.pid);
    }
    // Logged once per target, each with its reason.
    const warnings = context.logs.records().filter((record) => record.level === 'warn').map((record) => record.message);
    expect(warnings).toHaveLength(4);
    expect(warnings.join('\n')).toMatch(/fifo .*is a FIFO, not a regular file/);
    expect(warnings.join('\n')).toMatch(/zero .*is a character device, not a regular file/);
    expect(warnings.join('\n')).toMatch(/folder .*is a directory, not a regular file/);
    expect(warnings.join('\n')).toMatch(/large .*is larger than 64 bytes, the limit for a PID file/);
  });
});

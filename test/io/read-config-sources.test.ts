import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { formatProblem, readConfigSources } from '../../src/config/index.js';

const dir = mkdtempSync(join(tmpdir(), 'healthpipe-config-read-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('readConfigSources with files that are not configurations', () => {
  it('reports a FIFO, a device and a file past 4 MiB as problems, each with its reason, without waiting or reading them', async () => {
    const fifo = join(dir, 'fifo.yaml');
    execFileSync('mkfifo', [fifo]);
    const huge = join(dir, 'huge.yaml');
    writeFileSync(huge, '');
    truncateSync(huge, 4 * 1024 * 1024 + 1);
    const fits = join(dir, 'fits.yaml');
    writeFileSync(fits, 'receivers: {}\n');
    const result = await readConfigSources([fits, fifo, '/dev/zero', huge]);
    expect(!result.ok && result.problems.map(formatProblem)).toEqual([
      `${fifo}: cannot read the configuration: is a FIFO, not a regular file`,
      '/dev/zero: cannot read the configuration: is a character device, not a regular file',
      `${huge}: cannot read the configuration: is larger than 4 MiB, the limit for a configuration file`,
    ]);
  });

  it('reads a file of exactly 4 MiB', async () => {
    const exact = join(dir, 'exact.yaml');
    writeFileSync(exact, `#${'x'.repeat(4 * 1024 * 1024 - 2)}\n`);
    const result = await readConfigSources([exact]);
    expect(result.ok && result.sources[0]!.text.length).toBe(4 * 1024 * 1024);
  });
});

import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { packageRoot } from '../../src/package-root.js';
import { parseJsonLine, startCli } from '../helpers/cli.js';

const dir = mkdtempSync(join(tmpdir(), 'healthpipe-embedded-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('healthpipe with no --config, in a directory without pipeline.yaml', () => {
  it('runs the embedded default, says so first, prints points, keeps its store here, and stops on SIGINT', async () => {
    const cli = startCli([], { cwd: dir });
    const first = await cli.waitForLine('stderr', () => true);
    expect(parseJsonLine(first)).toMatchObject({
      level: 'info',
      message: `no pipeline.yaml here: running the embedded default ${join(packageRoot(), 'pipeline.yaml')}`,
      data_dir: join(dir, 'data'),
    });
    // The default's table: a header line with the time and the count, then the columns.
    await cli.waitForLine('stdout', (line) => /^\d{4}-\d\d-\d\dT\S+Z {2}\d+ points?$/.test(line));
    await cli.waitForLine('stdout', (line) => line.startsWith('healthpipe  '));
    expect(existsSync(join(dir, 'data', 'healthpipe.db'))).toBe(true);
    cli.child.kill('SIGINT');
    expect(await cli.exited).toBe(0);
  });
});

import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { packageRoot } from '../../src/package-root.js';
import { parseJsonLine, runCliSync, startCli } from '../helpers/cli.js';

const dir = mkdtempSync(join(tmpdir(), 'healthpipe-embedded-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('healthpipe with no --config, in a directory without pipeline.yaml', () => {
  it('runs the embedded default, says so first, prints the agent and the machine, keeps its store here, and stops on SIGINT', async () => {
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
    // The machine beside the agent, one row per metric, in units people read; stdout is a
    // pipe here, so every line is cut to 120 columns.
    const memory = await cli.waitForLine('stdout', (line) => /^host\s+system\.memory\.usage\s/.test(line));
    expect(memory).toMatch(/state: used [\d.]+ [KMGT]iB \| free [\d.]+ [KMGT]iB/);
    await cli.waitForLine('stdout', (line) => /^host\s+system\.cpu\.utilization\s+state,logical_number: user,0 [\d.]+%/.test(line));
    await cli.waitForLine('stdout', (line) => /^healthpipe\s+process\.memory\.usage\s+.*[\d.]+ [KMG]iB/.test(line));
    expect(cli.stdoutLines.every((line) => line.length <= 120)).toBe(true);
    // host-metrics' own process figures are not the machine's: the process receiver has the agent.
    expect(cli.stdoutLines.some((line) => /^host\s+process\./.test(line))).toBe(false);
    expect(existsSync(join(dir, 'data', 'healthpipe.db'))).toBe(true);
    // The status page and the agent's own health, on the default's loopback port.
    const healthz = await fetch('http://127.0.0.1:13133/healthz');
    expect(healthz.status).toBe(200);
    const page = await fetch('http://127.0.0.1:13133/');
    expect(page.headers.get('content-type')).toMatch(/^text\/html/);
    expect(await page.text()).toContain('<!doctype html>');
    cli.child.kill('SIGINT');
    expect(await cli.exited).toBe(0);
    // What the default kept in its history is read back after the stop: the agent and the machine.
    const status = runCliSync(['status', '--json'], { cwd: dir });
    expect(status.code).toBe(0);
    const services = (JSON.parse(status.stdout) as { services: Array<{ service: string }> }).services.map((entry) => entry.service);
    expect(services).toEqual(expect.arrayContaining(['healthpipe', 'host']));
  });
});

import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { processPipelineYaml } from '../helpers/process-pipeline.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseJsonLine, startCli } from '../helpers/cli.js';

type JsonPoint = { name: string; value: number; unit: string; attributes: Record<string, unknown>; resource: Record<string, unknown> };

let dir: string;
let watched: ChildProcess;
let pidFile: string;


function isPointOf(service: string, name: string) {
  return (line: string): boolean => {
    const record = parseJsonLine(line) as JsonPoint | undefined;
    return record?.name === name && record.resource['service.name'] === service;
  };
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'healthpipe-e2e-'));
  watched = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' });
  pidFile = join(dir, 'watched.pid');
  writeFileSync(pidFile, `${watched.pid}\n`);
});

afterAll(() => {
  watched.kill('SIGKILL');
  rmSync(dir, { recursive: true, force: true });
});

describe('healthpipe run', () => {
  it('prints JSON points for a process watched by PID and by PID file, then exits 0 on SIGTERM', async () => {
    const config = join(dir, 'by-pid.yaml');
    writeFileSync(
      config,
      processPipelineYaml(`      - service: by-pid
        pid: ${watched.pid}
      - service: by-pid-file
        pid_file: ${pidFile}
        labels: { team: payments }`),
    );
    const cli = startCli(['run', '--config', config], { cwd: dir });
    const byPid = parseJsonLine(await cli.waitForLine('stdout', isPointOf('by-pid', 'process.memory.usage'))) as JsonPoint;
    const byFile = parseJsonLine(
      await cli.waitForLine('stdout', isPointOf('by-pid-file', 'process.memory.usage')),
    ) as JsonPoint;

    for (const point of [byPid, byFile]) {
      expect(point.resource['process.pid']).toBe(watched.pid);
      expect(point.unit).toBe('By');
      expect(point.value).toBeGreaterThan(1024 * 1024);
      expect(Date.parse((point as unknown as { time: string }).time)).not.toBeNaN();
    }
    expect(byFile.resource.team).toBe('payments');
    const threads = parseJsonLine(await cli.waitForLine('stdout', isPointOf('by-pid', 'process.thread.count'))) as JsonPoint;
    expect(threads.value).toBeGreaterThanOrEqual(1);

    cli.child.kill('SIGTERM');
    expect(await cli.exited).toBe(0);
    expect(cli.stderrLines.some((line) => line.includes('healthpipe stopped'))).toBe(true);
  });

  it('flushes the open window on SIGTERM: the windowed figures are printed before exit 0', async () => {
    const config = join(dir, 'flush.yaml');
    writeFileSync(
      config,
      processPipelineYaml(`      - service: flushed\n        pid: ${watched.pid}`)
        .replace('exporters:', 'processors:\n  window: { size: 1h, aggregates: [max] }\nexporters:')
        .replace('      receivers: [process]', '      receivers: [process]\n      processors: [window]'),
    );
    const cli = startCli(['run', '--config', config], { cwd: dir });
    await cli.waitForLine('stderr', (line) => line.includes('healthpipe started'));
    // Let a few scrapes land in the hour-long window, which cannot close by itself here.
    await new Promise((resolve) => setTimeout(resolve, 1000));
    expect(cli.stdoutLines).toEqual([]);
    cli.child.kill('SIGTERM');
    expect(await cli.exited).toBe(0);
    const flushed = cli.stdoutLines.map(parseJsonLine).find((record) => record?.name === 'process.memory.usage') as
      | JsonPoint
      | undefined;
    expect(flushed?.attributes.aggregate).toBe('max');
    expect(flushed?.resource['service.name']).toBe('flushed');
  });

  it('reloads on SIGHUP: a bad file keeps the running pipeline, a good one changes it', async () => {
    const config = join(dir, 'reload.yaml');
    writeFileSync(config, processPipelineYaml(`      - service: before\n        pid: ${watched.pid}`));
    const cli = startCli(['run', '--config', config], { cwd: dir });
    await cli.waitForLine('stdout', isPointOf('before', 'process.memory.usage'));

    writeFileSync(config, processPipelineYaml(`      - service: broken\n        pid: ${watched.pid}\n        colour: blue`));
    cli.child.kill('SIGHUP');
    await cli.waitForLine('stderr', (line) => line.includes('reload rejected') && line.includes('colour'));
    const seen = cli.stdoutLines.length;
    // Still running on the old configuration.
    await cli.waitForLine('stdout', (line) => cli.stdoutLines.indexOf(line) >= seen && isPointOf('before', 'process.memory.usage')(line));

    writeFileSync(config, processPipelineYaml(`      - service: after\n        pid: ${watched.pid}`));
    cli.child.kill('SIGHUP');
    await cli.waitForLine('stderr', (line) => line.includes('configuration reloaded'));
    await cli.waitForLine('stdout', isPointOf('after', 'process.memory.usage'));
    expect(cli.stdoutLines.some(isPointOf('broken', 'process.memory.usage'))).toBe(false);

    cli.child.kill('SIGINT');
    expect(await cli.exited).toBe(0);
  });

  it('refuses to start on a bad configuration with a message, not a stack trace', async () => {
    const config = join(dir, 'bad.yaml');
    writeFileSync(config, processPipelineYaml(`      - service: x\n        pid: not-a-number`));
    const cli = startCli(['run', '--config', config], { cwd: dir });
    expect(await cli.exited).toBe(2);
    const stderr = cli.stderrLines.join('\n');
    expect(stderr).toContain('bad.yaml:6:14: receivers.process.targets[0].pid: expected a number');
    expect(stderr).not.toContain('not-a-number');
    expect(stderr).not.toMatch(/\n\s+at /);
  });
});

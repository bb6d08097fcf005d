import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { HealthpipeError } from '../../src/errors.js';
import { LOCK_FILE_NAME, PID_FILE_NAME, lockDataDir } from '../../src/runtime/data-dir-lock.js';
import { Runtime } from '../../src/runtime/runtime.js';
import { JsonLogger, MemoryLogSink } from '../../src/telemetry/logger.js';

const dir = mkdtempSync(join(tmpdir(), 'healthpipe-data-dir-lock-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function refusal(take: () => unknown): HealthpipeError {
  try {
    take();
  } catch (error) {
    expect(error).toBeInstanceOf(HealthpipeError);
    return error as HealthpipeError;
  }
  throw new Error('the second lock was granted');
}

/** A PID no process has now: one that just exited (and was reaped). */
function deadPid(): number {
  const child = spawnSync(process.execPath, ['-e', 'console.log(process.pid)'], { encoding: 'utf8' });
  return Number(child.stdout.trim());
}

describe('lockDataDir: one agent per data_dir', () => {
  it('refuses a second holder, naming the directory and the holder’s PID; gives the directory up on release', () => {
    const data = join(dir, 'unit', 'data');
    const first = lockDataDir(data);
    expect(existsSync(join(data, LOCK_FILE_NAME))).toBe(true);
    expect(readFileSync(join(data, PID_FILE_NAME), 'utf8').trim()).toBe(String(process.pid));

    const error = refusal(() => lockDataDir(data));
    expect(error.code).toBe('STORAGE');
    expect(error.message).toBe(
      `the data directory ${data} is in use by another healthpipe agent (PID ${process.pid}): one agent per data_dir; stop that agent or give this one another service.data_dir`,
    );

    first.release();
    first.release();
    expect(existsSync(join(data, PID_FILE_NAME))).toBe(false);
    const second = lockDataDir(data);
    second.release();
  });

  it('names no PID when the side file names a process that is gone', () => {
    const data = join(dir, 'stale');
    const held = lockDataDir(data);
    writeFileSync(join(data, PID_FILE_NAME), `${deadPid()}\n`);
    expect(refusal(() => lockDataDir(data)).message).toMatch(/^the data directory .* is in use by another healthpipe agent: one agent per data_dir/);
    held.release();
  });

  it('is not fooled by a PID file left behind: without a holder the lock is granted', () => {
    const data = join(dir, 'left');
    lockDataDir(data).release();
    writeFileSync(join(data, PID_FILE_NAME), `${process.pid}\n`);
    const held = lockDataDir(data);
    held.release();
  });
});

describe('two Runtimes on one data_dir in one process', () => {
  const file = join(dir, 'pipeline.yaml');
  writeFileSync(
    file,
    `receivers:
  internal: {}
exporters:
  file: { path: ${JSON.stringify(join(dir, 'out', 'points.jsonl'))} }
service:
  pipelines:
    metrics: { receivers: [internal], exporters: [file] }
`,
  );
  const start = (): Promise<Runtime> =>
    Runtime.start({
      files: [file],
      env: {},
      logger: new JsonLogger({ level: 'debug', sink: new MemoryLogSink(), now: () => Date.now() }),
      dataDir: join(dir, 'shared'),
    });

  it('refuses the second while the first runs, and starts one again once the first stopped', { timeout: 60_000 }, async () => {
    const first = await start();
    try {
      const error = await start().then(
        () => undefined,
        (rejected: unknown) => rejected,
      );
      expect(error).toBeInstanceOf(HealthpipeError);
      expect((error as HealthpipeError).message).toContain(`the data directory ${join(dir, 'shared')} is in use by another healthpipe agent (PID ${process.pid})`);
    } finally {
      expect(await first.stop()).toBe(true);
    }
    const again = await start();
    expect(await again.stop()).toBe(true);
  });
});

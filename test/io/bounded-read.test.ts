import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { FileReadError, readBoundedFile } from '../../src/io/bounded-read.js';
import { withTimeout } from '../../src/io/timeout.js';

const dir = mkdtempSync(join(tmpdir(), 'healthpipe-read-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const limits = { maxBytes: 16, timeoutMs: 2_000, what: 'a test file' };

async function refusal(path: string, given = limits): Promise<FileReadError> {
  const error: unknown = await readBoundedFile(path, given).then(
    () => undefined,
    (rejected: unknown) => rejected,
  );
  expect(error).toBeInstanceOf(FileReadError);
  return error as FileReadError;
}

describe('readBoundedFile', () => {
  it('reads a regular file up to its bound', async () => {
    writeFileSync(join(dir, 'exact'), 'x'.repeat(16));
    expect((await readBoundedFile(join(dir, 'exact'), limits)).toString()).toBe('x'.repeat(16));
  });

  it('refuses a FIFO at once instead of waiting for a writer', async () => {
    const fifo = join(dir, 'fifo');
    execFileSync('mkfifo', [fifo]);
    const error = await refusal(fifo);
    expect([error.reason, error.detail]).toEqual(['NOT_REGULAR', 'is a FIFO, not a regular file']);
    expect(error.message).toBe(`${fifo}: is a FIFO, not a regular file`);
    expect(error.code).toBe('FILE_ACCESS');
  });

  it('refuses devices and directories, naming what they are', async () => {
    expect((await refusal('/dev/zero')).detail).toBe('is a character device, not a regular file');
    expect((await refusal(dir)).detail).toBe('is a directory, not a regular file');
  });

  it('refuses a file past its bound, stating the limit, without reading the rest', async () => {
    writeFileSync(join(dir, 'large'), 'x'.repeat(17));
    expect((await refusal(join(dir, 'large'))).detail).toBe('is larger than 16 bytes, the limit for a test file');
    // /proc files report size 0: the bound holds on what is read, not on what stat says.
    const proc = await refusal('/proc/self/status', { ...limits, maxBytes: 64 });
    expect(proc.reason).toBe('TOO_LARGE');
  });

  it('says why the system refused it', async () => {
    const missing = await refusal(join(dir, 'missing'));
    expect([missing.reason, missing.detail]).toEqual(['ENOENT', 'no such file']);
    expect((await refusal(join(dir, 'exact', 'below'))).detail).toBe('a part of the path is not a directory');
  });
});

describe('withTimeout', () => {
  it('rejects with the given reason when the work does not settle in time, and leaves the work alone', async () => {
    vi.useFakeTimers();
    try {
      const never = new Promise<string>(() => undefined);
      const bounded = withTimeout(never, 2_000, () => new Error('did not answer within 2000 ms'));
      const outcome = bounded.then(
        () => 'resolved',
        (error: Error) => error.message,
      );
      await vi.advanceTimersByTimeAsync(1_999);
      let settled = false;
      void outcome.then(() => (settled = true));
      await Promise.resolve();
      expect(settled).toBe(false);
      await vi.advanceTimersByTimeAsync(1);
      expect(await outcome).toBe('did not answer within 2000 ms');
    } finally {
      vi.useRealTimers();
    }
  });

  it('passes the result through and clears its timer', async () => {
    vi.useFakeTimers();
    try {
      expect(await withTimeout(Promise.resolve(7), 2_000, () => new Error('late'))).toBe(7);
      expect(vi.getTimerCount()).toBe(0);
    } finally {
      vi.useRealTimers();
    }
  });
});

import { afterEach, describe, expect, it, vi } from 'vitest';

// A read that hangs in the kernel (a hung network mount) cannot be made on demand: the
// open itself is replaced by one the test lets return when it wants.
const pendingOpens: Array<(handle: unknown) => void> = [];
vi.mock('node:fs/promises', () => ({
  open: () => new Promise((resolve) => pendingOpens.push(resolve)),
}));

const { FileReadError, readBoundedFile } = await import('../../src/io/bounded-read.js');

const limits = { maxBytes: 64, timeoutMs: 2_000, what: 'a PID file' };

afterEach(() => vi.useRealTimers());

describe('readBoundedFile when the system does not answer', () => {
  it('gives up at the timeout, closes the file when the open returns, and does not queue a second read behind the first', async () => {
    vi.useFakeTimers();
    const first = readBoundedFile('/mnt/hung/api.pid', limits).catch((error: unknown) => error);
    await vi.advanceTimersByTimeAsync(2_000);
    const error = await first;
    expect(error).toBeInstanceOf(FileReadError);
    expect((error as InstanceType<typeof FileReadError>).detail).toBe('did not answer within 2000 ms');

    // While the first is still out, the same path is refused at once: no second thread held.
    const second = await readBoundedFile('/mnt/hung/api.pid', limits).catch((rejected: unknown) => rejected);
    expect((second as InstanceType<typeof FileReadError>).detail).toBe('an earlier read of it has not come back yet');
    expect(pendingOpens).toHaveLength(1);

    // The system finally answers: the abandoned file is closed, never read.
    const handle = { close: vi.fn(async () => undefined), stat: vi.fn(), read: vi.fn() };
    pendingOpens.shift()!(handle);
    await vi.advanceTimersByTimeAsync(0);
    expect(handle.close).toHaveBeenCalledTimes(1);
    expect(handle.stat).not.toHaveBeenCalled();

    // …and the path may be read again.
    const third = readBoundedFile('/mnt/hung/api.pid', limits).catch((rejected: unknown) => rejected);
    expect(pendingOpens).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(2_000);
    expect(((await third) as InstanceType<typeof FileReadError>).reason).toBe('TIMEOUT');
  });
});

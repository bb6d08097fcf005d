import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { socketInode, socketInodesOf } from '../../../../receivers/process/sockets/socket-inodes.js';

const procFixture = fileURLToPath(new URL('../testdata/proc', import.meta.url));

describe('socketInodesOf', () => {
  it('returns the inodes of the socket links among the descriptors, ignoring files, pipes and anon inodes', () => {
    const result = socketInodesOf(4242, procFixture);
    expect(result.ok).toBe(true);
    if (result.ok) expect([...result.inodes].sort((a, b) => a - b)).toEqual([1001, 1002, 2002, 999999]);
  });

  it('reports a process that is gone as a not_found failure instead of throwing', () => {
    expect(socketInodesOf(4243, procFixture)).toEqual({ ok: false, pid: 4243, errorType: 'not_found', code: 'ENOENT' });
  });

  it.skipIf(process.getuid?.() === 0)('reports another user’s process as permission_denied instead of throwing', () => {
    // PID 1 belongs to root: its fd directory is closed to other users.
    expect(socketInodesOf(1)).toMatchObject({ ok: false, pid: 1, errorType: 'permission_denied', code: 'EACCES' });
  });

  it('reads the agent’s own descriptors', () => {
    expect(socketInodesOf(process.pid).ok).toBe(true);
  });
});

describe('socketInode', () => {
  it('takes the number out of socket:[N] and nothing else', () => {
    expect(socketInode('socket:[12345]')).toBe(12345);
    expect(socketInode('pipe:[12345]')).toBeUndefined();
    expect(socketInode('socket:[]')).toBeUndefined();
    expect(socketInode('socket:[12a]')).toBeUndefined();
    expect(socketInode('/tmp/socket:[1]')).toBeUndefined();
  });
});

import { readdirSync, readlinkSync } from 'node:fs';
import { readFailure, type ReadFailure } from '../backend.js';

export interface SocketInodes {
  readonly ok: true;
  readonly pid: number;
  readonly inodes: readonly number[];
}

const PREFIX = 'socket:[';

/**
 * The inodes of the sockets a process holds, from the links in /proc/PID/fd
 * ("socket:[12345]"). Reading another user's fd directory fails with EACCES and a process
 * that ended with ENOENT: both come back as a failure for the caller to count, never thrown.
 * A descriptor closed between the listing and its readlink is skipped.
 */
export function socketInodesOf(pid: number, procRoot = '/proc'): SocketInodes | ReadFailure {
  const dir = `${procRoot}/${pid}/fd`;
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch (error) {
    return readFailure(pid, error);
  }
  const inodes: number[] = [];
  for (const name of names) {
    let target: string;
    try {
      target = readlinkSync(`${dir}/${name}`);
    } catch {
      continue;
    }
    const inode = socketInode(target);
    if (inode !== undefined) inodes.push(inode);
  }
  return { ok: true, pid, inodes };
}

/** The inode of a "socket:[N]" link target; undefined for files, pipes and the rest. */
export function socketInode(linkTarget: string): number | undefined {
  if (!linkTarget.startsWith(PREFIX) || !linkTarget.endsWith(']')) return undefined;
  const inode = Number(linkTarget.slice(PREFIX.length, -1));
  return Number.isSafeInteger(inode) && inode > 0 ? inode : undefined;
}

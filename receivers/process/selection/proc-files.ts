import { closeSync, openSync, readdirSync, readlinkSync, readSync } from 'node:fs';

/**
 * The few file operations process selection makes under /proc and the cgroup tree, behind
 * one interface so tests can count them (a command line is read once per process) or point
 * them at a fake tree. Synchronous on purpose: /proc files are made in memory by the kernel,
 * and a scan that never yields cannot interleave with another scrape.
 */
export interface ProcFiles {
  /** Entry names of a directory. */
  list(path: string): string[];
  /** Names of the subdirectories of a directory. */
  listDirectories(path: string): string[];
  /** Reads the file from its start into `buffer`; returns the bytes read (at most `buffer.length`). */
  read(path: string, buffer: Buffer): number;
  /** The target of a symbolic link. */
  link(path: string): string;
  /** Opens a file to read it again and again with `readAt`. */
  open(path: string): number;
  /** Reads an opened file from its start (one pread); throws once the process it belongs to has ended. */
  readAt(fd: number, buffer: Buffer): number;
  close(fd: number): void;
}

export const nodeProcFiles: ProcFiles = {
  list: (path) => readdirSync(path),
  listDirectories: (path) =>
    readdirSync(path, { withFileTypes: true })
      .filter((entry) => entry.isDirectory())
      .map((entry) => entry.name),
  read(path, buffer) {
    const fd = openSync(path, 'r');
    try {
      let length = 0;
      // procfs hands out a file in pieces of at most a page: read until full or at the end.
      while (length < buffer.length) {
        const got = readSync(fd, buffer, length, buffer.length - length, null);
        if (got === 0) break;
        length += got;
      }
      return length;
    } finally {
      closeSync(fd);
    }
  },
  link: (path) => readlinkSync(path),
  open: (path) => openSync(path, 'r'),
  readAt: (fd, buffer) => readSync(fd, buffer, 0, buffer.length, 0),
  close(fd) {
    try {
      closeSync(fd);
    } catch {
      // Already closed: nothing left to release.
    }
  },
};

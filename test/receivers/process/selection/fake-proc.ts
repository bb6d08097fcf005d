import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { nodeProcFiles, type ProcFiles } from '../../../../receivers/process/selection/proc-files.js';

export interface FakeProcess {
  readonly comm: string;
  /** Start time in clock ticks after boot (field 22 of stat). */
  readonly start: number;
  readonly argv: readonly string[];
  readonly exe?: string;
  readonly state?: string;
}

/** A /proc of made-up processes in a temp directory: for PID reuse, exec and counting reads. */
export class FakeProc {
  readonly root = mkdtempSync(join(tmpdir(), 'healthpipe-fake-proc-'));

  set(pid: number, process: FakeProcess): void {
    const dir = join(this.root, String(pid));
    // Rewritten in place, so a descriptor the scanner keeps reads the new process (as a
    // reopened one would on the real /proc, where the old descriptor fails).
    mkdirSync(dir, { recursive: true });
    rmSync(join(dir, 'exe'), { force: true });
    const fields = [process.state ?? 'S', 1, pid, pid, 0, -1, 4194560, 0, 0, 0, 0, 12, 3, 0, 0, 20, 0, 1, 0, process.start, 1000000, 250];
    writeFileSync(join(dir, 'stat'), `${pid} (${process.comm}) ${fields.join(' ')} 0 0 0\n`);
    writeFileSync(join(dir, 'cmdline'), process.argv.map((arg) => `${arg}\u0000`).join(''));
    if (process.exe !== undefined) symlinkSync(process.exe, join(dir, 'exe'));
  }

  remove(pid: number): void {
    rmSync(join(this.root, String(pid)), { recursive: true, force: true });
  }

  cleanUp(): void {
    rmSync(this.root, { recursive: true, force: true });
  }
}

/** The real file operations, counting reads by the last part of the path (`cmdline`, `stat`, …). */
export function countingFiles(): ProcFiles & { readonly reads: Map<string, number>; count(path: string): number } {
  const reads = new Map<string, number>();
  const opened = new Map<number, string>();
  const counted = (path: string) => reads.set(path, (reads.get(path) ?? 0) + 1);
  return {
    reads,
    count: (path) => reads.get(path) ?? 0,
    list: (path) => nodeProcFiles.list(path),
    listDirectories: (path) => nodeProcFiles.listDirectories(path),
    read(path, buffer) {
      counted(path);
      return nodeProcFiles.read(path, buffer);
    },
    link(path) {
      counted(path);
      return nodeProcFiles.link(path);
    },
    open(path) {
      const fd = nodeProcFiles.open(path);
      opened.set(fd, path);
      return fd;
    },
    readAt(fd, buffer) {
      counted(opened.get(fd) ?? '?');
      return nodeProcFiles.readAt(fd, buffer);
    },
    close(fd) {
      opened.delete(fd);
      nodeProcFiles.close(fd);
    },
  };
}

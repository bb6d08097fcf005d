import { execFile } from 'node:child_process';
import { closeSync, fstatSync, openSync } from 'node:fs';
import { readFile } from 'node:fs/promises';

/** Machine facts the procfs backend needs to turn /proc figures into seconds and bytes. */
export interface ProcfsConstants {
  /** _SC_CLK_TCK: the unit of CPU and start times in /proc/PID/stat. */
  readonly clockTicks: number;
  readonly pageSize: number;
  /** Boot time, ms since the epoch (`btime` of /proc/stat), so creation times stay stable across restarts of the agent. */
  readonly bootTime: number;
  /** Linux ≥ 6.2 reports the number of open files as the size of /proc/PID/fd: one fstat instead of a readdir. */
  readonly fdCountFromDirSize: boolean;
  /** uid → user name from /etc/passwd (local users only; others are shown by uid). */
  readonly users: ReadonlyMap<number, string>;
}

export const LINUX_CLOCK_TICKS = 100;
export const DEFAULT_PAGE_SIZE = 4096;

/** Asks `getconf` without blocking the event loop; falls back to Linux's usual value. */
function getconf(name: string, fallback: number): Promise<number> {
  return new Promise((resolve) => {
    execFile('getconf', [name], { timeout: 2000 }, (error, stdout) => {
      const value = Number.parseInt(String(stdout), 10);
      resolve(error === null && Number.isFinite(value) && value > 0 ? value : fallback);
    });
  });
}

// Machine constants: asked once per process, shared by every receiver instance.
let sysconf: Promise<{ clockTicks: number; pageSize: number }> | undefined;

function loadSysconf(): Promise<{ clockTicks: number; pageSize: number }> {
  sysconf ??= Promise.all([getconf('CLK_TCK', LINUX_CLOCK_TICKS), getconf('PAGESIZE', DEFAULT_PAGE_SIZE)]).then(
    ([clockTicks, pageSize]) => ({ clockTicks, pageSize }),
  );
  return sysconf;
}

export function parseBootTime(procStat: string): number | undefined {
  const match = /^btime (\d+)$/m.exec(procStat);
  return match === null ? undefined : Number(match[1]) * 1000;
}

export function parsePasswd(text: string): Map<number, string> {
  const users = new Map<number, string>();
  for (const line of text.split('\n')) {
    const [name, , uid] = line.split(':', 3);
    if (name === undefined || name === '' || name.startsWith('#') || uid === undefined) continue;
    const id = Number(uid);
    if (Number.isInteger(id) && !users.has(id)) users.set(id, name);
  }
  return users;
}

function fdDirHasSize(): boolean {
  try {
    const fd = openSync('/proc/self/fd', 'r');
    try {
      // We hold at least this fd, so a kernel that reports counts reports more than 0.
      return fstatSync(fd).size > 0;
    } finally {
      closeSync(fd);
    }
  } catch {
    return false;
  }
}

export async function loadProcfsConstants(): Promise<ProcfsConstants> {
  const [{ clockTicks, pageSize }, procStat, passwd] = await Promise.all([
    loadSysconf(),
    readFile('/proc/stat', 'latin1').catch(() => ''),
    readFile('/etc/passwd', 'utf8').catch(() => ''),
  ]);
  return {
    clockTicks,
    pageSize,
    bootTime: parseBootTime(procStat) ?? 0,
    fdCountFromDirSize: fdDirHasSize(),
    users: parsePasswd(passwd),
  };
}

import { closeSync, fstatSync, openSync, readdirSync, readSync } from 'node:fs';
import { readFailure, type ProcessBackend, type ProcessSample, type SampleResult } from './backend.js';
import { loadProcfsConstants, type ProcfsConstants } from './procfs-constants.js';
import { emptyProcStat, parseCommand, parseProcStat } from './stat-parser.js';

/** Not counted: the metric is off, or the fd directory could not be opened (another user's process). */
const FD_NOT_COUNTED = -2;
/** The kernel does not report counts as the directory size: count entries instead. */
const FD_BY_READDIR = -1;

/** Handles kept open for one PID between scrapes, and what is read only once per process. */
interface PidHandle {
  readonly pid: number;
  readonly statFd: number;
  readonly fdDirFd: number;
  readonly owner: string;
  executableName: string | undefined;
  /** The read round that last asked for this PID; older handles are closed. */
  round: number;
}

/**
 * Reads `/proc/PID/stat` through a file descriptor kept open per PID (one pread per scrape,
 * no path lookup), plus one fstat of `/proc/PID/fd` for the fd count. A kept descriptor
 * belongs to the process it was opened for: once that process is gone it fails with ESRCH
 * even if the PID is reused, so a failure reopens once before reporting.
 */
export class ProcfsBackend implements ProcessBackend {
  readonly creationToleranceMs = 0;
  private readonly handles = new Map<number, PidHandle>();
  // A stat line is well under 1 KiB; one buffer serves every read.
  private readonly buffer = Buffer.allocUnsafe(4096);
  private readonly stat = emptyProcStat();
  private constants: ProcfsConstants | undefined;
  private constantsLoading: Promise<ProcfsConstants> | undefined;
  private readonly procRoot: string;
  private round = 0;
  private closed = false;

  constructor(private readonly options: { readonly fileDescriptors: boolean; readonly procRoot?: string }) {
    this.procRoot = options.procRoot ?? '/proc';
  }

  async read(pids: readonly number[]): Promise<readonly SampleResult[]> {
    const constants = this.constants ?? (await this.loadConstants());
    if (this.closed) return [];
    const round = ++this.round;
    const results: SampleResult[] = new Array<SampleResult>(pids.length);
    for (let i = 0; i < pids.length; i++) results[i] = this.readPid(pids[i]!, round, constants);
    this.releaseUnused(round);
    return results;
  }

  close(): void {
    this.closed = true;
    for (const handle of this.handles.values()) this.release(handle);
    this.handles.clear();
  }

  private loadConstants(): Promise<ProcfsConstants> {
    this.constantsLoading ??= loadProcfsConstants().then((constants) => (this.constants = constants));
    return this.constantsLoading;
  }

  private readPid(pid: number, round: number, constants: ProcfsConstants): SampleResult {
    let handle = this.handles.get(pid);
    let length = -1;
    if (handle !== undefined) {
      try {
        length = readSync(handle.statFd, this.buffer, 0, this.buffer.length, 0);
      } catch {
        // The process we held is gone; the PID may already name a new one, so look again.
        this.release(handle);
        this.handles.delete(pid);
        handle = undefined;
      }
    }
    if (handle === undefined) {
      try {
        handle = this.open(pid, constants);
        length = readSync(handle.statFd, this.buffer, 0, this.buffer.length, 0);
      } catch (error) {
        if (handle !== undefined) {
          this.release(handle);
          this.handles.delete(pid);
        }
        return readFailure(pid, error);
      }
    }
    handle.round = round;
    return this.sample(handle, length, constants);
  }

  private sample(handle: PidHandle, length: number, constants: ProcfsConstants): SampleResult {
    const stat = this.stat;
    if (!parseProcStat(this.buffer, length, stat)) return { ok: false, pid: handle.pid, errorType: 'other', code: 'EBADSTAT' };
    // A zombie has exited and only waits for its parent: for health, the process is gone.
    if (stat.state === 'Z' || stat.state === 'X') return { ok: false, pid: handle.pid, errorType: 'not_found', code: 'EZOMBIE' };
    handle.executableName ??= parseCommand(this.buffer, length);
    const tick = constants.clockTicks;
    const cpuUser = stat.utimeTicks / tick;
    const cpuSystem = stat.stimeTicks / tick;
    const sample: ProcessSample = {
      ok: true,
      pid: handle.pid,
      creationTime: constants.bootTime + (stat.startTicks * 1000) / tick,
      executableName: handle.executableName,
      owner: handle.owner,
      cpuUser,
      cpuSystem,
      cpuTotal: cpuUser + cpuSystem,
      memoryRss: stat.rssPages * constants.pageSize,
      memoryVirtual: stat.vsizeBytes,
      threads: stat.threads,
      fileDescriptors: this.countFds(handle),
    };
    return sample;
  }

  private open(pid: number, constants: ProcfsConstants): PidHandle {
    const statFd = openSync(`${this.procRoot}/${pid}/stat`, 'r');
    let uid: number;
    try {
      // /proc/PID belongs to the effective uid of the process.
      uid = fstatSync(statFd).uid;
    } catch (error) {
      closeSync(statFd);
      throw error;
    }
    const handle: PidHandle = {
      pid,
      statFd,
      fdDirFd: this.fdSource(pid, constants),
      owner: constants.users.get(uid) ?? String(uid),
      executableName: undefined,
      round: this.round,
    };
    this.handles.set(pid, handle);
    return handle;
  }

  /** A kept descriptor of /proc/PID/fd where its size is the count (Linux ≥ 6.2), else how to count. */
  private fdSource(pid: number, constants: ProcfsConstants): number {
    if (!this.options.fileDescriptors) return FD_NOT_COUNTED;
    if (!constants.fdCountFromDirSize) return FD_BY_READDIR;
    try {
      return openSync(`${this.procRoot}/${pid}/fd`, 'r');
    } catch {
      return FD_NOT_COUNTED;
    }
  }

  /** Open file descriptors, or undefined when this process's fd directory cannot be read. */
  private countFds(handle: PidHandle): number | undefined {
    try {
      if (handle.fdDirFd >= 0) return fstatSync(handle.fdDirFd).size;
      if (handle.fdDirFd === FD_BY_READDIR) return readdirSync(`${this.procRoot}/${handle.pid}/fd`).length;
    } catch {
      // Unreadable or just exited: the stat figures still stand.
    }
    return undefined;
  }

  private releaseUnused(round: number): void {
    for (const handle of this.handles.values()) {
      if (handle.round === round) continue;
      this.release(handle);
      this.handles.delete(handle.pid);
    }
  }

  private release(handle: PidHandle): void {
    closeQuietly(handle.statFd);
    if (handle.fdDirFd >= 0) closeQuietly(handle.fdDirFd);
  }
}

function closeQuietly(fd: number): void {
  try {
    closeSync(fd);
  } catch {
    // Already closed: nothing left to release.
  }
}

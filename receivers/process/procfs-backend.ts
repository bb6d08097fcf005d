import { closeSync, fstatSync, openSync, readdirSync, readFileSync, readSync } from 'node:fs';
import { errorCode, errorTypeOf, readFailure, type PartialReadFailure, type ProcessBackend, type ProcessSample, type SampleResult } from './backend.js';
import { PROCESS_METRICS } from './metrics.js';
import { parseProcIo, type ProcIo } from './proc-io.js';
import { loadProcfsConstants, type ProcfsConstants } from './procfs-constants.js';
import { connectionsByState } from './sockets/connections-by-state.js';
import { readTcpTable, type TcpTable } from './sockets/tcp-table.js';
import { emptyProcStat, parseCommand, parseProcStat } from './stat-parser.js';

/** Not counted: the metric is off, or the fd directory could not be opened (see `fdFailure`). */
const FD_NOT_COUNTED = -2;
/** The kernel does not report counts as the directory size: count entries instead. */
const FD_BY_READDIR = -1;
/** /proc/PID/io not opened: the metric is off, or it could not be opened (see `ioFailure`). */
const IO_NOT_READ = -1;

/** What the backend reads beyond the default set of /proc/PID/stat. */
export interface ProcfsReads {
  readonly fileDescriptors: boolean;
  readonly diskIo?: boolean;
  readonly connections?: boolean;
  readonly commandLine?: boolean;
  readonly procRoot?: string;
}

/** Handles kept open for one PID between scrapes, and what is read only once per process. */
interface PidHandle {
  readonly pid: number;
  readonly statFd: number;
  readonly fdDirFd: number;
  /** Why /proc/PID/fd could not be opened, when the fd count is on; reported on every scrape. */
  readonly fdFailure: PartialReadFailure | undefined;
  readonly ioFd: number;
  readonly ioFailure: PartialReadFailure | undefined;
  readonly owner: string;
  executableName: string | undefined;
  /** Read on the first scrape of the process; null when it could not be read. */
  commandLine: string | null | undefined;
  /** The read round that last asked for this PID; older handles are closed. */
  round: number;
}

/**
 * Reads `/proc/PID/stat` through a file descriptor kept open per PID (one pread per scrape,
 * no path lookup), plus, when asked, one fstat of `/proc/PID/fd` for the fd count, one
 * pread of a kept `/proc/PID/io` for disk I/O and the socket inodes of `/proc/PID/fd`
 * joined to one parse of the TCP tables per scrape. A kept descriptor belongs to the
 * process it was opened for: once that process is gone it fails with ESRCH even if the PID
 * is reused, so a failure reopens once before reporting.
 */
export class ProcfsBackend implements ProcessBackend {
  readonly creationToleranceMs = 0;
  private readonly handles = new Map<number, PidHandle>();
  // A stat line is well under 1 KiB, and /proc/PID/io under 200 bytes; one buffer serves every read.
  private readonly buffer = Buffer.allocUnsafe(4096);
  private readonly stat = emptyProcStat();
  private readonly io: ProcIo = { readBytes: 0, writeBytes: 0 };
  private readonly failures: PartialReadFailure[] = [];
  private constants: ProcfsConstants | undefined;
  private constantsLoading: Promise<ProcfsConstants> | undefined;
  private readonly procRoot: string;
  private round = 0;
  private closed = false;

  constructor(private readonly options: ProcfsReads) {
    this.procRoot = options.procRoot ?? '/proc';
  }

  async read(pids: readonly number[]): Promise<readonly SampleResult[]> {
    const constants = this.constants ?? (await this.loadConstants());
    if (this.closed) return [];
    const round = ++this.round;
    const table = this.options.connections === true ? this.readTable() : undefined;
    const results: SampleResult[] = new Array<SampleResult>(pids.length);
    for (let i = 0; i < pids.length; i++) results[i] = this.readPid(pids[i]!, round, constants, table);
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

  /** One parse of the TCP tables for every process of the scrape; a failure marks each process's connections unreadable. */
  private readTable(): TcpTable | PartialReadFailure {
    try {
      return readTcpTable(this.procRoot);
    } catch (error) {
      return partialFailure(PROCESS_METRICS.networkConnectionCount.name, error);
    }
  }

  private readPid(pid: number, round: number, constants: ProcfsConstants, table: TcpTable | PartialReadFailure | undefined): SampleResult {
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
    return this.sample(handle, length, constants, table);
  }

  private sample(handle: PidHandle, length: number, constants: ProcfsConstants, table: TcpTable | PartialReadFailure | undefined): SampleResult {
    const stat = this.stat;
    if (!parseProcStat(this.buffer, length, stat)) return { ok: false, pid: handle.pid, errorType: 'other', code: 'EBADSTAT' };
    // A zombie has exited and only waits for its parent: for health, the process is gone.
    if (stat.state === 'Z' || stat.state === 'X') return { ok: false, pid: handle.pid, errorType: 'not_found', code: 'EZOMBIE' };
    handle.executableName ??= parseCommand(this.buffer, length);
    // Reused: most samples have no failure, and this runs per process per scrape; copied when one has.
    const failures = this.failures;
    failures.length = 0;
    const tick = constants.clockTicks;
    const cpuUser = stat.utimeTicks / tick;
    const cpuSystem = stat.stimeTicks / tick;
    const io = this.readIo(handle, failures);
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
      fileDescriptors: this.countFds(handle, failures),
      diskRead: io?.readBytes,
      diskWrite: io?.writeBytes,
      connections: this.countConnections(handle.pid, table, failures),
      commandLine: this.commandLineOf(handle, failures),
      partialFailures: failures.length === 0 ? undefined : failures.slice(),
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
    const fds = this.fdSource(pid, constants);
    const io = this.ioSource(pid);
    const handle: PidHandle = {
      pid,
      statFd,
      fdDirFd: fds.fd,
      fdFailure: fds.failure,
      ioFd: io.fd,
      ioFailure: io.failure,
      owner: constants.users.get(uid) ?? String(uid),
      executableName: undefined,
      commandLine: undefined,
      round: this.round,
    };
    this.handles.set(pid, handle);
    return handle;
  }

  /** A kept descriptor of /proc/PID/fd where its size is the count (Linux ≥ 6.2), else how to count. */
  private fdSource(pid: number, constants: ProcfsConstants): { fd: number; failure?: PartialReadFailure } {
    if (!this.options.fileDescriptors) return { fd: FD_NOT_COUNTED };
    if (!constants.fdCountFromDirSize) return { fd: FD_BY_READDIR };
    try {
      return { fd: openSync(`${this.procRoot}/${pid}/fd`, 'r') };
    } catch (error) {
      return { fd: FD_NOT_COUNTED, failure: partialFailure(PROCESS_METRICS.fileDescriptorCount.name, error) };
    }
  }

  /** A kept descriptor of /proc/PID/io: the kernel checks access on every read, so keeping it grants nothing more. */
  private ioSource(pid: number): { fd: number; failure?: PartialReadFailure } {
    if (this.options.diskIo !== true) return { fd: IO_NOT_READ };
    try {
      return { fd: openSync(`${this.procRoot}/${pid}/io`, 'r') };
    } catch (error) {
      return { fd: IO_NOT_READ, failure: partialFailure(PROCESS_METRICS.diskIo.name, error) };
    }
  }

  /** Open file descriptors, or undefined when the count is off or this process's fd directory cannot be read. */
  private countFds(handle: PidHandle, failures: PartialReadFailure[]): number | undefined {
    if (handle.fdFailure !== undefined) {
      failures.push(handle.fdFailure);
      return undefined;
    }
    try {
      if (handle.fdDirFd >= 0) return fstatSync(handle.fdDirFd).size;
      if (handle.fdDirFd === FD_BY_READDIR) return readdirSync(`${this.procRoot}/${handle.pid}/fd`).length;
    } catch (error) {
      failures.push(partialFailure(PROCESS_METRICS.fileDescriptorCount.name, error));
    }
    return undefined;
  }

  /** Storage bytes read and written, or undefined when off or unreadable (the figures are reused from `this.io`). */
  private readIo(handle: PidHandle, failures: PartialReadFailure[]): ProcIo | undefined {
    if (handle.ioFailure !== undefined) {
      failures.push(handle.ioFailure);
      return undefined;
    }
    if (handle.ioFd === IO_NOT_READ) return undefined;
    try {
      const length = readSync(handle.ioFd, this.buffer, 0, this.buffer.length, 0);
      if (parseProcIo(this.buffer, length, this.io)) return this.io;
      failures.push({ metric: PROCESS_METRICS.diskIo.name, errorType: 'other', code: 'EBADIO' });
    } catch (error) {
      failures.push(partialFailure(PROCESS_METRICS.diskIo.name, error));
    }
    return undefined;
  }

  private countConnections(pid: number, table: TcpTable | PartialReadFailure | undefined, failures: PartialReadFailure[]): number[] | undefined {
    if (table === undefined) return undefined;
    if (!(table instanceof Map)) {
      failures.push(table);
      return undefined;
    }
    const counts = connectionsByState(pid, table, this.procRoot);
    if (Array.isArray(counts)) return counts;
    failures.push({ metric: PROCESS_METRICS.networkConnectionCount.name, errorType: counts.errorType, code: counts.code });
    return undefined;
  }

  /** Read on the first scrape of a process only: its arguments are fixed at exec. */
  private commandLineOf(handle: PidHandle, failures: PartialReadFailure[]): string | undefined {
    if (this.options.commandLine !== true) return undefined;
    if (handle.commandLine === undefined) {
      try {
        handle.commandLine = joinArguments(readFileSync(`${this.procRoot}/${handle.pid}/cmdline`, 'utf8'));
      } catch (error) {
        handle.commandLine = null;
        failures.push(partialFailure('process.command_line', error));
      }
    }
    return handle.commandLine ?? undefined;
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
    if (handle.ioFd >= 0) closeQuietly(handle.ioFd);
  }
}

/** /proc/PID/cmdline holds NUL-terminated arguments; a kernel thread has none (undefined). */
export function joinArguments(cmdline: string): string | undefined {
  const joined = cmdline.replace(/\0+$/, '').replaceAll('\0', ' ');
  return joined === '' ? undefined : joined;
}

function partialFailure(metric: string, error: unknown): PartialReadFailure {
  return { metric, errorType: errorTypeOf(error), code: errorCode(error) };
}

function closeQuietly(fd: number): void {
  try {
    closeSync(fd);
  } catch {
    // Already closed: nothing left to release.
  }
}

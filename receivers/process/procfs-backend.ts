import { closeSync, fstatSync, openSync, readdirSync, readFileSync, readSync } from 'node:fs';
import { errorCode, errorTypeOf, readFailure, type PartialReadFailure, type ProcessBackend, type ProcessSample, type SampleResult } from './backend.js';
import { PROCESS_METRICS } from './metrics.js';
import { parseProcIo, type ProcIo } from './proc-io.js';
import { loadProcfsConstants, type ProcfsConstants } from './procfs-constants.js';
import type { ObservedProcesses } from './selection/proc-scan.js';
import { countByState } from './sockets/connections-by-state.js';
import { socketInodesOf } from './sockets/socket-inodes.js';
import { readTcpTable, TCP_STATES, type TcpTable } from './sockets/tcp-table.js';
import { emptyProcStat, parseCommand, parseProcStat } from './stat-parser.js';

/** Not counted: the metric is off, or the fd directory could not be opened (see `fdFailure`). */
const FD_NOT_COUNTED = -2;
/** The kernel does not report counts as the directory size: count entries instead. */
const FD_BY_READDIR = -1;
/**
 * A process's socket inodes are read again (a readdir and a readlink per descriptor of
 * /proc/PID/fd) when its descriptor count changes, and at the latest once in this many
 * scrapes: the bound on how long a socket swapped for another descriptor, the count
 * unchanged, goes unseen.
 */
export const SOCKETS_REREAD_EVERY_SCRAPES = 10;
/** /proc/PID/io not opened: the metric is off, or it could not be opened (see `ioFailure`). */
const IO_NOT_READ = -1;

/** What the backend reads beyond the default set of /proc/PID/stat. */
export interface ProcfsReads {
  readonly fileDescriptors: boolean;
  readonly diskIo?: boolean;
  readonly connections?: boolean;
  readonly commandLine?: boolean;
  readonly procRoot?: string;
  /** Process selection's cache: told what each read shows, and asked for a command line it has read already. */
  readonly observed?: ObservedProcesses;
}

/**
 * The socket inodes of a process as last read, and the descriptor count and round they were
 * read at. Once joined to a TCP table, only the TCP sockets are kept: a Unix or UDP socket's
 * inode is never a TCP one, so a process holding only those needs no table until its links
 * are read again.
 */
interface KnownSockets {
  inodes: readonly number[];
  readonly fdCount: number;
  readonly round: number;
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
  /** Where connections are counted and the descriptor count is the fd directory's size. */
  sockets: KnownSockets | undefined;
  /** The read round that last asked for this PID; older handles are closed. */
  round: number;
  /** This PID's sample, filled again by each read (see `ProcessBackend.read`): 200 processes a second are 200 objects fewer to collect. */
  sample: Mutable<ProcessSample> | undefined;
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

/**
 * Reads `/proc/PID/stat` through a file descriptor kept open per PID (one pread per scrape,
 * no path lookup), plus, when asked, one fstat of `/proc/PID/fd` for the fd count, one
 * pread of a kept `/proc/PID/io` for disk I/O and the socket inodes of `/proc/PID/fd`
 * joined to one parse of the TCP tables per scrape. The socket inodes are kept and read
 * again when the descriptor count changes (or every `SOCKETS_REREAD_EVERY_SCRAPES`), and
 * the TCP tables are read only in a scrape where some watched process holds a socket. A kept descriptor belongs to the
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
  /** The TCP tables of this round, read at the first process holding a socket. */
  private table: { readonly round: number; readonly value: TcpTable | PartialReadFailure } | undefined;
  private closed = false;

  constructor(private readonly options: ProcfsReads) {
    this.procRoot = options.procRoot ?? '/proc';
  }

  async read(pids: readonly number[]): Promise<readonly SampleResult[]> {
    const constants = this.constants ?? (await this.loadConstants());
    if (this.closed) return [];
    const round = ++this.round;
    const results: SampleResult[] = new Array<SampleResult>(pids.length);
    for (let i = 0; i < pids.length; i++) results[i] = this.readPid(pids[i]!, round, constants);
    this.releaseUnused(round);
    this.table = undefined;
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

  /** One parse of the TCP tables for every process of the scrape; a failure marks the connections of each process holding sockets unreadable. */
  private tableOfRound(): TcpTable | PartialReadFailure {
    if (this.table?.round !== this.round) {
      let value: TcpTable | PartialReadFailure;
      try {
        value = readTcpTable(this.procRoot);
      } catch (error) {
        value = partialFailure(PROCESS_METRICS.networkConnectionCount.name, error);
      }
      this.table = { round: this.round, value };
    }
    return this.table.value;
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
        this.options.observed?.gone(pid);
        return readFailure(pid, error);
      }
    }
    handle.round = round;
    return this.sample(handle, length, constants);
  }

  private sample(handle: PidHandle, length: number, constants: ProcfsConstants): SampleResult {
    const stat = this.stat;
    if (!parseProcStat(this.buffer, length, stat)) return { ok: false, pid: handle.pid, errorType: 'other', code: 'EBADSTAT' };
    const observed = this.options.observed;
    // A zombie has exited and only waits for its parent: for health, the process is gone.
    if (stat.state === 'Z' || stat.state === 'X') {
      observed?.gone(handle.pid);
      return { ok: false, pid: handle.pid, errorType: 'not_found', code: 'EZOMBIE' };
    }
    if (observed !== undefined || handle.executableName === undefined) {
      const comm = parseCommand(this.buffer, length);
      // Selection keeps what it found of this PID without reading it again: a reused PID or an exec shows here first.
      observed?.observe(handle.pid, stat.startTicks, comm ?? '');
      handle.executableName ??= comm;
    }
    // Reused: most samples have no failure, and this runs per process per scrape; copied when one has.
    const failures = this.failures;
    failures.length = 0;
    const tick = constants.clockTicks;
    const cpuUser = stat.utimeTicks / tick;
    const cpuSystem = stat.stimeTicks / tick;
    const io = this.readIo(handle, failures);
    const fdCount = this.countFds(handle, failures);
    const creationTime = constants.bootTime + (stat.startTicks * 1000) / tick;
    const memoryRss = stat.rssPages * constants.pageSize;
    const fileDescriptors = this.options.fileDescriptors ? fdCount : undefined;
    const connections = this.countConnections(handle, fdCount, failures);
    const commandLine = this.commandLineOf(handle, stat.startTicks, failures);
    const partialFailures = failures.length === 0 ? undefined : failures.slice();
    const sample = handle.sample;
    if (sample === undefined) {
      handle.sample = {
        ok: true,
        pid: handle.pid,
        creationTime,
        executableName: handle.executableName,
        owner: handle.owner,
        cpuUser,
        cpuSystem,
        cpuTotal: cpuUser + cpuSystem,
        memoryRss,
        memoryVirtual: stat.vsizeBytes,
        threads: stat.threads,
        fileDescriptors,
        diskRead: io?.readBytes,
        diskWrite: io?.writeBytes,
        connections,
        commandLine,
        partialFailures,
      };
      return handle.sample;
    }
    // The same fields in the same order as above, so the object keeps its shape.
    sample.creationTime = creationTime;
    sample.executableName = handle.executableName;
    sample.cpuUser = cpuUser;
    sample.cpuSystem = cpuSystem;
    sample.cpuTotal = cpuUser + cpuSystem;
    sample.memoryRss = memoryRss;
    sample.memoryVirtual = stat.vsizeBytes;
    sample.threads = stat.threads;
    sample.fileDescriptors = fileDescriptors;
    sample.diskRead = io?.readBytes;
    sample.diskWrite = io?.writeBytes;
    sample.connections = connections;
    sample.commandLine = commandLine;
    sample.partialFailures = partialFailures;
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
      sockets: undefined,
      round: this.round,
      sample: undefined,
    };
    this.handles.set(pid, handle);
    return handle;
  }

  /**
   * A kept descriptor of /proc/PID/fd where its size is the count (Linux ≥ 6.2), else how to
   * count. Kept for connections too: a change of the count is what makes the socket inodes
   * be read again. Where the count is read by readdir, connections read the inodes on every scrape.
   */
  private fdSource(pid: number, constants: ProcfsConstants): { fd: number; failure?: PartialReadFailure } {
    const counted = this.options.fileDescriptors;
    if (!counted && this.options.connections !== true) return { fd: FD_NOT_COUNTED };
    if (!constants.fdCountFromDirSize) return { fd: counted ? FD_BY_READDIR : FD_NOT_COUNTED };
    try {
      return { fd: openSync(`${this.procRoot}/${pid}/fd`, 'r') };
    } catch (error) {
      // Connections then fail on their own read of the directory, with their own metric.
      return { fd: FD_NOT_COUNTED, failure: counted ? partialFailure(PROCESS_METRICS.fileDescriptorCount.name, error) : undefined };
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

  /** Open file descriptors (the fd directory's size, also kept for connections alone), or undefined when not counted or unreadable. */
  private countFds(handle: PidHandle, failures: PartialReadFailure[]): number | undefined {
    if (handle.fdFailure !== undefined) {
      failures.push(handle.fdFailure);
      return undefined;
    }
    try {
      if (handle.fdDirFd >= 0) return fstatSync(handle.fdDirFd).size;
      if (handle.fdDirFd === FD_BY_READDIR) return readdirSync(`${this.procRoot}/${handle.pid}/fd`).length;
    } catch (error) {
      // Kept for connections alone, the directory's failure is theirs to report (on their own read of it).
      if (this.options.fileDescriptors) failures.push(partialFailure(PROCESS_METRICS.fileDescriptorCount.name, error));
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

  /** TCP sockets by state; all zero without reading the tables when the process holds no socket. */
  private countConnections(handle: PidHandle, fdCount: number | undefined, failures: PartialReadFailure[]): number[] | undefined {
    if (this.options.connections !== true) return undefined;
    const sockets = this.socketsOf(handle, fdCount);
    if ('metric' in sockets) {
      failures.push(sockets);
      return undefined;
    }
    if (sockets.inodes.length === 0) return new Array<number>(TCP_STATES.length).fill(0);
    const table = this.tableOfRound();
    if (!(table instanceof Map)) {
      failures.push(table);
      return undefined;
    }
    // A socket not in the table is not TCP (or not yet connected: seen when the links are read again).
    if (sockets.inodes.some((inode) => !table.has(inode))) sockets.inodes = sockets.inodes.filter((inode) => table.has(inode));
    return countByState(sockets.inodes, table);
  }

  /** The kept sockets while the descriptor count stands and they are young enough; else read from /proc/PID/fd. */
  private socketsOf(handle: PidHandle, fdCount: number | undefined): KnownSockets | PartialReadFailure {
    const known = handle.sockets;
    const cacheable = handle.fdDirFd >= 0 && fdCount !== undefined;
    if (cacheable && known !== undefined && known.fdCount === fdCount && this.round - known.round < SOCKETS_REREAD_EVERY_SCRAPES) return known;
    const read = socketInodesOf(handle.pid, this.procRoot);
    if (!read.ok) {
      handle.sockets = undefined;
      return { metric: PROCESS_METRICS.networkConnectionCount.name, errorType: read.errorType, code: read.code };
    }
    const sockets: KnownSockets = { inodes: read.inodes, fdCount: fdCount ?? -1, round: this.round };
    handle.sockets = cacheable ? sockets : undefined;
    return sockets;
  }

  /** Read on the first scrape of a process only: its arguments are fixed at exec. Selection's copy is taken when it has one. */
  private commandLineOf(handle: PidHandle, startTicks: number, failures: PartialReadFailure[]): string | undefined {
    if (this.options.commandLine !== true) return undefined;
    if (handle.commandLine === undefined) {
      const known = this.options.observed?.knownCommandLine(handle.pid, startTicks);
      if (known !== undefined) handle.commandLine = known === '' ? null : known;
    }
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

import { emptyProcStat, parseCommand, parseProcStat } from '../stat-parser.js';
import { nodeProcFiles, type ProcFiles } from './proc-files.js';

/**
 * Command lines longer than this are cut: a Java class path runs to tens of KiB and the main
 * class comes last, so the bound is generous; what is past it cannot match.
 */
export const COMMAND_LINE_LIMIT = 64 * 1024;

/**
 * The stat files kept open between scans, at most: a pread of a kept descriptor costs a
 * third of an open, read and close. Processes beyond the bound are read the long way.
 */
export const MAX_KEPT_STAT_FILES = 4_096;

/**
 * What selection knows of one process. `comm` and the start time come from the scan's stat
 * read; the command line, argv[0] and the executable are read the first time a selector asks,
 * then kept for as long as this process lives.
 */
export class ProcEntry {
  private commandLineText: string | undefined;
  private argv0Name: string | undefined;
  private executableName: string | null | undefined;

  constructor(
    readonly pid: number,
    readonly startTicks: number,
    /** The kernel's name of the process, at most 15 bytes; changes on exec. */
    readonly comm: string,
    private readonly scanner: ProcScanner,
  ) {}

  /** The arguments joined by spaces, as `pgrep -f` matches them; '' for a kernel thread. */
  commandLine(): string {
    if (this.commandLineText === undefined) {
      const argv = this.scanner.readCommandLine(this.pid);
      this.commandLineText = argv.join(' ');
      this.argv0Name = baseName(argv[0] ?? '');
    }
    return this.commandLineText;
  }

  /** The base name of argv[0]. */
  argv0(): string {
    this.commandLine();
    return this.argv0Name ?? '';
  }

  /** The base name of the executable (/proc/PID/exe); undefined where it may not be read (another user's process). */
  executable(): string | undefined {
    if (this.executableName === undefined) this.executableName = this.scanner.readExecutable(this.pid) ?? null;
    return this.executableName ?? undefined;
  }
}

function baseName(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}

/** One readdir of /proc: the live processes, and which of them were not there at the previous scan. */
export interface ProcScan {
  readonly processes: readonly ProcEntry[];
  /** Processes first seen at this scan (a new PID, or a known PID with a new start time or a new comm). */
  readonly fresh: ReadonlySet<ProcEntry>;
}

/**
 * Scans /proc once per scrape for the selectors that search every process. Per PID it reads
 * `stat` (one small read: the comm and the start time); everything else is read once per
 * process and kept, keyed by PID + start time + comm: a new start time is a reused PID, a new
 * comm an exec, and either is a new entry. An entry leaves with its PID, so the cache never
 * holds more than the processes alive at the last scan.
 */
export class ProcScanner {
  private entries = new Map<number, ProcEntry>();
  /**
   * PID → a descriptor of its stat file. It belongs to the process it was opened for: once
   * that process has ended, reads fail even if the PID is reused, and it is opened again.
   */
  private statFiles = new Map<number, number>();
  private readonly statBuffer = Buffer.allocUnsafe(4096);
  private readonly stat = emptyProcStat();
  private commandLineBuffer: Buffer | undefined;

  constructor(
    private readonly procRoot = '/proc',
    private readonly files: ProcFiles = nodeProcFiles,
  ) {}

  /** Throws when /proc itself cannot be listed: no selector can match then. */
  scan(): ProcScan {
    const previous = this.entries;
    const previousFiles = this.statFiles;
    const entries = new Map<number, ProcEntry>();
    const fresh = new Set<ProcEntry>();
    this.statFiles = new Map();
    try {
      for (const name of this.files.list(this.procRoot)) {
        const pid = pidOf(name);
        if (pid === undefined) continue;
        const known = previous.get(pid);
        const entry = this.readEntry(pid, known, previousFiles);
        if (entry === undefined) continue;
        if (entry !== known) fresh.add(entry);
        entries.set(pid, entry);
      }
    } finally {
      // Descriptors of processes that are gone (or were not reached) are released.
      for (const [pid, fd] of previousFiles) if (this.statFiles.get(pid) !== fd) this.files.close(fd);
    }
    this.entries = entries;
    return { processes: [...entries.values()], fresh };
  }

  close(): void {
    for (const fd of this.statFiles.values()) this.files.close(fd);
    this.statFiles.clear();
    this.entries.clear();
  }

  /** The stat line of `pid` into the buffer: through its kept descriptor, else opened (and kept, within the bound). */
  private readStat(pid: number, kept: Map<number, number>): number {
    const fd = kept.get(pid);
    if (fd !== undefined) {
      try {
        const length = this.files.readAt(fd, this.statBuffer);
        this.statFiles.set(pid, fd);
        return length;
      } catch {
        // The process it was opened for has ended; the PID may name another one now.
      }
    }
    const path = `${this.procRoot}/${pid}/stat`;
    if (this.statFiles.size >= MAX_KEPT_STAT_FILES) return this.files.read(path, this.statBuffer);
    const opened = this.files.open(path);
    let length: number;
    try {
      length = this.files.readAt(opened, this.statBuffer);
    } catch (error) {
      this.files.close(opened);
      throw error;
    }
    this.statFiles.set(pid, opened);
    return length;
  }

  /** Undefined when the process ended or became a zombie since the listing. */
  private readEntry(pid: number, known: ProcEntry | undefined, kept: Map<number, number>): ProcEntry | undefined {
    let length: number;
    try {
      length = this.readStat(pid, kept);
    } catch {
      return undefined;
    }
    if (!parseProcStat(this.statBuffer, length, this.stat)) return undefined;
    if (this.stat.state === 'Z' || this.stat.state === 'X') return undefined;
    const comm = parseCommand(this.statBuffer, length) ?? '';
    if (known !== undefined && known.startTicks === this.stat.startTicks && known.comm === comm) return known;
    return new ProcEntry(pid, this.stat.startTicks, comm, this);
  }

  /** argv of a process; [] when it cannot be read or is a kernel thread. */
  readCommandLine(pid: number): string[] {
    this.commandLineBuffer ??= Buffer.allocUnsafe(COMMAND_LINE_LIMIT);
    let length: number;
    try {
      length = this.files.read(`${this.procRoot}/${pid}/cmdline`, this.commandLineBuffer);
    } catch {
      return [];
    }
    if (length === 0) return [];
    // The arguments are NUL-terminated; a process that rewrote its title may leave one string.
    const text = this.commandLineBuffer.toString('utf8', 0, length);
    const argv = text.split('\u0000');
    if (argv[argv.length - 1] === '') argv.pop();
    return argv;
  }

  readExecutable(pid: number): string | undefined {
    try {
      // A deleted executable reads "/usr/bin/x (deleted)".
      return baseName(this.files.link(`${this.procRoot}/${pid}/exe`).replace(/ \(deleted\)$/, ''));
    } catch {
      return undefined;
    }
  }
}

function pidOf(name: string): number | undefined {
  const first = name.charCodeAt(0);
  if (first < 0x31 || first > 0x39) return undefined;
  const pid = Number(name);
  return Number.isSafeInteger(pid) ? pid : undefined;
}

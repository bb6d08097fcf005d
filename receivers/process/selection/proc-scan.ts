import { emptyProcStat, parseCommand, parseProcStat } from '../stat-parser.js';
import { nodeProcFiles, type ProcFiles } from './proc-files.js';

/**
 * Command lines longer than this are cut: a Java class path runs to tens of KiB and the main
 * class comes last, so the bound is generous; what is past it cannot match.
 */
export const COMMAND_LINE_LIMIT = 64 * 1024;

/**
 * What selection knows of one process. `comm` and the start time come from the scan's stat
 * read; the command line, argv[0] and the executable are read the first time a selector asks,
 * then kept for as long as this process lives.
 */
export class ProcEntry {
  private commandLineText: string | undefined;
  private argv0Name: string | undefined;
  private executableName: string | null | undefined;
  /** The scan whose match selected this process last, and the last scan after which a backend read it (`observe`). */
  matchedAt = 0;
  observedAt = 0;
  /** The latest scan that listed this process (the scanner's count after it). */
  seenAt = 0;

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

  /** A selector matched this process at the latest scan: unless a backend reads it before the next, that scan reads its stat again. */
  markMatched(): void {
    this.matchedAt = this.scanner.scans;
  }

  /** The command line if a selector has read it already; never reads. */
  commandLineIfRead(): string | undefined {
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
  /** The scanner's `generation` after this scan: equal in two scans, they found the same processes. */
  readonly generation: number;
  /** The scan's number (`scans` after it). */
  readonly scan: number;
}

const NONE_FRESH: ReadonlySet<ProcEntry> = new Set();

/**
 * A known PID's stat is read again once in this many scans (spread over the scans by PID):
 * the bound on how long a PID reused, or a process that exec'd another program, goes
 * unnoticed when no backend reads it (a watched process is checked on every scrape by the
 * backend's own read, through `observe`). A reuse needs the old process to end and the
 * kernel to hand its PID out again within one interval, so this is rare; the bound is what
 * it costs: one stat read per 30 known processes per scan.
 */
export const REVERIFY_EVERY_SCANS = 30;

/** What a backend that reads a process's stat anyway tells selection, so selection need not read it again. */
export interface ObservedProcesses {
  /** The process `pid` names now (start time in clock ticks, comm); a cached entry that differs is dropped and read anew at the next scan. */
  observe(pid: number, startTicks: number, comm: string): void;
  /** `pid` is gone (ended, a zombie): its cached entry is dropped. */
  gone(pid: number): void;
  /** The command line selection has already read for this process, if it has; '' for a kernel thread. */
  knownCommandLine(pid: number, startTicks: number): string | undefined;
}

/**
 * Scans /proc once per scrape for the selectors that search every process: one readdir.
 * A PID seen for the first time has its `stat` read once (the comm and the start time);
 * everything else is read once per process, when a selector first asks, and kept, keyed by
 * PID + start time + comm: a new start time is a reused PID, a new comm an exec, and either
 * is a new entry. A known PID is not read on every scan: its entry stands until
 *  - it leaves the listing (a PID that disappears and reappears is read as new),
 *  - the backend, reading it for a watched process, sees another start time or comm (`observe`);
 *    a matched process no backend told about since (one that does not observe) is read at
 *    the next scan, as every process was before,
 *  - or its turn in the rotation comes: one scan in `REVERIFY_EVERY_SCANS`.
 * When the backend drops an entry the scraper scans again at once (`takeDropped`), so
 * a watched PID reused by another program, or an exec, is matched anew within the scrape.
 * An entry leaves with its PID, so the cache never holds more than the processes alive at
 * the last scan.
 */
export class ProcScanner implements ObservedProcesses {
  /** Updated in place: a scan that finds what the last one found allocates nothing but the listing. */
  private readonly entries = new Map<number, ProcEntry>();
  /** How many scans so far: the number of the latest. */
  scans = 0;
  /**
   * Counts the changes of the set of entries (one came, went or was replaced): a scan whose
   * generation is the previous one's found the same processes, so a match over it finds
   * the same PIDs (see `ProcessMatcher`).
   */
  generation = 0;
  /** An entry was dropped since the last scan (the backend saw it end or change): the scan's matches may be wrong. */
  private dropped = false;
  private readonly statBuffer = Buffer.allocUnsafe(4096);
  private readonly stat = emptyProcStat();
  private commandLineBuffer: Buffer | undefined;
  /** The entries as a list, made again only when the generation changes. */
  private listed: { readonly generation: number; readonly processes: readonly ProcEntry[] } | undefined;

  constructor(
    private readonly procRoot = '/proc',
    private readonly files: ProcFiles = nodeProcFiles,
  ) {}

  /** Throws when /proc itself cannot be listed: no selector can match then. */
  scan(): ProcScan {
    const entries = this.entries;
    let fresh: Set<ProcEntry> | undefined;
    const last = this.scans++;
    const turn = last % REVERIFY_EVERY_SCANS;
    this.dropped = false;
    let seen = 0;
    for (const name of this.files.list(this.procRoot)) {
      const pid = pidOf(name);
      if (pid === undefined) continue;
      const known = entries.get(pid);
      const trusted = known !== undefined && pid % REVERIFY_EVERY_SCANS !== turn && (known.matchedAt !== last || known.observedAt === last);
      const entry = trusted ? known : this.readEntry(pid, known);
      if (entry === undefined) {
        if (known !== undefined) this.remove(pid);
        continue;
      }
      if (entry !== known) {
        (fresh ??= new Set()).add(entry);
        entries.set(pid, entry);
        this.generation++;
      }
      entry.seenAt = this.scans;
      seen++;
    }
    // What the listing no longer holds has left.
    if (seen !== entries.size) for (const [pid, entry] of entries) if (entry.seenAt !== this.scans) this.remove(pid);
    if (this.listed?.generation !== this.generation) this.listed = { generation: this.generation, processes: [...entries.values()] };
    return { processes: this.listed.processes, fresh: fresh ?? NONE_FRESH, generation: this.generation, scan: this.scans };
  }

  observe(pid: number, startTicks: number, comm: string): void {
    const known = this.entries.get(pid);
    if (known === undefined) return;
    if (known.startTicks !== startTicks || known.comm !== comm) this.gone(pid);
    else known.observedAt = this.scans;
  }

  gone(pid: number): void {
    if (this.remove(pid)) this.dropped = true;
  }

  /** Whether `entry` is the scanner's entry of its PID now (not gone, not replaced by a reused PID or an exec). */
  holds(entry: ProcEntry): boolean {
    return this.entries.get(entry.pid) === entry;
  }

  private remove(pid: number): boolean {
    if (!this.entries.delete(pid)) return false;
    this.generation++;
    return true;
  }

  /** Whether the backend has dropped an entry since the last scan (then that scan's matches are to be found again); asking clears it. */
  takeDropped(): boolean {
    const dropped = this.dropped;
    this.dropped = false;
    return dropped;
  }

  knownCommandLine(pid: number, startTicks: number): string | undefined {
    const known = this.entries.get(pid);
    return known !== undefined && known.startTicks === startTicks ? known.commandLineIfRead() : undefined;
  }

  close(): void {
    this.entries.clear();
    this.listed = undefined;
    this.generation++;
  }

  /** Undefined when the process ended or became a zombie since the listing. */
  private readEntry(pid: number, known: ProcEntry | undefined): ProcEntry | undefined {
    let length: number;
    try {
      length = this.files.read(`${this.procRoot}/${pid}/stat`, this.statBuffer);
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

import { readFailure, type ReadFailure } from '../backend.js';
import { COMM_LENGTH } from '../config.js';
import { isMatching, type MatchingSelector, type ProcessTarget } from '../targets.js';
import { socketInodesOf } from '../sockets/socket-inodes.js';
import { readTcpTable } from '../sockets/tcp-table.js';
import { CgroupProcesses } from './cgroups.js';
import { PortHolders, type SocketReaders } from './port-holders.js';
import type { ProcFiles } from './proc-files.js';
import { ProcScanner, type ObservedProcesses, type ProcEntry, type ProcScan } from './proc-scan.js';

/** The PIDs a matching target selects now (ascending), or why they could not be found. */
export type MatchResult = readonly number[] | ReadFailure;

export interface MatcherOptions {
  readonly procRoot?: string;
  /** The cgroup v2 mount; found at start when absent. */
  readonly cgroupRoot?: string;
  readonly files?: ProcFiles;
  /** The TCP table and socket inode readers (those of `../sockets/` unless a test injects others). */
  readonly sockets?: SocketReaders;
  /** The pipeline's own PID, left out of matches by `exclude_self`. */
  readonly selfPid?: number;
}

/** The name a process runs under: its comm, or for a name longer than comm holds, argv[0] or the executable. */
export function executableMatches(entry: ProcEntry, name: string): boolean {
  if (entry.comm === name) return true;
  if (name.length <= COMM_LENGTH || entry.comm !== name.slice(0, COMM_LENGTH)) return false;
  return entry.argv0() === name || entry.executable() === name;
}

/**
 * Finds the processes of every matching target (executable, command line, port, cgroup,
 * unit) in one pass per scrape: one scan of /proc shared by all targets that search
 * processes, one read of the TCP tables for all `port` targets, and the cgroup's own list of
 * processes for `cgroup` and `unit`. Per-process facts are cached by the scanner, and a
 * known process's stat is not read on every scan (see `ProcScanner`).
 */
export class ProcessMatcher {
  private readonly scanner: ProcScanner;
  private cgroups: CgroupProcesses | undefined;
  private ports: PortHolders | undefined;
  /** By target key: what an executable or command_line target matched at a scan generation (see `ProcScanner.generation`). */
  private readonly searched = new Map<string, SearchedMatch>();
  /** Kept between calls: the scraper asks once a scrape. */
  private readonly results = new Map<ProcessTarget, MatchResult>();
  private readonly current = new Set<string>();

  constructor(private readonly options: MatcherOptions = {}) {
    this.scanner = new ProcScanner(options.procRoot, options.files);
  }

  /** The PIDs of every matching target; the map is reused by the next call, and a result array may be the same one as the previous call's. */
  match(targets: readonly ProcessTarget[]): ReadonlyMap<ProcessTarget, MatchResult> {
    const results = this.results;
    results.clear();
    const matching = targets.filter((target) => isMatching(target.selector));
    if (matching.length === 0) {
      this.searched.clear();
      return results;
    }
    const scan = this.scanIfNeeded(matching);
    const byPort = this.portsIfNeeded(matching, scan);
    const units = new Set<string>();
    const current = this.current;
    current.clear();
    for (const target of matching) {
      const selector = target.selector as MatchingSelector;
      if (selector.kind === 'unit') units.add(selector.unit);
      if (selector.kind === 'executable' || selector.kind === 'command_line') current.add(target.key);
      results.set(target, this.search(target, scan, byPort));
    }
    if (this.searched.size > current.size) for (const key of this.searched.keys()) if (!current.has(key)) this.searched.delete(key);
    this.cgroups?.retainUnits(units);
    return results;
  }

  /**
   * An executable or command_line target matched at the previous scan needs no test of every
   * process: over a scan that found the same processes (same generation) its PIDs are those
   * of then; otherwise those of then that are still listed, plus the scan's fresh processes
   * that match. Either way they are marked matched again for the scanner.
   */
  private search(target: ProcessTarget, scan: ProcScan | ReadFailure | undefined, byPort: Map<number, number[]> | ReadFailure | undefined): MatchResult {
    const selector = target.selector as MatchingSelector;
    if ((selector.kind !== 'executable' && selector.kind !== 'command_line') || scan === undefined || 'ok' in scan) {
      const found = this.find(selector, scan, byPort);
      return Array.isArray(found) ? this.finish(found, target) : found;
    }
    const known = this.searched.get(target.key);
    let entries: ProcEntry[];
    if (known !== undefined && known.selector === selector && known.scan === scan.scan - 1) {
      let kept = 0;
      for (const entry of known.entries) if (this.scanner.holds(entry)) kept++;
      let added: ProcEntry[] | undefined;
      for (const entry of scan.fresh) if (selects(selector, entry)) (added ??= []).push(entry);
      if (kept === known.entries.length && added === undefined) {
        for (const entry of known.entries) entry.markMatched();
        known.scan = scan.scan;
        known.generation = scan.generation;
        return known.pids;
      }
      entries = kept === known.entries.length ? known.entries.slice() : known.entries.filter((entry) => this.scanner.holds(entry));
      if (added !== undefined) entries.push(...added);
    } else {
      entries = scan.processes.filter((entry) => selects(selector, entry));
    }
    for (const entry of entries) entry.markMatched();
    const pids = this.finish(
      entries.map((entry) => entry.pid),
      target,
    );
    const same = known !== undefined && known.pids.length === pids.length && known.pids.every((pid, i) => pid === pids[i]);
    this.searched.set(target.key, { scan: scan.scan, generation: scan.generation, selector, pids: same ? known.pids : pids, entries });
    return same ? known.pids : pids;
  }

  private find(selector: MatchingSelector, scan: ProcScan | ReadFailure | undefined, byPort: Map<number, number[]> | ReadFailure | undefined): MatchResult {
    switch (selector.kind) {
      case 'executable':
      case 'command_line': {
        if (scan === undefined || 'ok' in scan) return scan ?? failure('ENOSCAN');
        const pids: number[] = [];
        for (const entry of scan.processes) if (selects(selector, entry)) matched(entry, pids);
        return pids;
      }
      case 'port':
        if (byPort === undefined || !(byPort instanceof Map)) return byPort ?? failure('ENOSCAN');
        return byPort.get(selector.port) ?? [];
      case 'cgroup':
        return this.cgroupsOf().processesIn(selector.path);
      case 'unit':
        return this.cgroupsOf().processesOfUnit(selector.unit);
    }
  }

  /** Whether the backend has seen a process of the last match end or change since: then match again. */
  stale(): boolean {
    return this.scanner.takeDropped();
  }

  /** For the backend: what it reads of a process keeps selection's cached facts true (see `ProcScanner`). */
  get observed(): ObservedProcesses {
    return this.scanner;
  }

  /** Forgets what the scanner keeps. */
  close(): void {
    this.scanner.close();
  }

  private scanIfNeeded(targets: readonly ProcessTarget[]): ProcScan | ReadFailure | undefined {
    const kinds = new Set(targets.map((target) => target.selector.kind));
    if (!kinds.has('executable') && !kinds.has('command_line') && !kinds.has('port')) return undefined;
    try {
      return this.scanner.scan();
    } catch (error) {
      return readFailure(undefined, error);
    }
  }

  private portsIfNeeded(targets: readonly ProcessTarget[], scan: ProcScan | ReadFailure | undefined): Map<number, number[]> | ReadFailure | undefined {
    const ports = new Set<number>();
    for (const target of targets) if (target.selector.kind === 'port') ports.add(target.selector.port);
    if (ports.size === 0 || scan === undefined) return undefined;
    if ('ok' in scan) return scan;
    this.ports ??= new PortHolders(this.options.sockets ?? { readTcpTable, socketInodesOf }, this.options.procRoot);
    try {
      return this.ports.find(ports, scan);
    } catch (error) {
      return readFailure(undefined, error);
    }
  }

  private cgroupsOf(): CgroupProcesses {
    this.cgroups ??= new CgroupProcesses(this.options.cgroupRoot, this.options.files);
    return this.cgroups;
  }

  private finish(pids: number[], target: ProcessTarget): number[] {
    const self = this.options.selfPid ?? process.pid;
    const kept = target.excludeSelf ? pids.filter((pid) => pid !== self) : pids;
    return [...new Set(kept)].sort((a, b) => a - b);
  }
}

/** What an executable or command_line target matched, and over which scan generation. */
interface SearchedMatch {
  /** The scan it was found at, and that scan's generation. */
  scan: number;
  generation: number;
  readonly selector: MatchingSelector;
  readonly pids: readonly number[];
  readonly entries: readonly ProcEntry[];
}

function selects(selector: Extract<MatchingSelector, { kind: 'executable' | 'command_line' }>, entry: ProcEntry): boolean {
  return selector.kind === 'executable' ? executableMatches(entry, selector.name) : selector.pattern.test(entry.commandLine());
}

function matched(entry: ProcEntry, into: number[]): void {
  entry.markMatched();
  into.push(entry.pid);
}

function failure(code: string): ReadFailure {
  return { ok: false, pid: undefined, errorType: 'other', code };
}

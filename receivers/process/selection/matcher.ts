import { readFailure, type ReadFailure } from '../backend.js';
import { COMM_LENGTH } from '../config.js';
import { isMatching, type MatchingSelector, type ProcessTarget } from '../targets.js';
import { socketInodesOf } from '../sockets/socket-inodes.js';
import { readTcpTable } from '../sockets/tcp-table.js';
import { CgroupProcesses } from './cgroups.js';
import { PortHolders, type SocketReaders } from './port-holders.js';
import type { ProcFiles } from './proc-files.js';
import { ProcScanner, type ProcEntry, type ProcScan } from './proc-scan.js';

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
 * processes for `cgroup` and `unit`. Per-process facts are cached by the scanner.
 */
export class ProcessMatcher {
  private readonly scanner: ProcScanner;
  private cgroups: CgroupProcesses | undefined;
  private ports: PortHolders | undefined;

  constructor(private readonly options: MatcherOptions = {}) {
    this.scanner = new ProcScanner(options.procRoot, options.files);
  }

  match(targets: readonly ProcessTarget[]): Map<ProcessTarget, MatchResult> {
    const matching = targets.filter((target) => isMatching(target.selector));
    const results = new Map<ProcessTarget, MatchResult>();
    if (matching.length === 0) return results;
    const scan = this.scanIfNeeded(matching);
    const byPort = this.portsIfNeeded(matching, scan);
    const units = new Set<string>();
    for (const target of matching) {
      const selector = target.selector as MatchingSelector;
      if (selector.kind === 'unit') units.add(selector.unit);
      const found = this.find(selector, scan, byPort);
      results.set(target, Array.isArray(found) ? this.finish(found, target) : found);
    }
    this.cgroups?.retainUnits(units);
    return results;
  }

  private find(selector: MatchingSelector, scan: ProcScan | ReadFailure | undefined, byPort: Map<number, number[]> | ReadFailure | undefined): MatchResult {
    switch (selector.kind) {
      case 'executable':
      case 'command_line': {
        if (scan === undefined || 'ok' in scan) return scan ?? failure('ENOSCAN');
        const pids: number[] = [];
        if (selector.kind === 'executable') {
          for (const entry of scan.processes) if (executableMatches(entry, selector.name)) pids.push(entry.pid);
        } else {
          for (const entry of scan.processes) if (selector.pattern.test(entry.commandLine())) pids.push(entry.pid);
        }
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

  /** Releases the descriptors the scanner keeps. */
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

function failure(code: string): ReadFailure {
  return { ok: false, pid: undefined, errorType: 'other', code };
}

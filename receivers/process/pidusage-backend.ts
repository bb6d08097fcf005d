import { execFile } from 'node:child_process';
import pidusage from 'pidusage';
import { readFailure, type ProcessBackend, type ReadFailure, type SampleResult } from './backend.js';

/** pidusage keeps a PID's handles this long after the last read; at least two intervals keeps them warm. */
const MIN_HISTORY_MS = 60_000;

/**
 * pidusage keeps one history for the whole module, and `pidusage.clear()` empties all of it:
 * it runs only when the last open backend closes, so it never wipes the history of another.
 */
let openBackends = 0;

/**
 * Where pidusage reads /proc (Linux, Android, NetBSD) each history entry holds an open
 * descriptor that pidusage closes when the entry expires, but `clear()` (4.1) drops entries
 * without closing them. There the history is left to expire, within `maxage`, which releases both.
 */
function historyHoldsDescriptors(): boolean {
  return process.platform === 'linux' || process.platform === 'android' || process.platform === 'netbsd';
}

function releaseHistory(): void {
  openBackends -= 1;
  if (openBackends === 0 && !historyHoldsDescriptors()) pidusage.clear();
}

/** Who runs a process and what it is, asked once per process (pidusage reports neither). */
interface ProcessIdentity {
  readonly executableName: string | undefined;
  readonly owner: string | undefined;
}

interface KnownProcess extends ProcessIdentity {
  readonly creationTime: number;
}

function identityFromPs(pid: number): Promise<ProcessIdentity> {
  if (process.platform === 'win32') return Promise.resolve({ executableName: undefined, owner: undefined });
  return new Promise((resolve) => {
    execFile('ps', ['-o', 'user=', '-o', 'comm=', '-p', String(pid)], { timeout: 2000 }, (error, stdout) => {
      const match = error === null ? /^\s*(\S+)\s+(.+?)\s*$/.exec(String(stdout)) : null;
      if (match === null) return resolve({ executableName: undefined, owner: undefined });
      // macOS prints the full path of the executable; the name is its last part.
      const command = match[2]!;
      resolve({ executableName: command.slice(command.lastIndexOf('/') + 1), owner: match[1] });
    });
  });
}

/** pidusage reports a missing PID without a reason: signal 0 tells gone from forbidden. */
function whyUnreadable(pid: number): ReadFailure {
  try {
    process.kill(pid, 0);
    return { ok: false, pid, errorType: 'other', code: 'EUNREADABLE' };
  } catch (error) {
    return readFailure(pid, error);
  }
}

/**
 * The portable backend: pidusage on macOS, Windows and the BSDs. It knows the total CPU
 * time (no user/system split), RSS and the elapsed time; threads, virtual memory, file
 * descriptors, disk I/O, TCP connections and the command line are not reported, so those
 * metrics (and the attribute) stay absent even when switched on. Creation times are derived from the elapsed time and so
 * compared with a tolerance.
 */
export class PidusageBackend implements ProcessBackend {
  readonly creationToleranceMs = 2000;
  private readonly identities = new Map<number, KnownProcess>();
  private closed = false;

  constructor(
    private readonly now: () => number,
    private readonly intervalMs: number,
  ) {
    openBackends += 1;
  }

  async read(pids: readonly number[]): Promise<readonly SampleResult[]> {
    if (pids.length === 0 || this.closed) return [];
    const maxage = Math.max(MIN_HISTORY_MS, 2 * this.intervalMs);
    // With several PIDs pidusage reports an unreadable one as null; with one PID it rejects.
    const stats: Record<string, pidusage.Status | null | undefined> = await pidusage([...pids], { maxage }).catch(() => ({}));
    const now = this.now();
    const identities = await Promise.all(
      pids.map((pid) => {
        const stat = stats[pid];
        return stat == null ? undefined : this.identity(pid, now - stat.elapsed);
      }),
    );
    this.forgetOthers(pids);
    if (this.closed) return [];
    return pids.map((pid, index): SampleResult => {
      const stat = stats[pid];
      const identity = identities[index];
      if (stat == null || identity === undefined) return whyUnreadable(pid);
      return {
        ok: true,
        pid,
        creationTime: identity.creationTime,
        executableName: identity.executableName,
        owner: identity.owner,
        cpuUser: undefined,
        cpuSystem: undefined,
        cpuTotal: stat.ctime / 1000,
        memoryRss: stat.memory,
        memoryVirtual: undefined,
        threads: undefined,
        fileDescriptors: undefined,
      };
    });
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.identities.clear();
    releaseHistory();
  }

  /**
   * The identity of the process now holding `pid`. The creation time is kept from the first
   * read, so it does not jitter with the elapsed time; a jump beyond the tolerance is a new process.
   */
  private async identity(pid: number, creationTime: number): Promise<KnownProcess> {
    const known = this.identities.get(pid);
    if (known !== undefined && Math.abs(known.creationTime - creationTime) <= this.creationToleranceMs) return known;
    const identity = { ...(await identityFromPs(pid)), creationTime: Math.round(creationTime) };
    this.identities.set(pid, identity);
    return identity;
  }

  private forgetOthers(pids: readonly number[]): void {
    const wanted = new Set(pids);
    for (const pid of this.identities.keys()) if (!wanted.has(pid)) this.identities.delete(pid);
  }
}

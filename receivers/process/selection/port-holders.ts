import type { ReadFailure } from '../backend.js';
import type { ProcEntry, ProcScan } from './proc-scan.js';

/** What the port selector needs of the socket readers in `../sockets/` (one parse of the TCP tables per scrape). */
export interface SocketReaders {
  readTcpTable(procRoot?: string): ReadonlyMap<number, { readonly state: string; readonly localPort: number }>;
  socketInodesOf(pid: number, procRoot?: string): { readonly ok: true; readonly inodes: readonly number[] } | ReadFailure;
}

/**
 * Which processes hold the listening TCP sockets (IPv4 and IPv6) of some ports: the TCP
 * tables give the inode of each listening socket, a process's /proc/PID/fd links give the
 * inodes it holds. Reading the links of every process is the expensive part, so it is done
 * once, when a listening socket appears whose holders are not known; after that, only
 * processes new since the last scan and the known holders are read again. (A process that
 * was running before and receives a listening socket later by descriptor passing is not
 * seen until the socket is opened anew; servers fork or open their sockets themselves.)
 */
export class PortHolders {
  /** Listening socket inode → the PIDs holding it at the last scrape. */
  private holders = new Map<number, Set<number>>();

  constructor(
    private readonly sockets: SocketReaders,
    private readonly procRoot = '/proc',
  ) {}

  /** Port → PIDs holding a socket listening on it, for every port asked for. */
  find(ports: ReadonlySet<number>, scan: ProcScan): Map<number, number[]> {
    const listening = new Map<number, number>();
    for (const [inode, socket] of this.sockets.readTcpTable(this.procRoot)) {
      if (socket.state === 'listen' && ports.has(socket.localPort)) listening.set(inode, socket.localPort);
    }
    let everyProcess = false;
    for (const inode of listening.keys()) if (!this.holders.has(inode)) everyProcess = true;
    const toRead: Iterable<ProcEntry> = everyProcess ? scan.processes : this.candidates(scan);
    const found = new Map<number, Set<number>>();
    for (const inode of listening.keys()) found.set(inode, new Set());
    if (listening.size > 0) {
      for (const entry of toRead) {
        const held = this.sockets.socketInodesOf(entry.pid, this.procRoot);
        if (!held.ok) continue;
        for (const inode of held.inodes) found.get(inode)?.add(entry.pid);
      }
    }
    // A socket whose holders were lost without a full read (handed to another process) is read for again next time;
    // one that a full read found no reader for (another user's process) is not, until a new socket appears.
    if (!everyProcess) for (const [inode, pids] of found) if (pids.size === 0) found.delete(inode);
    this.holders = found;
    const byPort = new Map<number, number[]>();
    for (const port of ports) byPort.set(port, []);
    for (const [inode, pids] of found) {
      const list = byPort.get(listening.get(inode)!);
      if (list === undefined) continue;
      for (const pid of pids) if (!list.includes(pid)) list.push(pid);
    }
    return byPort;
  }

  /** The processes that may hold a known socket now: its last holders, and every process new since. */
  private candidates(scan: ProcScan): ProcEntry[] {
    const holderPids = new Set<number>();
    for (const pids of this.holders.values()) for (const pid of pids) holderPids.add(pid);
    return scan.processes.filter((entry) => scan.fresh.has(entry) || holderPids.has(entry.pid));
  }
}

import { describe, expect, it } from 'vitest';
import { PortHolders, type SocketReaders } from '../../../../receivers/process/selection/port-holders.js';
import type { ProcEntry, ProcScan } from '../../../../receivers/process/selection/proc-scan.js';

/** Sockets by PID and a TCP table the test edits; counts whose fd links were read. */
function fakeSockets() {
  const table = new Map<number, { state: string; localPort: number }>();
  const held = new Map<number, number[]>();
  const read: number[] = [];
  const readers: SocketReaders = {
    readTcpTable: () => table,
    socketInodesOf: (pid) => {
      read.push(pid);
      return { ok: true, inodes: held.get(pid) ?? [] };
    },
  };
  return { table, held, read, readers };
}

function scanOf(pids: number[], fresh: number[]): ProcScan {
  const processes = pids.map((pid) => ({ pid }) as ProcEntry);
  return { processes, fresh: new Set(processes.filter((entry) => fresh.includes(entry.pid))), generation: 0, scan: 0 };
}

describe('PortHolders', () => {
  it('finds the holders of a listening socket (IPv4 or IPv6 alike) with one read of every process, then reads only new processes and known holders', () => {
    const sockets = fakeSockets();
    sockets.table.set(11, { state: 'listen', localPort: 8080 });
    sockets.table.set(12, { state: 'established', localPort: 8080 });
    sockets.table.set(13, { state: 'listen', localPort: 9090 });
    sockets.held.set(100, [11, 12]);
    sockets.held.set(101, [11]);
    sockets.held.set(102, [13]);
    const holders = new PortHolders(sockets.readers);

    expect(holders.find(new Set([8080]), scanOf([100, 101, 102, 103], [100, 101, 102, 103]))).toEqual(new Map([[8080, [100, 101]]]));
    expect(sockets.read).toEqual([100, 101, 102, 103]);

    // A forked worker inherits the socket: it is new, so it is read.
    sockets.read.length = 0;
    sockets.held.set(104, [11]);
    expect(holders.find(new Set([8080]), scanOf([100, 101, 102, 103, 104], [104]))).toEqual(new Map([[8080, [100, 101, 104]]]));
    expect(sockets.read).toEqual([100, 101, 104]);
  });

  it('reads every process again when a listening socket appears whose holder is not known, and finds nothing for a port nobody listens on', () => {
    const sockets = fakeSockets();
    const holders = new PortHolders(sockets.readers);
    expect(holders.find(new Set([8080]), scanOf([100, 101], [100, 101]))).toEqual(new Map([[8080, []]]));
    expect(sockets.read).toEqual([]);

    // An old process opens the port later: a new inode, so a full read.
    sockets.table.set(21, { state: 'listen', localPort: 8080 });
    sockets.held.set(100, [21]);
    expect(holders.find(new Set([8080]), scanOf([100, 101], []))).toEqual(new Map([[8080, [100]]]));
    expect(sockets.read).toEqual([100, 101]);
  });
});

import type { ReadFailure } from '../backend.js';
import { socketInodesOf } from './socket-inodes.js';
import { TCP_STATES, type TcpState, type TcpTable } from './tcp-table.js';

const STATE_INDEX = new Map<TcpState, number>(TCP_STATES.map((state, index) => [state, index]));

/**
 * The TCP sockets a process holds, counted by state in the order of `TCP_STATES`: its
 * socket inodes joined to the table parsed once for the whole scrape. Inodes not in the
 * table (UDP, Unix sockets, another network namespace) are not counted.
 */
export function connectionsByState(pid: number, table: TcpTable, procRoot = '/proc'): number[] | ReadFailure {
  const inodes = socketInodesOf(pid, procRoot);
  if (!inodes.ok) return inodes;
  const counts = new Array<number>(TCP_STATES.length).fill(0);
  for (const inode of inodes.inodes) {
    const socket = table.get(inode);
    if (socket !== undefined) counts[STATE_INDEX.get(socket.state)!]! += 1;
  }
  return counts;
}

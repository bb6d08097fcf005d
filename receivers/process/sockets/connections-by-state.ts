import { TCP_STATES, type TcpState, type TcpTable } from './tcp-table.js';

const STATE_INDEX = new Map<TcpState, number>(TCP_STATES.map((state, index) => [state, index]));

/**
 * The TCP sockets a process holds (its socket inodes, from /proc/PID/fd), counted by state
 * in the order of `TCP_STATES`: joined to the table parsed once for the whole scrape. Inodes
 * not in the table (UDP, Unix sockets, another network namespace) are not counted.
 */
export function countByState(inodes: readonly number[], table: TcpTable): number[] {
  const counts = new Array<number>(TCP_STATES.length).fill(0);
  for (const inode of inodes) {
    const socket = table.get(inode);
    if (socket !== undefined) counts[STATE_INDEX.get(socket.state)!]! += 1;
  }
  return counts;
}

import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { parseTcpTable, readTcpTable, type TcpTable } from '../../../../receivers/process/sockets/tcp-table.js';
import { socketInodesOf } from '../../../../receivers/process/sockets/socket-inodes.js';
import { startTcpHolder, type TcpHolder } from './tcp-holder.js';

const procFixture = fileURLToPath(new URL('../testdata/proc', import.meta.url));

describe('readTcpTable', () => {
  it('indexes the sockets of tcp and tcp6 by inode with their state, ports and family', () => {
    const table = readTcpTable(procFixture);
    expect(table.get(1001)).toEqual({ state: 'listen', localPort: 8080, remotePort: 0, family: 'ipv4' });
    expect(table.get(1002)).toEqual({ state: 'established', localPort: 8080, remotePort: 54321, family: 'ipv4' });
    expect(table.get(1004)).toEqual({ state: 'close_wait', localPort: 50000, remotePort: 80, family: 'ipv4' });
    expect(table.get(1005)).toEqual({ state: 'syn_sent', localPort: 50001, remotePort: 443, family: 'ipv4' });
    expect(table.get(2001)).toEqual({ state: 'listen', localPort: 22, remotePort: 0, family: 'ipv6' });
    expect(table.get(2002)).toEqual({ state: 'established', localPort: 22, remotePort: 57586, family: 'ipv6' });
  });

  it('counts a request socket not yet accepted (NEW_SYN_RECV) as syn_recv', () => {
    expect(readTcpTable(procFixture).get(2003)?.state).toBe('syn_recv');
  });

  it('leaves out sockets no process owns (inode 0, as in TIME_WAIT)', () => {
    const table = readTcpTable(procFixture);
    expect(table.has(0)).toBe(false);
    expect(table.size).toBe(8);
  });

  it('skips a truncated or malformed line and keeps the rest', () => {
    const text = Buffer.from(
      [
        'header',
        '   0: 0100007F:1F90 00000000:0000 0A 00000000:00000000 00:00000000 00000000  0 0 11 1',
        '   1: 0100007F:1F90 00000000:0000 0A 00000000:00000000',
        '   2: 0100007F:ZZZZ 00000000:0000 0A 00000000:00000000 00:00000000 00000000  0 0 12 1',
        '   3: 0100007F:1F91 00000000:0000 0A 00000000:00000000 00:00000000 00000000  0 0 13 1',
      ].join('\n'),
    );
    const table = parseTcpTable(text, 'ipv4', new Map());
    expect([...table.keys()]).toEqual([11, 13]);
  });

  it('reads a table bigger than its first buffer', () => {
    const line = (n: number): string =>
      `${String(n).padStart(6)}: 0100007F:1F90 0100007F:${n.toString(16).toUpperCase().padStart(4, '0')} 01 00000000:00000000 00:00000000 00000000  0 0 ${100000 + n} 1 0000000000000000 20 4 30 10 -1`;
    const lines = ['header'];
    for (let n = 1; n <= 5000; n++) lines.push(line(n));
    const table = parseTcpTable(Buffer.from(lines.join('\n')), 'ipv4', new Map());
    expect(table.size).toBe(5000);
    expect(table.get(105000)?.remotePort).toBe(5000);
  });

  it('treats a missing tcp6 (IPv6 disabled) as empty and a missing tcp as an error', () => {
    const onlyIpv4 = fileURLToPath(new URL('../testdata/proc-ipv4-only', import.meta.url));
    expect(readTcpTable(onlyIpv4).size).toBe(1);
    expect(() => readTcpTable(fileURLToPath(new URL('../testdata/no-such-proc', import.meta.url)))).toThrow(/ENOENT/);
  });
});

describe('readTcpTable joined with socketInodesOf on a real process', () => {
  let holder: TcpHolder | undefined;
  afterAll(async () => holder?.stop());

  it('finds the listening socket and both ends of each connection of a process holding known sockets', async () => {
    const connections = 3;
    holder = await startTcpHolder(connections);
    const inodes = socketInodesOf(holder.pid);
    expect(inodes.ok).toBe(true);
    if (!inodes.ok) return;
    const table = readTcpTable();
    const counts = new Map<string, number>();
    for (const inode of inodes.inodes) {
      const socket = table.get(inode);
      if (socket === undefined) continue;
      counts.set(socket.state, (counts.get(socket.state) ?? 0) + 1);
      if (socket.state === 'listen') expect(socket.localPort).toBe(holder.port);
    }
    expect(Object.fromEntries(counts)).toEqual({ listen: 1, established: 2 * connections });
  }, 30_000);
});

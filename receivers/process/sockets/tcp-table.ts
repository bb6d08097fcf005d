import { closeSync, openSync, readSync } from 'node:fs';

/**
 * The values of the OpenTelemetry attribute `network.connection.state` for TCP, in the
 * order of the kernel's state numbers (1 = established … 11 = closing).
 */
export const TCP_STATES = [
  'established',
  'syn_sent',
  'syn_recv',
  'fin_wait_1',
  'fin_wait_2',
  'time_wait',
  'close',
  'close_wait',
  'last_ack',
  'listen',
  'closing',
] as const;
export type TcpState = (typeof TCP_STATES)[number];

export interface TcpSocket {
  readonly state: TcpState;
  readonly localPort: number;
  readonly remotePort: number;
  readonly family: 'ipv4' | 'ipv6';
}

/** Socket inode → what the kernel's TCP table says of it. */
export type TcpTable = Map<number, TcpSocket>;

/**
 * The kernel's `st` column (include/net/tcp_states.h) by number. 12 (NEW_SYN_RECV) is a
 * request socket not yet accepted: for a count by state it is a syn_recv.
 */
const STATE_BY_CODE: readonly (TcpState | undefined)[] = [undefined, ...TCP_STATES, 'syn_recv'];

const NEWLINE = 0x0a;
const SPACE = 0x20;
const COLON = 0x3a;

/**
 * Reads /proc/net/tcp and /proc/net/tcp6 once and indexes their sockets by inode, so one
 * parse serves every process of a scrape (joined through each process's socket inodes).
 * Sockets without an inode (TIME_WAIT and other orphans, owned by no process) are left out.
 * The tables are those of the agent's network namespace. A missing tcp6 (IPv6 disabled)
 * is an empty table; any other read error is thrown to the caller.
 */
export function readTcpTable(procRoot = '/proc'): TcpTable {
  const table: TcpTable = new Map();
  parseTcpTable(readProcFile(`${procRoot}/net/tcp`, false), 'ipv4', table);
  parseTcpTable(readProcFile(`${procRoot}/net/tcp6`, true), 'ipv6', table);
  return table;
}

// Reused between scrapes: the tables of a busy host run to megabytes, grown on demand.
let scratch = Buffer.allocUnsafe(256 * 1024);

/** The whole file (procfs reports size 0, so read until EOF); an empty view when allowed missing and absent. */
function readProcFile(path: string, mayBeMissing: boolean): Buffer {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch (error) {
    if (mayBeMissing && (error as NodeJS.ErrnoException).code === 'ENOENT') return scratch.subarray(0, 0);
    throw error;
  }
  try {
    let length = 0;
    for (;;) {
      if (length === scratch.length) {
        const grown = Buffer.allocUnsafe(scratch.length * 2);
        scratch.copy(grown, 0, 0, length);
        scratch = grown;
      }
      const read = readSync(fd, scratch, length, scratch.length - length, null);
      if (read === 0) break;
      length += read;
    }
    return scratch.subarray(0, length);
  } finally {
    closeSync(fd);
  }
}

/**
 * Parses one table into `into`. Byte-level on purpose: a regex or split per line costs more
 * than the read on a host with tens of thousands of sockets. Columns, whitespace separated:
 * sl, local_address (hex addr:port), rem_address, st (hex), tx:rx, tr:when, retrnsmt, uid,
 * timeout, inode (decimal).
 */
export function parseTcpTable(text: Uint8Array, family: 'ipv4' | 'ipv6', into: TcpTable): TcpTable {
  const end = text.length;
  let at = text.indexOf(NEWLINE); // the header line
  while (at >= 0 && at < end) {
    const lineStart = at + 1;
    let lineEnd = text.indexOf(NEWLINE, lineStart);
    if (lineEnd < 0) lineEnd = end;
    parseLine(text, lineStart, lineEnd, family, into);
    at = lineEnd;
  }
  return into;
}

function parseLine(text: Uint8Array, start: number, end: number, family: 'ipv4' | 'ipv6', into: TcpTable): void {
  let localPort = -1;
  let remotePort = -1;
  let stateCode = -1;
  let inode = -1;
  let field = 0;
  let i = start;
  while (i < end && field <= 9) {
    while (i < end && text[i] === SPACE) i++;
    if (i >= end) break;
    const fieldStart = i;
    while (i < end && text[i] !== SPACE) i++;
    if (field === 1 || field === 2) {
      const colon = lastColon(text, fieldStart, i);
      const port = colon < 0 ? -1 : parseHex(text, colon + 1, i);
      if (field === 1) localPort = port;
      else remotePort = port;
    } else if (field === 3) stateCode = parseHex(text, fieldStart, i);
    else if (field === 9) inode = parseDecimal(text, fieldStart, i);
    field++;
  }
  // Inode 0: no process owns the socket (TIME_WAIT, orphans).
  if (inode <= 0 || localPort < 0 || remotePort < 0) return;
  const state = STATE_BY_CODE[stateCode];
  if (state === undefined) return;
  into.set(inode, { state, localPort, remotePort, family });
}

function lastColon(text: Uint8Array, start: number, end: number): number {
  for (let i = end - 1; i >= start; i--) if (text[i] === COLON) return i;
  return -1;
}

/** -1 when the field holds anything but hex digits. */
function parseHex(text: Uint8Array, start: number, end: number): number {
  if (start >= end) return -1;
  let value = 0;
  for (let i = start; i < end; i++) {
    const c = text[i]!;
    let digit: number;
    if (c >= 0x30 && c <= 0x39) digit = c - 0x30;
    else if (c >= 0x41 && c <= 0x46) digit = c - 0x37;
    else if (c >= 0x61 && c <= 0x66) digit = c - 0x57;
    else return -1;
    value = value * 16 + digit;
  }
  return value;
}

function parseDecimal(text: Uint8Array, start: number, end: number): number {
  if (start >= end) return -1;
  let value = 0;
  for (let i = start; i < end; i++) {
    const c = text[i]!;
    if (c < 0x30 || c > 0x39) return -1;
    value = value * 10 + (c - 0x30);
  }
  return value;
}

/** Bytes a process made the storage layer fetch and send (`read_bytes`, `write_bytes` of /proc/PID/io). */
export interface ProcIo {
  readBytes: number;
  writeBytes: number;
}

const NEWLINE = 0x0a;
const READ_BYTES = Buffer.from('read_bytes:');
const WRITE_BYTES = Buffer.from('write_bytes:');

/**
 * Parses /proc/PID/io into `into` without allocating; false when either field is missing.
 * Only whole-line keys count, so `cancelled_write_bytes` is not taken for `write_bytes`.
 * `rchar`/`wchar` are left out on purpose: they count reads served from the page cache and
 * from pipes and sockets, which is not disk I/O.
 */
export function parseProcIo(buffer: Uint8Array, length: number, into: ProcIo): boolean {
  let found = 0;
  let lineStart = 0;
  while (lineStart < length) {
    let lineEnd = buffer.indexOf(NEWLINE, lineStart);
    if (lineEnd < 0 || lineEnd > length) lineEnd = length;
    if (startsWith(buffer, lineStart, READ_BYTES)) {
      into.readBytes = decimalAfter(buffer, lineStart + READ_BYTES.length, lineEnd);
      found |= 1;
    } else if (startsWith(buffer, lineStart, WRITE_BYTES)) {
      into.writeBytes = decimalAfter(buffer, lineStart + WRITE_BYTES.length, lineEnd);
      found |= 2;
    }
    lineStart = lineEnd + 1;
  }
  return found === 3 && into.readBytes >= 0 && into.writeBytes >= 0;
}

function startsWith(buffer: Uint8Array, at: number, prefix: Uint8Array): boolean {
  if (at + prefix.length > buffer.length) return false;
  for (let i = 0; i < prefix.length; i++) if (buffer[at + i] !== prefix[i]) return false;
  return true;
}

/** The decimal number after optional spaces; -1 when there is none. */
function decimalAfter(buffer: Uint8Array, start: number, end: number): number {
  let i = start;
  while (i < end && buffer[i] === 0x20) i++;
  if (i >= end) return -1;
  let value = 0;
  for (; i < end; i++) {
    const c = buffer[i]!;
    if (c < 0x30 || c > 0x39) return -1;
    value = value * 10 + (c - 0x30);
  }
  return value;
}

/**
 * Parser of `/proc/PID/stat` (proc(5)). It works on the raw bytes and walks the line once,
 * keeping only the fields it needs: no string is made per scrape, no split.
 */

/** The fields of `/proc/PID/stat` that the receiver uses, in the kernel's units. */
export interface ProcStat {
  /** Field 3: R, S, D, Z (zombie), X (dead), … */
  state: string;
  /** User-mode CPU time in clock ticks (field 14). */
  utimeTicks: number;
  /** Kernel-mode CPU time in clock ticks (field 15). */
  stimeTicks: number;
  /** Field 20. */
  threads: number;
  /** Start time after boot in clock ticks (field 22): with the PID, the identity of a process. */
  startTicks: number;
  /** Virtual memory size in bytes (field 23). */
  vsizeBytes: number;
  /** Resident set size in pages (field 24). */
  rssPages: number;
}

export function emptyProcStat(): ProcStat {
  return { state: '', utimeTicks: 0, stimeTicks: 0, threads: 0, startTicks: 0, vsizeBytes: 0, rssPages: 0 };
}

const CLOSE_PAREN = 0x29;
const OPEN_PAREN = 0x28;
const SPACE = 0x20;
const NEWLINE = 0x0a;
const ZERO = 0x30;
const NINE = 0x39;

// Indexes of the fields after the command, counted from the state (field 3) as 0.
const UTIME = 11;
const STIME = 12;
const THREADS = 17;
const START = 19;
const VSIZE = 20;
const RSS = 21;

/** Position of the `)` that ends the command: the last one, since the command may contain `)`. */
function commandEnd(bytes: Uint8Array, length: number): number {
  for (let i = length - 1; i >= 0; i--) if (bytes[i] === CLOSE_PAREN) return i;
  return -1;
}

/**
 * Fills `into` from the first `length` bytes of a stat line. Returns false when the line is
 * not a stat line (no command, too few fields, a needed field not a number).
 * Numbers are accumulated as doubles: exact up to 2^53, far above any vsize.
 */
export function parseProcStat(bytes: Uint8Array, length: number, into: ProcStat): boolean {
  const end = commandEnd(bytes, length);
  if (end < 0 || end + 2 >= length) return false;
  // One-character strings are cached by V8: no allocation.
  into.state = String.fromCharCode(bytes[end + 2]!);
  let field = 0;
  let value = 0;
  let digits = 0;
  let clean = true;
  let valid = true;
  for (let i = end + 2; i <= length; i++) {
    const c = i < length ? bytes[i]! : SPACE;
    if (c === SPACE || c === NEWLINE) {
      if (field >= UTIME) {
        const needed = field === UTIME || field === STIME || field === THREADS || field === START || field === VSIZE || field === RSS;
        if (needed && (digits === 0 || !clean)) valid = false;
        switch (field) {
          case UTIME:
            into.utimeTicks = value;
            break;
          case STIME:
            into.stimeTicks = value;
            break;
          case THREADS:
            into.threads = value;
            break;
          case START:
            into.startTicks = value;
            break;
          case VSIZE:
            into.vsizeBytes = value;
            break;
          case RSS:
            into.rssPages = value;
            return valid;
        }
      }
      field++;
      value = 0;
      digits = 0;
      clean = true;
      continue;
    }
    if (c >= ZERO && c <= NINE) {
      value = value * 10 + (c - ZERO);
      digits++;
    } else {
      // Signed fields (priority, nice) and the state letter are skipped; a needed one must be all digits.
      clean = false;
    }
  }
  return false;
}

/** The command (`comm`, at most 15 bytes on Linux) between the first `(` and the last `)`. */
export function parseCommand(bytes: Uint8Array, length: number): string | undefined {
  const end = commandEnd(bytes, length);
  const start = bytes.indexOf(OPEN_PAREN);
  if (end < 0 || start < 0 || start >= end) return undefined;
  return Buffer.from(bytes.buffer, bytes.byteOffset + start + 1, end - start - 1).toString('utf8');
}

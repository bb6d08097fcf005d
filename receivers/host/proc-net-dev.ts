/** One direction of an interface's counters, as the kernel has counted them since it came up. */
export interface DirectionCounters {
  readonly bytes: number;
  readonly packets: number;
  readonly errors: number;
  readonly dropped: number;
}

export interface InterfaceCounters {
  readonly device: string;
  readonly receive: DirectionCounters;
  readonly transmit: DirectionCounters;
}

/** Receive: bytes packets errs drop fifo frame compressed multicast; transmit: bytes packets errs drop fifo colls carrier compressed. */
const COLUMNS = 16;
const TRANSMIT_OFFSET = 8;

/**
 * Parses Linux's `/proc/net/dev`: two header lines, then `name: 16 counters` per interface.
 * The kernel prints the name right-aligned in six characters and the first counter in eight
 * right after the colon, so a long name or a large byte count leaves no space between them
 * (`enp0s31f6:1340584677`): the line is cut at its last colon, since counters have none. A
 * line that does not have 16 whole numbers (a header, a future format) is skipped rather
 * than read as zeros.
 */
export function parseProcNetDev(text: string): InterfaceCounters[] {
  const interfaces: InterfaceCounters[] = [];
  for (const line of text.split('\n')) {
    const colon = line.lastIndexOf(':');
    if (colon < 0) continue;
    const device = line.slice(0, colon).trim();
    const fields = line.slice(colon + 1).trim().split(/\s+/);
    if (device === '' || fields.length < COLUMNS || !fields.slice(0, COLUMNS).every((field) => /^\d+$/.test(field))) continue;
    const counters = fields.map(Number);
    interfaces.push({ device, receive: direction(counters, 0), transmit: direction(counters, TRANSMIT_OFFSET) });
  }
  return interfaces;
}

function direction(counters: readonly number[], offset: number): DirectionCounters {
  return { bytes: counters[offset]!, packets: counters[offset + 1]!, errors: counters[offset + 2]!, dropped: counters[offset + 3]! };
}

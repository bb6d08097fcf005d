import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseProcNetDev } from '../../../receivers/host/proc-net-dev.js';

const fixture = readFileSync(new URL('./fixtures/proc-net-dev.txt', import.meta.url), 'utf8');

describe('parseProcNetDev', () => {
  it('reads bytes, packets, errs and drop of each direction, skipping the two header lines', () => {
    const interfaces = parseProcNetDev(fixture);
    expect(interfaces.map((counters) => counters.device)).toEqual(['lo', 'eth0', 'enp0s31f6', 'wg-a:b']);
    expect(interfaces[1]).toEqual({
      device: 'eth0',
      receive: { bytes: 1340584677, packets: 70621, errors: 3, dropped: 7 },
      transmit: { bytes: 5184688, packets: 59423, errors: 1, dropped: 2 },
    });
  });

  it('reads a line where a long name and a large count leave no space after the colon', () => {
    const [counters] = parseProcNetDev('enp0s31f6:98765432101   12345    0    0    0     0          0        12 123456789   6789    0    0    0     0       0          0\n');
    expect(counters).toEqual({
      device: 'enp0s31f6',
      receive: { bytes: 98765432101, packets: 12345, errors: 0, dropped: 0 },
      transmit: { bytes: 123456789, packets: 6789, errors: 0, dropped: 0 },
    });
  });

  it('cuts a name with a colon in it at the last colon: counters never have one', () => {
    const counters = parseProcNetDev(fixture).find((found) => found.device === 'wg-a:b');
    expect(counters?.receive).toEqual({ bytes: 100, packets: 2, errors: 0, dropped: 1 });
    expect(counters?.transmit.bytes).toBe(200);
  });

  it('skips lines without 16 whole counters instead of reading them as zeros', () => {
    const text = ['eth1: 1 2 3', 'eth2: 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 x', ': 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16', '', 'eth3:\t1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16'].join('\n');
    expect(parseProcNetDev(text).map((counters) => counters.device)).toEqual(['eth3']);
  });
});

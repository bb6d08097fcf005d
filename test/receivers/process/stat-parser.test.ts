import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { emptyProcStat, parseCommand, parseProcStat } from '../../../receivers/process/stat-parser.js';

function golden(name: string): Buffer {
  return readFileSync(new URL(`./testdata/${name}`, import.meta.url));
}

function parse(bytes: Uint8Array, length = bytes.length) {
  const stat = emptyProcStat();
  return { ok: parseProcStat(bytes, length, stat), stat };
}

describe('parseProcStat', () => {
  it('reads the fields after the last ")", so a command with spaces and parentheses cannot shift them', () => {
    const bytes = golden('command-with-spaces-and-parens.stat');
    expect(parse(bytes)).toEqual({
      ok: true,
      stat: { state: 'S', utimeTicks: 1234, stimeTicks: 567, threads: 7, startTicks: 889900, vsizeBytes: 1077329920, rssPages: 18123 },
    });
    expect(parseCommand(bytes, bytes.length)).toBe('my (weird) ) name');
  });

  it('skips negative priorities and accepts zero memory (a real-time kernel thread)', () => {
    const bytes = golden('realtime-kernel-thread.stat');
    expect(parse(bytes)).toEqual({
      ok: true,
      stat: { state: 'S', utimeTicks: 0, stimeTicks: 31, threads: 1, startTicks: 5, vsizeBytes: 0, rssPages: 0 },
    });
    expect(parseCommand(bytes, bytes.length)).toBe('irq/9-acpi');
  });

  it('parses only the given length of a larger, reused buffer', () => {
    const line = golden('command-with-spaces-and-parens.stat');
    const buffer = Buffer.alloc(4096, 0x37);
    line.copy(buffer);
    expect(parse(buffer, line.length).stat.rssPages).toBe(18123);
  });

  it('accepts a line that ends right after the rss field', () => {
    const bytes = Buffer.from('9 (x) S 1 9 9 0 -1 0 0 0 0 0 10 20 0 0 20 0 2 0 300 4096 5');
    expect(parse(bytes)).toEqual({
      ok: true,
      stat: { state: 'S', utimeTicks: 10, stimeTicks: 20, threads: 2, startTicks: 300, vsizeBytes: 4096, rssPages: 5 },
    });
  });

  it('rejects what is not a stat line', () => {
    expect(parse(Buffer.from('')).ok).toBe(false);
    expect(parse(Buffer.from('9 (x)')).ok).toBe(false);
    expect(parse(Buffer.from('no command here 1 2 3')).ok).toBe(false);
    expect(parse(Buffer.from('9 (x) S 1 9 9 0 -1 0 0 0 0 0 10 20')).ok).toBe(false);
    expect(parse(Buffer.from('9 (x) S 1 9 9 0 -1 0 0 0 0 0 1x 20 0 0 20 0 2 0 300 4096 5 0')).ok).toBe(false);
    expect(parseCommand(Buffer.from('no command'), 10)).toBeUndefined();
  });
});

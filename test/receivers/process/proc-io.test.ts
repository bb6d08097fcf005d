import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseProcIo } from '../../../receivers/process/proc-io.js';

const golden = readFileSync(new URL('./testdata/proc-io.txt', import.meta.url));

describe('parseProcIo', () => {
  it('takes read_bytes and write_bytes, not cancelled_write_bytes nor rchar/wchar', () => {
    const into = { readBytes: -1, writeBytes: -1 };
    expect(parseProcIo(golden, golden.length, into)).toBe(true);
    expect(into).toEqual({ readBytes: 4096, writeBytes: 323932160 });
  });

  it('reads only the given length of a reused buffer', () => {
    const buffer = Buffer.alloc(4096, 'x');
    golden.copy(buffer);
    const into = { readBytes: -1, writeBytes: -1 };
    expect(parseProcIo(buffer, golden.length, into)).toBe(true);
    expect(into.writeBytes).toBe(323932160);
  });

  it('fails when a field is missing or not a number', () => {
    const into = { readBytes: 0, writeBytes: 0 };
    const noWrite = Buffer.from('read_bytes: 1\ncancelled_write_bytes: 2\n');
    expect(parseProcIo(noWrite, noWrite.length, into)).toBe(false);
    const garbled = Buffer.from('read_bytes: 1x\nwrite_bytes: 2\n');
    expect(parseProcIo(garbled, garbled.length, into)).toBe(false);
  });
});

import { existsSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DirectoryError, ensureDirectory, MAX_MISSING_LEVELS } from '../../src/io/ensure-directory.js';
import { ensureWritableDirectory } from '../../src/io/writable-directory.js';
import { openDataStore } from '../../src/storage/index.js';

const dir = mkdtempSync(join(tmpdir(), 'healthpipe-dirs-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function refusal(run: () => void): DirectoryError {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(DirectoryError);
    return error as DirectoryError;
  }
  throw new Error('expected a DirectoryError');
}

const linux = process.platform === 'linux';

describe('ensureDirectory', () => {
  it('creates every missing level and accepts a directory that exists', () => {
    const deep = join(dir, 'a', 'b', 'c');
    ensureDirectory(deep);
    expect(statSync(deep).isDirectory()).toBe(true);
    ensureDirectory(deep);
  });

  it.runIf(linux)('fails at once under /proc, where recursive mkdir loops for ever, naming the level', () => {
    const error = refusal(() => ensureDirectory('/proc/healthpipe-x/data'));
    expect(error.reason).toBe('ENOENT');
    expect(error.message).toBe('/proc/healthpipe-x/data: the parent does not accept new directories (creating /proc/healthpipe-x)');
  });

  it('names the file that stands where a directory should be', () => {
    writeFileSync(join(dir, 'plain'), '');
    expect(refusal(() => ensureDirectory(join(dir, 'plain', 'x', 'y'))).detail).toBe(`${join(dir, 'plain')} is not a directory`);
    expect(refusal(() => ensureDirectory(join(dir, 'plain'))).detail).toBe('it exists and is not a directory');
  });

  it(`creates at most ${MAX_MISSING_LEVELS} missing levels in one call`, () => {
    // 'deep' and the levels below it: one more than the bound.
    const levels = Array.from({ length: MAX_MISSING_LEVELS }, (_, index) => `l${index}`);
    const error = refusal(() => ensureDirectory(join(dir, 'deep', ...levels)));
    expect([error.reason, error.detail]).toEqual(['TOO_DEEP', `more than ${MAX_MISSING_LEVELS} missing levels`]);
    expect(existsSync(join(dir, 'deep'))).toBe(false);
    ensureDirectory(join(dir, 'deep', ...levels.slice(1)));
  });
});

describe('ensureWritableDirectory', () => {
  it('leaves nothing behind in a directory that takes files', () => {
    ensureWritableDirectory(join(dir, 'writable'));
    expect(readdirSync(join(dir, 'writable'))).toEqual([]);
  });

  it.runIf(linux)('refuses /proc itself, which exists and passes a permission check for root', () => {
    const error = refusal(() => ensureWritableDirectory('/proc'));
    expect(error.detail).toMatch(/^no file can be created in it \(E[A-Z]+\)$/);
  });
});

describe.runIf(linux)('openDataStore', () => {
  it('reports a data directory under /proc instead of spinning in mkdir', () => {
    expect(() => openDataStore('/proc/healthpipe-x')).toThrow(
      '/proc/healthpipe-x: the parent does not accept new directories (creating /proc/healthpipe-x)',
    );
  });
});

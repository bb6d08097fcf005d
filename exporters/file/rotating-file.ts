import { open, rename, unlink, type FileHandle } from 'node:fs/promises';
import { dirname } from 'node:path';
import { ensureDirectory } from '../../src/index.js';

/**
 * An append-only file rotated by size: `path` is written; past `maxSize` it becomes
 * `path.1`, `path.1` becomes `path.2`, …, and at most `maxFiles` files remain. The handle
 * stays open between writes; a write that fails closes it, so the next one starts over
 * from the directory (re-created if someone removed it).
 */
export class RotatingFile {
  private handle: FileHandle | undefined;
  private size = 0;

  constructor(
    readonly path: string,
    private readonly maxSize: number,
    private readonly maxFiles: number,
  ) {}

  /** Appends `text` whole; rotates first when it would take the file past its size. */
  async write(text: string): Promise<void> {
    const bytes = Buffer.byteLength(text);
    try {
      if (this.handle === undefined) await this.open();
      // A text larger than the bound alone still goes into one file: lines are never split.
      if (this.size > 0 && this.size + bytes > this.maxSize) await this.rotate();
      await this.handle!.appendFile(text);
      this.size += bytes;
    } catch (error) {
      await this.close();
      throw error;
    }
  }

  async close(): Promise<void> {
    const handle = this.handle;
    this.handle = undefined;
    await handle?.close().catch(() => undefined);
  }

  private async open(): Promise<void> {
    ensureDirectory(dirname(this.path));
    const handle = await open(this.path, 'a');
    this.handle = handle;
    this.size = (await handle.stat()).size;
    // A write cut short (the agent killed mid-line) leaves a line without its end: end it,
    // so the next line is whole and readable on its own.
    if (this.size > 0) {
      const last = Buffer.alloc(1);
      const readable = await open(this.path, 'r');
      try {
        await readable.read(last, 0, 1, this.size - 1);
      } finally {
        await readable.close();
      }
      if (last[0] !== 0x0a) {
        await handle.appendFile('\n');
        this.size += 1;
      }
    }
  }

  private async rotate(): Promise<void> {
    await this.close();
    if (this.maxFiles === 1) {
      await unlink(this.path).catch(ignoreMissing);
    } else {
      for (let index = this.maxFiles - 1; index >= 1; index -= 1) {
        const from = index === 1 ? this.path : `${this.path}.${index - 1}`;
        await rename(from, `${this.path}.${index}`).catch(ignoreMissing);
      }
    }
    await this.open();
  }
}

function ignoreMissing(error: unknown): void {
  if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
}

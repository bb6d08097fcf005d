import type { Readable } from 'node:stream';

/**
 * Keeps the first `limit` bytes of a stream and reads the rest only to drop it, so a plugin
 * that prints without end neither fills the agent's memory nor blocks on a full pipe.
 */
export class BoundedOutput {
  private readonly chunks: Buffer[] = [];
  private kept = 0;

  constructor(
    stream: Readable,
    private readonly limit: number,
  ) {
    stream.on('data', (chunk: Buffer) => this.add(chunk));
  }

  private add(chunk: Buffer): void {
    const room = this.limit - this.kept;
    if (room <= 0) return;
    const part = chunk.length <= room ? chunk : chunk.subarray(0, room);
    this.chunks.push(part);
    this.kept += part.length;
  }

  text(): string {
    return Buffer.concat(this.chunks, this.kept).toString('utf8');
  }
}

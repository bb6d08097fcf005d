import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { BoundedOutput } from '../../../receivers/health_check/exec/bounded-output.js';

describe('bounded plugin output', () => {
  it('keeps the first bytes up to its limit and reads the rest only to drop it', async () => {
    const stream = new PassThrough();
    const output = new BoundedOutput(stream, 10);
    stream.write('12345');
    stream.write('6789abcdef');
    stream.end('more and more');
    await new Promise((resolve) => stream.on('end', resolve));
    expect(output.text()).toBe('123456789a');
  });
});

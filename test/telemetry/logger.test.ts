import { describe, expect, it } from 'vitest';
import { JsonLogger, MemoryLogSink } from '../../src/telemetry/logger.js';

describe('JsonLogger', () => {
  it('writes one JSON object per line with the injected clock, the component and the fields', () => {
    const sink = new MemoryLogSink();
    new JsonLogger({ level: 'info', sink, now: () => 0 }).child('process').warn('slow', { targets: 3 });
    expect(sink.records()).toEqual([
      { time: '1970-01-01T00:00:00.000Z', level: 'warn', component: 'process', message: 'slow', targets: 3 },
    ]);
  });

  it('drops lines below its level and says a `once` line only once per component', () => {
    const sink = new MemoryLogSink();
    const logger = new JsonLogger({ level: 'info', sink, now: () => 0 });
    logger.debug('hidden');
    logger.child('a').once('eperm:1', 'warn', 'cannot read');
    logger.child('a').once('eperm:1', 'warn', 'cannot read');
    logger.child('b').once('eperm:1', 'warn', 'cannot read');
    expect(sink.records().map((record) => record.component)).toEqual(['a', 'b']);
  });

  it("blanks the configuration's secrets out of messages, fields and errors, as they are at each write", () => {
    const sink = new MemoryLogSink();
    const secrets = new Set(['s3cr3t-token']);
    const logger = new JsonLogger({ level: 'info', sink, now: () => 0, secrets: () => secrets });
    logger.error('auth failed for s3cr3t-token', { error: new Error('401 with Bearer s3cr3t-token'), header: 's3cr3t-token' });
    secrets.add('later-secret');
    logger.info('now later-secret too');
    const text = sink.lines.join('\n');
    expect(text).not.toContain('s3cr3t-token');
    expect(text).not.toContain('later-secret');
    expect(sink.records()[0]).toMatchObject({ message: 'auth failed for ***', error: { message: '401 with Bearer ***' }, header: '***' });
  });
});

import { describe, expect, it } from 'vitest';
import { HealthpipeError } from '../../src/errors.js';
import { JsonLogger, MemoryLogSink } from '../../src/telemetry/logger.js';

function loggerWith(secrets: string[]): { logger: JsonLogger; sink: MemoryLogSink } {
  const sink = new MemoryLogSink();
  const set = new Set(secrets);
  return { sink, logger: new JsonLogger({ level: 'info', sink, now: () => 0, secrets: () => set }) };
}

describe('JsonLogger: secrets are blanked in values, before serialisation', () => {
  it('finds a token containing a quote and a backslash, which JSON escaping used to hide', () => {
    const token = 'zq"tok\\en9';
    const { logger, sink } = loggerWith([token]);
    logger.warn(`refused ${token}`, { header: `Bearer ${token}`, error: new Error(`401 for ${token}`) });
    const [record] = sink.records();
    expect(record).toMatchObject({ message: 'refused ***', header: 'Bearer ***', error: { message: '401 for ***' } });
    for (const part of ['zq', 'tok', 'en9']) expect(sink.lines[0]).not.toContain(part);
  });

  it('blanks a numeric secret written as a number in a field and inside an error message', () => {
    const { logger, sink } = loggerWith(['12345678901234']);
    logger.error('export failed', {
      token: 12345678901234,
      nested: { list: [1, 12345678901234] },
      error: new Error('bad token 12345678901234'),
    });
    expect(sink.lines[0]).not.toContain('12345678901234');
    expect(sink.records()[0]).toMatchObject({
      token: '***',
      nested: { list: [1, '***'] },
      error: { message: 'bad token ***' },
    });
  });

  it("blanks a secret inside an error's cause, two levels down", () => {
    const { logger, sink } = loggerWith(['hunter2-password']);
    const root = new Error('login with hunter2-password refused');
    const error = new HealthpipeError('COMPONENT_CREATE', 'exporter failed', {
      cause: new Error('request failed', { cause: root }),
    });
    logger.error('start failed', { error });
    expect(sink.lines[0]).not.toContain('hunter2');
    expect(sink.records()[0]!['error']).toEqual({
      name: 'HealthpipeError',
      message: 'exporter failed',
      code: 'COMPONENT_CREATE',
      cause: { name: 'Error', message: 'request failed', cause: { name: 'Error', message: 'login with *** refused' } },
    });
  });
});

describe("JsonLogger: an error keeps its code and its cause", () => {
  it('writes name, message, code and the cause chain, without secrets configured', () => {
    const sink = new MemoryLogSink();
    const logger = new JsonLogger({ level: 'info', sink, now: () => 0 });
    const cause = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:4318'), { code: 'ECONNREFUSED' });
    logger.error('export failed', { error: new HealthpipeError('STORAGE', 'cannot write the outbox', { cause }) });
    expect(sink.records()[0]!['error']).toEqual({
      name: 'HealthpipeError',
      message: 'cannot write the outbox',
      code: 'STORAGE',
      cause: { name: 'Error', message: 'connect ECONNREFUSED 127.0.0.1:4318', code: 'ECONNREFUSED' },
    });
  });

  it('survives a cyclic field and a cause chain that loops, instead of throwing', () => {
    const sink = new MemoryLogSink();
    const logger = new JsonLogger({ level: 'info', sink, now: () => 0 });
    const cyclic: Record<string, unknown> = { name: 'a' };
    cyclic['self'] = cyclic;
    const looping = new Error('outer');
    looping.cause = new Error('inner', { cause: looping });
    logger.warn('odd values', { cyclic, error: looping });
    expect(sink.records()[0]).toMatchObject({
      cyclic: { name: 'a', self: '[circular]' },
      error: { message: 'outer', cause: { message: 'inner', cause: '[circular]' } },
    });
  });
});

import { afterEach, describe, expect, it, vi } from 'vitest';
import { runCommand, type RunningAgent } from '../../src/cli/run.js';
import type { ResolvedConfig } from '../../src/config/index.js';
import { HealthpipeError } from '../../src/errors.js';

/** A started runtime whose stop and reload do what the test says; secrets as the configuration holds them. */
function agent(behaviour: { stop: () => Promise<boolean>; reload?: () => Promise<never> }, secrets: string[] = []): RunningAgent {
  return {
    stop: behaviour.stop,
    reload: behaviour.reload ?? (() => Promise.resolve({ ok: true })),
    configuration: { secrets: new Set(secrets) } as unknown as ResolvedConfig,
  };
}

function captureStderr(): string[] {
  const writes: string[] = [];
  vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
    writes.push(String(chunk));
    return true;
  });
  return writes;
}

/** Lets the promise chains that a signal starts run to their end. */
const settle = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

afterEach(() => {
  vi.restoreAllMocks();
});

describe('run: every failure is handled and reported', () => {
  it('exits 1 with the reason logged when stop itself rejects, leaving no rejection unhandled', async () => {
    const stderr = captureStderr();
    const unhandled = vi.fn();
    process.on('unhandledRejection', unhandled);
    try {
      const running = runCommand(
        { files: ['pipeline.yaml'] },
        { start: async () => agent({ stop: () => Promise.reject(new Error('store close failed: token abc123secret')) }, ['abc123secret']) },
      );
      await settle();
      process.emit('SIGINT', 'SIGINT');
      expect(await running).toBe(1);
      await settle();
      expect(unhandled).not.toHaveBeenCalled();
    } finally {
      process.off('unhandledRejection', unhandled);
    }
    const record = JSON.parse(stderr.join('').trim().split('\n').at(-1)!) as Record<string, unknown>;
    expect(record).toMatchObject({
      level: 'error',
      message: 'healthpipe could not stop cleanly',
      error: { message: 'store close failed: token ***' },
    });
    // Every listener is gone, so a later run in the same process starts clean.
    expect(process.listenerCount('SIGHUP')).toBe(0);
  });

  it('exits 0 after a clean stop and 1 when the deadline cut the flush short', async () => {
    for (const [finished, code] of [
      [true, 0],
      [false, 1],
    ] as const) {
      const running = runCommand({ files: ['pipeline.yaml'] }, { start: async () => agent({ stop: async () => finished }) });
      await settle();
      process.emit('SIGTERM', 'SIGTERM');
      expect(await running).toBe(code);
    }
  });

  it('logs a reload that rejects and keeps running', async () => {
    const stderr = captureStderr();
    const running = runCommand(
      { files: ['pipeline.yaml'] },
      {
        start: async () =>
          agent({ stop: async () => true, reload: () => Promise.reject(new HealthpipeError('STORAGE', 'disk full')) }),
      },
    );
    await settle();
    process.emit('SIGHUP', 'SIGHUP');
    await settle();
    expect(stderr.join('')).toContain('"message":"reload failed","error":{"name":"HealthpipeError","message":"disk full","code":"STORAGE"}');
    process.emit('SIGINT', 'SIGINT');
    expect(await running).toBe(0);
  });

  it('prints the problems of a refused configuration like validate, then the code on its own line, and exits 2', async () => {
    const stderr = captureStderr();
    const problems = [
      { file: 'a.yaml', line: 3, column: 5, path: 'receivers.process.pid', message: 'expected a number' },
      { file: 'a.yaml', line: 9, column: 1, path: 'service', message: 'unknown key "servce"' },
    ];
    const code = await runCommand(
      { files: ['a.yaml'] },
      { start: () => Promise.reject(new HealthpipeError('CONFIG_INVALID', 'joined', { problems })) },
    );
    expect(code).toBe(2);
    expect(stderr.join('')).toBe(
      [
        'a.yaml:3:5: receivers.process.pid: expected a number',
        'a.yaml:9:1: service: unknown key "servce"',
        'a.yaml: 2 problems',
        'healthpipe: not started [CONFIG_INVALID]',
        '',
      ].join('\n'),
    );
  });

  it('leaves any other start failure to the caller, which prints message and code', async () => {
    const failure = new HealthpipeError('PLUGIN_LOAD', 'cannot load ./x.js');
    await expect(runCommand({ files: ['a.yaml'] }, { start: () => Promise.reject(failure) })).rejects.toBe(failure);
  });

  it('says first that it runs the embedded default, and where its store goes', async () => {
    const stderr = captureStderr();
    const starts: unknown[] = [];
    const running = runCommand(
      { files: ['/pkg/pipeline.yaml'], embedded: { file: '/pkg/pipeline.yaml', dataDir: '/here/data' } },
      {
        start: async (options) => {
          starts.push(options);
          return agent({ stop: async () => true });
        },
      },
    );
    await settle();
    process.emit('SIGINT', 'SIGINT');
    expect(await running).toBe(0);
    expect(starts).toEqual([{ files: ['/pkg/pipeline.yaml'], dataDir: '/here/data' }]);
    expect(JSON.parse(stderr[0]!)).toMatchObject({
      level: 'info',
      message: 'no pipeline.yaml here: running the embedded default /pkg/pipeline.yaml',
      data_dir: '/here/data',
    });
  });

  it('keeps a SIGHUP and a SIGTERM that arrive while starting, and acts on them once started', async () => {
    let started: (agent: RunningAgent) => void = () => undefined;
    const reloads: string[] = [];
    const running = runCommand(
      { files: ['pipeline.yaml'] },
      { start: () => new Promise<RunningAgent>((resolve) => (started = resolve)) },
    );
    await settle();
    // Before, no listener was there yet: Node's default action would have ended the process.
    expect(process.listenerCount('SIGHUP')).toBe(1);
    process.emit('SIGHUP', 'SIGHUP');
    started(
      agent({
        stop: async () => true,
        reload: () => {
          reloads.push('reload');
          return Promise.resolve({ ok: true }) as never;
        },
      }),
    );
    await settle();
    expect(reloads).toEqual(['reload']);
    process.emit('SIGTERM', 'SIGTERM');
    expect(await running).toBe(0);
    expect(process.listenerCount('SIGHUP')).toBe(0);
  });

  it('stops right after the start when SIGTERM came while starting', async () => {
    let started: (agent: RunningAgent) => void = () => undefined;
    const running = runCommand({ files: ['pipeline.yaml'] }, { start: () => new Promise((resolve) => (started = resolve)) });
    await settle();
    process.emit('SIGTERM', 'SIGTERM');
    started(agent({ stop: async () => false }));
    expect(await running).toBe(1);
  });
});

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import type { ExtensionContext } from '../../src/component/types.js';
import { HealthpipeError } from '../../src/errors.js';
import { Runtime } from '../../src/runtime/runtime.js';
import { JsonLogger, MemoryLogSink } from '../../src/telemetry/logger.js';

const dir = mkdtempSync(join(tmpdir(), 'healthpipe-runtime-extensions-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const API = JSON.stringify(pathToFileURL(join(import.meta.dirname, '../../src/index.ts')).href);

/** What the plugin's extensions did and were given, shared with this test through globalThis. */
interface ProbeRecord {
  events: string[];
  contexts: Map<string, ExtensionContext>;
}
const record: ProbeRecord = { events: [], contexts: new Map() };
(globalThis as { __probe?: ProbeRecord }).__probe = record;

// An extension as a plugin writes it: defineExtension from the public API.
writeFileSync(
  join(dir, 'probe.mjs'),
  `import { defineExtension, secret, z } from ${API};
export const apiVersion = 1;
export const components = [
  defineExtension({
    type: 'probe',
    description: 'a plugin extension',
    schema: z.strictObject({ refuse: z.boolean().default(false).describe('Refuse to start.'), token: secret(z.string()).optional().describe('A token.') }),
    create(config, context) {
      const record = globalThis.__probe;
      record.contexts.set(context.id, context);
      return {
        async start() {
          record.events.push('start ' + context.id);
          if (config.refuse) throw new Error('cannot listen on 127.0.0.1:1: permission denied');
        },
        async shutdown() { record.events.push('shutdown ' + context.id); },
      };
    },
  }),
];
`,
);

function pipeline(extensions: string, listed: string): string {
  return `plugins: [./probe.mjs]
receivers:
  process:
    collection_interval: 100ms
    targets: [{ service: me, self: true }]
exporters:
  file: { path: ./out.jsonl }
extensions:
${extensions}
service:
  extensions: [${listed}]
  pipelines:
    metrics: { receivers: [process], exporters: [file] }
`;
}

function start(name: string, text: string): { file: string; started: Promise<Runtime> } {
  const file = join(dir, name);
  writeFileSync(file, text);
  const logger = new JsonLogger({ level: 'debug', sink: new MemoryLogSink(), now: () => Date.now() });
  return { file, started: Runtime.start({ files: [file], env: {}, logger, dataDir: join(dir, `data-${name}`) }) };
}

describe('an extension from a plugin, through the runtime', () => {
  it('is started with the agent context (component statuses, history) and stopped last', async () => {
    record.events.length = 0;
    const runtime = await start('good.yaml', pipeline('  probe: { token: hush-hush-token }', 'probe')).started;
    const context = record.contexts.get('probe')!;
    expect(record.events).toEqual(['start probe']);
    expect(context.history.available()).toBe(false);
    expect(context.components.list().map((status) => `${status.kind} ${status.id} ${status.state}`)).toEqual([
      'receiver process running',
      'exporter file running',
      'extension probe running',
    ]);
    // A component's own report reaches the same facet, with the configuration's secrets blanked out.
    context.status.degraded('upstream refused hush-hush-token');
    expect(context.components.list().find((status) => status.id === 'probe')).toMatchObject({
      state: 'degraded',
      lastError: { message: 'upstream refused ***' },
    });
    expect(await runtime.stop()).toBe(true);
    expect(record.events).toEqual(['start probe', 'shutdown probe']);
  });

  it('stops the start when it refuses, naming it and the reason', async () => {
    record.events.length = 0;
    const error: unknown = await start('refused.yaml', pipeline('  probe: { refuse: true }', 'probe')).started.then(
      () => undefined,
      (rejected: unknown) => rejected,
    );
    expect(error).toBeInstanceOf(HealthpipeError);
    expect((error as HealthpipeError).code).toBe('COMPONENT_START');
    expect((error as HealthpipeError).message).toBe('extension probe could not start: cannot listen on 127.0.0.1:1: permission denied');
    expect(record.events).toEqual(['start probe', 'shutdown probe']);
  });

  it('fails a reload that adds one that refuses, and keeps the running graph and extensions', async () => {
    record.events.length = 0;
    const { file, started } = start('reload.yaml', pipeline('  probe: {}', 'probe'));
    const runtime = await started;
    try {
      writeFileSync(file, pipeline('  probe: {}\n  probe/b: { refuse: true }', 'probe, probe/b'));
      expect(await runtime.reload()).toEqual({
        ok: false,
        problems: [{ path: '', message: 'extension probe/b could not start: cannot listen on 127.0.0.1:1: permission denied' }],
      });
      expect(record.events).toEqual(['start probe', 'start probe/b', 'shutdown probe/b']);
      const statuses = record.contexts.get('probe')!.components.list();
      expect(statuses.find((status) => status.id === 'probe')?.state).toBe('running');
      expect(statuses.find((status) => status.id === 'probe/b')).toMatchObject({ state: 'failed' });
    } finally {
      await runtime.stop();
    }
  });
});

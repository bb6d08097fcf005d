import { readdirSync, rmSync, watch } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Subject, asyncScheduler } from 'rxjs';
import { afterAll, describe, expect, it } from 'vitest';
import { builtinRegistry } from '../src/builtins.js';
import type { AnyFactory, ExporterFactory, ExtensionFactory, ProcessorFactory, ReceiverFactory } from '../src/component/types.js';
import { EMPTY_HISTORY } from '../src/history/reader.js';
import { freePort } from './helpers/server-process.js';
import { SelfTelemetry } from '../src/telemetry/self-telemetry.js';
import { Resource, SeriesSet } from '../src/model/series.js';
import type { AnyBatch, Signal } from '../src/model/signal.js';
import type { HealthEvent } from '../src/model/event.js';
import { createTestContext } from './helpers/context.js';

const selfTelemetry = new SelfTelemetry('lifecycle');
const factories = builtinRegistry(selfTelemetry).all();
afterAll(() => selfTelemetry.shutdown());

// libuv opens one inotify descriptor per loop at the first fs.watch and keeps it for the
// loop's life: opened here, so it is not counted against the first component that watches.
watch(tmpdir(), { persistent: false }).close();

/** Where the `file` exporter writes; removed at the end. */
const FILE_SINK_DIR = join(tmpdir(), `healthpipe-lifecycle-${process.pid}`);
afterAll(() => rmSync(FILE_SINK_DIR, { recursive: true, force: true }));

/** The smallest valid config of each type: `{}` unless its schema requires more. */
const MINIMAL: Record<string, unknown> = {
  'receiver:process': { collection_interval: '100ms', targets: [{ service: 'self', self: true }] },
  'receiver:internal': { collection_interval: '100ms' },
  // Port 9 (discard) refuses: the alert waits in the store, and shutdown must still leave nothing open.
  'exporter:alertmanager': { url: 'http://127.0.0.1:9' },
  'exporter:webhook': { url: 'http://127.0.0.1:9/hook' },
  'exporter:file': { path: join(FILE_SINK_DIR, 'out.jsonl') },
  // A plugin that outlives the run and a refused port: both must be gone when the receiver stops.
  'receiver:health_check': {
    collection_interval: '100ms',
    targets: [
      { service: 'sleeper', exec: { command: [process.execPath, '-e', 'setTimeout(() => {}, 60000)'] } },
      { service: 'refused', tcp: { host: '127.0.0.1', port: 1 } },
    ],
  },
  'processor:threshold': { profile: 'datapunk' },
  'processor:attributes': { actions: [{ action: 'delete', key: 'user' }] },
  // A missing file in an existing directory: the directory watch and the periodic check both run.
  'receiver:registry': { file: { path: join(tmpdir(), `healthpipe-lifecycle-${process.pid}-services.yaml`), poll_interval: '100ms' } },
};

const series = new SeriesSet(new Resource({ 'service.name': 'svc' })).get({ name: 'm', unit: '1', kind: 'gauge' });
const SAMPLES: Record<Signal, AnyBatch> = {
  metrics: [{ series, value: 1, time: Date.now() }],
  alerts: [
    {
      fingerprint: 'f',
      service: 'svc',
      rule: 'r',
      level: 'error',
      previousLevel: 'info',
      value: 1,
      threshold: 0.5,
      startsAt: Date.now(),
      state: 'firing',
      labels: {},
      time: Date.now(),
    } satisfies HealthEvent,
  ],
};

/** Handles that keep a process alive, counted by kind: what a component must not leave behind. */
function liveHandles(): Map<string, number> {
  const counts = new Map<string, number>();
  for (const kind of process.getActiveResourcesInfo()) counts.set(kind, (counts.get(kind) ?? 0) + 1);
  return counts;
}

/** Open file descriptors: kept-open /proc files do not show up as handles. */
function openFds(): number {
  return readdirSync('/proc/self/fd').length;
}

/** Handles of each kind beyond those open before the component was created. */
function leftOpen(before: Map<string, number>, after: Map<string, number>): string[] {
  return [...after].filter(([kind, count]) => count > (before.get(kind) ?? 0)).map(([kind]) => kind);
}

async function settle(): Promise<void> {
  await new Promise((resolve) => setTimeout(resolve, 250));
}

function configOf(factory: AnyFactory): unknown {
  return factory.schema.parse(MINIMAL[`${factory.kind}:${factory.type}`] ?? {});
}

describe.each(factories.map((factory) => [`${factory.kind} ${factory.type}`, factory] as const))(
  'lifecycle of %s',
  (_name, factory) => {
    it('creates from its default config, runs, and leaves no handle open when stopped', async () => {
      const before = liveHandles();
      const fdsBefore = openFds();
      const context = createTestContext({ id: factory.type, scheduler: asyncScheduler });
      const config = configOf(factory);
      if (factory.kind === 'receiver') {
        const batches: AnyBatch[] = [];
        const subscription = (factory as ReceiverFactory).create(config, context).subscribe((batch) => batches.push(batch));
        await settle();
        subscription.unsubscribe();
      } else if (factory.kind === 'processor') {
        const processor = factory as ProcessorFactory;
        const input = new Subject<AnyBatch>();
        const subscription = input.pipe(processor.create(config, context) as never).subscribe();
        input.next(SAMPLES[processor.input]);
        await settle();
        subscription.unsubscribe();
      } else if (factory.kind === 'extension') {
        // A server extension (http) listens on a free port, not on its default one.
        const endpoint = `127.0.0.1:${await freePort()}`;
        const extensionConfig = factory.schema.safeParse({ endpoint }).success ? factory.schema.parse({ endpoint }) : config;
        const extension = (factory as ExtensionFactory).create(extensionConfig, { ...context, components: context.statuses, history: EMPTY_HISTORY });
        await extension.start();
        await settle();
        await extension.shutdown();
      } else {
        const exporterFactory = factory as ExporterFactory;
        const exporter = exporterFactory.create(config, context);
        for (const signal of exporterFactory.signals) await exporter.consume(SAMPLES[signal] as never, signal as never);
        await exporter.flush();
        await exporter.shutdown();
      }
      context.store.close();
      await settle();
      expect(leftOpen(before, liveHandles())).toEqual([]);
      expect(openFds()).toBeLessThanOrEqual(fdsBefore);
    });
  },
);

it('covers every built-in kind', () => {
  const kinds = new Set(factories.map((factory) => factory.kind));
  expect([...kinds].sort()).toEqual(['exporter', 'extension', 'processor', 'receiver']);
});

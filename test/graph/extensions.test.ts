import { z } from 'zod';
import { describe, expect, it } from 'vitest';
import { defineExporter } from '../../src/component/define.js';
import { Graph } from '../../src/graph/graph.js';
import { loadConfigFromSources, type ResolvedConfig } from '../../src/config/index.js';
import { HealthpipeError } from '../../src/errors.js';
import { ComponentStatusBoard } from '../../src/runtime/status-board.js';
import { JsonLogger, MemoryLogSink } from '../../src/telemetry/logger.js';
import { openStore } from '../../src/storage/index.js';
import { createTestContext } from '../helpers/context.js';
import { Deliveries, fakeRegistry } from '../helpers/fakes.js';
import { beaconExtension, ExtensionLog } from '../helpers/test-extension.js';
import { SteppingScheduler } from '../helpers/virtual-time.js';

/** An exporter with a start of its own, so the order of starts can be seen. */
function startingExporter(deliveries: Deliveries) {
  return defineExporter({
    type: 'starter',
    description: 'test: records its start',
    signals: ['metrics'],
    schema: z.strictObject({}),
    create(_config, context) {
      return {
        async start() {
          deliveries.lifecycle.push(`start ${context.id}`);
        },
        consume: () => undefined,
        flush: async () => undefined,
        shutdown: async () => {
          deliveries.lifecycle.push(`shutdown ${context.id}`);
        },
      };
    },
  });
}

function setup() {
  const scheduler = new SteppingScheduler();
  const deliveries = new Deliveries();
  const log = new ExtensionLog(deliveries.lifecycle);
  const registry = fakeRegistry(deliveries);
  registry.add(beaconExtension(log));
  registry.add(startingExporter(deliveries));
  const store = openStore(':memory:');
  const board = new ComponentStatusBoard(() => scheduler.now());
  const graph = new Graph({
    scheduler,
    logger: new JsonLogger({ level: 'debug', sink: new MemoryLogSink(), now: () => scheduler.now() }),
    contextFor: (id) => createTestContext({ id, scheduler, store }),
    statuses: () => board,
  });
  const config = (text: string): ResolvedConfig => {
    const result = loadConfigFromSources([{ name: 'pipeline.yaml', text }], registry, {});
    if (!result.ok) throw new Error(JSON.stringify(result.problems));
    return result.config;
  };
  const state = (id: string) => board.list().find((status) => status.id === id);
  return { scheduler, deliveries, log, graph, config, board, state };
}

function pipeline(extensions: Record<string, string>): string {
  const ids = Object.keys(extensions);
  return `
receivers:
  ticker: { interval: 1s }
processors:
  count: {}
exporters:
  memory: {}
  starter: {}
${ids.length === 0 ? '' : `extensions:\n${ids.map((id) => `  ${id}: ${extensions[id]}`).join('\n')}`}
service:
  extensions: [${ids.join(', ')}]
  pipelines:
    metrics: { receivers: [ticker], processors: [count], exporters: [memory, starter] }
`;
}

async function rejection(promise: Promise<unknown>): Promise<HealthpipeError> {
  const error: unknown = await promise.then(
    () => undefined,
    (rejected: unknown) => rejected,
  );
  expect(error).toBeInstanceOf(HealthpipeError);
  return error as HealthpipeError;
}

const never = new Promise<void>(() => undefined);

describe('extensions in the graph', () => {
  it('are made with an extension context and started before any exporter starts or receiver runs', async () => {
    const { deliveries, log, graph, config, scheduler } = setup();
    await graph.apply(config(pipeline({ beacon: '{}', 'beacon/b': '{}' })));
    const events = deliveries.lifecycle;
    // In the order service.extensions lists them, one after the other, then the exporters.
    expect(events.filter((event) => event.startsWith('start'))).toEqual(['start beacon', 'start beacon/b', 'start starter']);
    expect(events.indexOf('start beacon/b')).toBeLessThan(events.indexOf('start starter'));
    const context = log.contexts.get('beacon')!;
    expect(context.history.available()).toBe(false);
    expect(context.components.list().map((status) => `${status.kind} ${status.id} ${status.state}`)).toEqual([
      'receiver ticker running',
      'processor metrics/count running',
      'exporter memory running',
      'exporter starter running',
      'extension beacon running',
      'extension beacon/b running',
    ]);
    scheduler.advanceTo(1000);
    expect(deliveries.values('memory')).toEqual([1, 2]);
    await graph.stop(never);
  });

  it('are shut down after the pipelines flushed and the exporters shut down, the last started first', async () => {
    const { deliveries, graph, config, scheduler, state } = setup();
    await graph.apply(config(pipeline({ beacon: '{}', 'beacon/b': '{}' })));
    scheduler.advanceTo(1000);
    deliveries.lifecycle.length = 0;
    expect(await graph.stop(never)).toBe(true);
    // The count processor's flush on complete (-1) reached the exporter before anything shut down.
    expect(deliveries.values('memory')).toEqual([1, 2, -1]);
    expect(deliveries.lifecycle).toEqual(['flush memory', 'shutdown memory', 'shutdown starter', 'shutdown beacon/b', 'shutdown beacon']);
    expect(state('beacon')?.state).toBe('stopped');
  });

  it('shut down within the deadline even when an exporter hangs', async () => {
    const { deliveries, graph, config } = setup();
    await graph.apply(config(pipeline({ beacon: '{}' }).replace('memory: {}', 'memory: { slow: true }')));
    // A batch the slow exporter never finishes with.
    const scheduler = (graph as unknown as { services: { scheduler: SteppingScheduler } }).services.scheduler;
    scheduler.advanceTo(0);
    expect(await graph.stop(Promise.resolve())).toBe(false);
    expect(deliveries.lifecycle).toContain('shutdown beacon');
  });

  it('stop the start when one refuses, naming it and the reason; nothing else starts, and it is shut down', async () => {
    const { deliveries, graph, config, scheduler, state } = setup();
    const error = await rejection(graph.apply(config(pipeline({ beacon: '{}', 'beacon/b': '{ refuse_start: true }' }))));
    expect(error.code).toBe('COMPONENT_START');
    expect(error.message).toBe('extension beacon/b could not start: cannot listen on 127.0.0.1:13133: address already in use');
    // The exporters were made but never started; every extension made is shut down, the refused one too.
    expect(deliveries.lifecycle.filter((event) => !event.startsWith('create'))).toEqual([
      'start beacon',
      'start beacon/b',
      'shutdown memory',
      'shutdown starter',
      'shutdown beacon/b',
      'shutdown beacon',
    ]);
    expect(deliveries.lifecycle).not.toContain('start starter');
    scheduler.advanceTo(3000);
    expect(deliveries.values('memory')).toEqual([]);
    expect(state('beacon/b')).toMatchObject({
      state: 'failed',
      lastError: { message: 'extension beacon/b could not start: cannot listen on 127.0.0.1:13133: address already in use' },
    });
    expect(state('beacon')).toBeUndefined();
  });

  it('fail a reload that adds one that refuses, and the running graph goes on', async () => {
    const { deliveries, graph, config, scheduler } = setup();
    await graph.apply(config(pipeline({ beacon: '{}' })));
    scheduler.advanceTo(1000);
    const error = await rejection(graph.apply(config(pipeline({ beacon: '{}', 'beacon/b': '{ refuse_start: true }' }))));
    expect(error.message).toBe('extension beacon/b could not start: cannot listen on 127.0.0.1:13133: address already in use');
    expect(deliveries.lifecycle).toContain('shutdown beacon/b');
    expect(deliveries.lifecycle).not.toContain('shutdown beacon');
    scheduler.advanceTo(3000);
    expect(deliveries.values('memory')).toEqual([1, 2, 3, 4]);
    await graph.stop(never);
  });

  it('keep an unchanged one running and replace a changed one (old shut down first) on a reload', async () => {
    const { deliveries, graph, config, state } = setup();
    await graph.apply(config(pipeline({ beacon: '{}', 'beacon/b': '{}' })));
    deliveries.lifecycle.length = 0;
    await graph.apply(config(pipeline({ beacon: '{ label: v2 }', 'beacon/b': '{}' })));
    expect(deliveries.lifecycle).toEqual(['shutdown beacon', 'create beacon v2', 'start beacon v2']);
    expect(state('beacon')?.state).toBe('running');
    deliveries.lifecycle.length = 0;
    await graph.apply(config(pipeline({ beacon: '{ label: v2 }' })));
    expect(deliveries.lifecycle).toEqual(['shutdown beacon/b']);
    expect(state('beacon/b')).toBeUndefined();
    await graph.stop(never);
  });

  it('start the previous config again when a changed one refuses to start, and fail the reload', async () => {
    const { deliveries, graph, config, state } = setup();
    await graph.apply(config(pipeline({ beacon: '{}' })));
    deliveries.lifecycle.length = 0;
    const error = await rejection(graph.apply(config(pipeline({ beacon: '{ label: v2, refuse_start: true }' }))));
    expect(error.message).toBe('extension beacon could not start: cannot listen on 127.0.0.1:13133: address already in use');
    expect(deliveries.lifecycle).toEqual(['shutdown beacon', 'create beacon v2', 'start beacon v2', 'shutdown beacon v2', 'create beacon', 'start beacon']);
    expect(state('beacon')).toMatchObject({ state: 'running', lastError: { message: error.message } });
    // The next reload with the same new config tries it again.
    deliveries.lifecycle.length = 0;
    await rejection(graph.apply(config(pipeline({ beacon: '{ label: v2, refuse_start: true }' }))));
    expect(deliveries.lifecycle).toContain('start beacon v2');
    await graph.stop(never);
  });
});

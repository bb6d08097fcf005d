import { z } from 'zod';
import { describe, expect, it } from 'vitest';
import { defineExporter } from '../../src/component/define.js';
import { Graph } from '../../src/graph/graph.js';
import { loadConfigFromSources, type ResolvedConfig } from '../../src/config/index.js';
import { HealthpipeError } from '../../src/errors.js';
import type { MetricBatch } from '../../src/model/point.js';
import { JsonLogger, MemoryLogSink } from '../../src/telemetry/logger.js';
import { openStore } from '../../src/storage/index.js';
import { createTestContext } from '../helpers/context.js';
import { Deliveries, fakeRegistry } from '../helpers/fakes.js';
import { SteppingScheduler } from '../helpers/virtual-time.js';

/** Ports held by the `listener` exporters, as the kernel would hold them. */
class Ports {
  readonly held = new Set<number>();
  /** Starts that wait for the test: resolve one to let its exporter finish starting. */
  readonly gates: Array<() => void> = [];
  gated = false;
}

/** An exporter that binds a port in start() as a server would, and lets it go in shutdown(). */
function listenerExporter(ports: Ports, log: string[]) {
  return defineExporter({
    type: 'listener',
    description: 'test: holds a port from start to shutdown',
    signals: ['metrics'],
    schema: z.strictObject({ port: z.number() }),
    create(config, context) {
      let bound = false;
      return {
        async start() {
          if (ports.gated) await new Promise<void>((resolve) => ports.gates.push(resolve));
          if (ports.held.has(config.port)) throw new Error(`cannot listen on 127.0.0.1:${config.port}: address already in use`);
          ports.held.add(config.port);
          bound = true;
          log.push(`start ${context.id} :${config.port}`);
        },
        consume(batch: MetricBatch) {
          log.push(`${context.id} :${config.port} got ${batch.map((point) => point.value).join(',')}`);
        },
        async flush() {},
        async shutdown() {
          if (bound) ports.held.delete(config.port);
          bound = false;
          log.push(`shutdown ${context.id} :${config.port}`);
        },
      };
    },
  });
}

function setup() {
  const scheduler = new SteppingScheduler();
  const deliveries = new Deliveries();
  const ports = new Ports();
  const log: string[] = [];
  const registry = fakeRegistry(deliveries);
  registry.add(listenerExporter(ports, log));
  const store = openStore(':memory:');
  const graph = new Graph({
    scheduler,
    logger: new JsonLogger({ level: 'debug', sink: new MemoryLogSink(), now: () => scheduler.now() }),
    contextFor: (id) => createTestContext({ id, scheduler, store }),
  });
  const config = (exporters: Record<string, number>): ResolvedConfig => {
    const ids = Object.keys(exporters);
    const text = `
receivers:
  ticker: { interval: 1s }
exporters:
${ids.map((id) => `  ${id}: { port: ${exporters[id]} }`).join('\n')}
service:
  pipelines:
    metrics: { receivers: [ticker], exporters: [${ids.join(', ')}] }
`;
    const result = loadConfigFromSources([{ name: 'pipeline.yaml', text }], registry, {});
    if (!result.ok) throw new Error(JSON.stringify(result.problems));
    return result.config;
  };
  return { scheduler, deliveries, ports, log, graph, config };
}

async function rejection(apply: Promise<void>): Promise<HealthpipeError> {
  const error: unknown = await apply.then(
    () => undefined,
    (rejected: unknown) => rejected,
  );
  expect(error).toBeInstanceOf(HealthpipeError);
  return error as HealthpipeError;
}

async function settled(promise: Promise<unknown>): Promise<boolean> {
  let done = false;
  promise.then(
    () => (done = true),
    () => (done = true),
  );
  for (let turn = 0; turn < 5; turn += 1) await new Promise((resolve) => setImmediate(resolve));
  return done;
}

describe('an exporter with an asynchronous start', () => {
  it('is started before any receiver runs: the apply waits for it', async () => {
    const { scheduler, ports, log, graph, config } = setup();
    ports.gated = true;
    const apply = graph.apply(config({ listener: 9464 }));
    expect(await settled(apply)).toBe(false);
    scheduler.advanceTo(3000);
    expect(log).toEqual([]);
    ports.gates.shift()!();
    await apply;
    scheduler.advanceTo(4000);
    expect(log.slice(0, 3)).toEqual(['start listener :9464', 'listener :9464 got 1', 'listener :9464 got 2']);
  });

  it('that fails stops the start with a message naming the exporter and the address; the others are shut down', async () => {
    const { scheduler, ports, log, graph, config, deliveries } = setup();
    ports.held.add(9464);
    const error = await rejection(graph.apply(config({ 'listener/a': 9465, 'listener/b': 9464 })));
    expect(error.code).toBe('COMPONENT_START');
    expect(error.message).toBe('exporter listener/b could not start: cannot listen on 127.0.0.1:9464: address already in use');
    expect(log).toEqual(['start listener/a :9465', 'shutdown listener/a :9465', 'shutdown listener/b :9464']);
    scheduler.advanceTo(2000);
    // The receiver was made (cold) but never subscribed: nothing ticked.
    expect(deliveries.lifecycle).toEqual(['create ticker']);
    expect(ports.held).toEqual(new Set([9464]));
  });

  it('fails a reload that adds it on a busy port, and the running pipeline goes on as it was', async () => {
    const { scheduler, ports, log, graph, config } = setup();
    await graph.apply(config({ 'listener/a': 9465 }));
    scheduler.advanceTo(1000);
    ports.held.add(9464);
    const error = await rejection(graph.apply(config({ 'listener/a': 9465, 'listener/b': 9464 })));
    expect(error.message).toBe('exporter listener/b could not start: cannot listen on 127.0.0.1:9464: address already in use');
    scheduler.advanceTo(2000);
    expect(log).toEqual([
      'start listener/a :9465',
      'listener/a :9465 got 1',
      'listener/a :9465 got 2',
      'shutdown listener/b :9464',
      'listener/a :9465 got 3',
    ]);
  });

  it('moved by a reload to a busy port runs on where it was, and the reload says why', async () => {
    const { scheduler, ports, log, graph, config } = setup();
    await graph.apply(config({ listener: 9465 }));
    scheduler.advanceTo(0);
    ports.held.add(9464);
    const error = await rejection(graph.apply(config({ listener: 9464 })));
    expect(error.message).toBe('exporter listener could not start: cannot listen on 127.0.0.1:9464: address already in use');
    scheduler.advanceTo(1000);
    expect(log).toEqual([
      'start listener :9465',
      'listener :9465 got 1',
      'shutdown listener :9465',
      'shutdown listener :9464',
      'start listener :9465',
      'listener :9465 got 2',
    ]);
    // Once the port is free, the same reload moves it.
    ports.held.delete(9464);
    log.length = 0;
    await graph.apply(config({ listener: 9464 }));
    scheduler.advanceTo(2000);
    expect(log).toEqual(['shutdown listener :9465', 'start listener :9464', 'listener :9464 got 3']);
  });
});

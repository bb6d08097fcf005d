import { z } from 'zod';
import { Observable } from 'rxjs';
import { describe, expect, it } from 'vitest';
import { defineProcessor, defineReceiver } from '../../src/component/define.js';
import type { MetricBatch } from '../../src/model/point.js';
import { Graph } from '../../src/graph/graph.js';
import { loadConfigFromSources, type ResolvedConfig } from '../../src/config/index.js';
import { HealthpipeError } from '../../src/errors.js';
import { JsonLogger, MemoryLogSink } from '../../src/telemetry/logger.js';
import { openStore } from '../../src/storage/index.js';
import { createTestContext } from '../helpers/context.js';
import { Deliveries, fakeRegistry } from '../helpers/fakes.js';
import { SteppingScheduler } from '../helpers/virtual-time.js';

/** A processor as a plugin with a bug writes it: create() throws, or its operator fails as it is subscribed. */
const brokenProcessor = defineProcessor({
  type: 'broken',
  description: 'test: fails to start',
  input: 'metrics',
  output: 'metrics',
  schema: z.strictObject({ when: z.enum(['create', 'subscribe']) }),
  create(config) {
    if (config.when === 'create') throw new RangeError('size must be a positive number of ms, got Infinity');
    return () => new Observable<MetricBatch>((subscriber) => subscriber.error(new Error('cannot subscribe')));
  },
});

const brokenReceiver = defineReceiver({
  type: 'broken',
  description: 'test: create() throws',
  schema: z.strictObject({}),
  create(): Observable<MetricBatch> {
    throw new Error('no such device');
  },
});

function setup() {
  const scheduler = new SteppingScheduler();
  const deliveries = new Deliveries();
  const registry = fakeRegistry(deliveries);
  registry.add(brokenProcessor);
  registry.add(brokenReceiver);
  const store = openStore(':memory:');
  const graph = new Graph({
    scheduler,
    logger: new JsonLogger({ level: 'debug', sink: new MemoryLogSink(), now: () => scheduler.now() }),
    contextFor: (id) => createTestContext({ id, scheduler, store }),
  });
  const config = (text: string): ResolvedConfig => {
    const result = loadConfigFromSources([{ name: 'pipeline.yaml', text }], registry, {});
    if (!result.ok) throw new Error(JSON.stringify(result.problems));
    return result.config;
  };
  return { scheduler, deliveries, graph, config };
}

const PROCESSORS: Record<string, string> = {
  count: '{}',
  'broken/at-create': '{ when: create }',
  'broken/at-subscribe': '{ when: subscribe }',
};

function pipeline(processors: string, receiver = 'ticker'): string {
  const defined = processors.split(', ').map((id) => `  ${id}: ${PROCESSORS[id]}`);
  return `
receivers:
  ${receiver}: {}
processors:
${defined.join('\n')}
exporters:
  memory: {}
service:
  pipelines:
    metrics:
      receivers: [${receiver}]
      processors: [${processors}]
      exporters: [memory]
`;
}

async function failure(apply: Promise<void>): Promise<HealthpipeError> {
  const error: unknown = await apply.then(
    () => undefined,
    (rejected: unknown) => rejected,
  );
  expect(error).toBeInstanceOf(HealthpipeError);
  return error as HealthpipeError;
}

describe('a pipeline that cannot start', () => {
  it('fails the start with the reason when a processor cannot be created, and starts nothing', async () => {
    const { graph, deliveries, config } = setup();
    const error = await failure(graph.apply(config(pipeline('count, broken/at-create'))));
    expect(error.code).toBe('COMPONENT_CREATE');
    expect(error.message).toBe(
      'pipeline metrics: processor broken/at-create could not be created: size must be a positive number of ms, got Infinity',
    );
    // The exporter made for it was shut down again; the receiver was never made.
    expect(deliveries.lifecycle).toEqual(['create memory', 'shutdown memory']);
  });

  it('fails the start when a processor errors as the pipeline subscribes', async () => {
    const { graph, config } = setup();
    const error = await failure(graph.apply(config(pipeline('broken/at-subscribe'))));
    expect(error.message).toBe('pipeline metrics failed as it started: cannot subscribe');
  });

  it('fails the start when a receiver cannot be created', async () => {
    const { graph, config } = setup();
    const error = await failure(graph.apply(config(pipeline('count', 'broken'))));
    expect(error.message).toBe('receiver broken could not be created: no such device');
  });

  it('fails a reload with the reason and keeps the running pipeline as it was', async () => {
    const { graph, deliveries, scheduler, config } = setup();
    await graph.apply(config(pipeline('count')));
    scheduler.advanceTo(1000);
    expect(deliveries.values('memory')).toEqual([1, 2]);
    const error = await failure(graph.apply(config(pipeline('count, broken/at-create'))));
    expect(error.message).toContain('processor broken/at-create could not be created');
    scheduler.advanceTo(3000);
    // The same count processor instance goes on counting: nothing was stopped or replaced.
    expect(deliveries.values('memory')).toEqual([1, 2, 3, 4]);
    expect(await graph.stop(new Promise<void>(() => undefined))).toBe(true);
    expect(deliveries.values('memory')).toEqual([1, 2, 3, 4, -1]);
  });
});

import { z } from 'zod';
import { describe, expect, it } from 'vitest';
import { defineExporter } from '../../src/component/define.js';
import { Graph } from '../../src/graph/graph.js';
import { loadConfigFromSources, type ResolvedConfig } from '../../src/config/index.js';
import { HealthpipeError } from '../../src/errors.js';
import type { MetricBatch } from '../../src/model/point.js';
import { JsonLogger, MemoryLogSink } from '../../src/telemetry/logger.js';
import { openStore } from '../../src/storage/index.js';
import { createTestContext, type TestContext } from '../helpers/context.js';
import { Deliveries, fakeRegistry } from '../helpers/fakes.js';
import { SteppingScheduler } from '../helpers/virtual-time.js';

/** An exporter whose create() can be made to fail, and which tells a consume after its shutdown. */
function flakyExporter(log: string[], control: { refuse: number }) {
  let made = 0;
  return defineExporter({
    type: 'flaky',
    description: 'test: create() fails while control.refuse > 0',
    signals: ['metrics'],
    schema: z.strictObject({ label: z.string() }),
    create(config) {
      if (control.refuse > 0) {
        control.refuse -= 1;
        log.push(`refused ${config.label}`);
        throw new Error('cannot open the destination');
      }
      made += 1;
      const instance = `#${made} ${config.label}`;
      let shut = false;
      log.push(`create ${instance}`);
      return {
        consume(batch: MetricBatch) {
          log.push(`${shut ? 'AFTER SHUTDOWN ' : ''}${instance} got ${batch.map((point) => point.value).join(',')}`);
        },
        async flush() {},
        async shutdown() {
          shut = true;
          log.push(`shutdown ${instance}`);
        },
      };
    },
  });
}

function setup() {
  const scheduler = new SteppingScheduler();
  const deliveries = new Deliveries();
  const log: string[] = [];
  const control = { refuse: 0 };
  const registry = fakeRegistry(deliveries);
  registry.add(flakyExporter(log, control));
  const logs = new MemoryLogSink();
  const store = openStore(':memory:');
  const contexts = new Map<string, TestContext>();
  const retired: string[] = [];
  const graph = new Graph({
    scheduler,
    logger: new JsonLogger({ level: 'debug', sink: logs, now: () => scheduler.now() }),
    contextFor: (id, _kind, pipeline) => {
      const scoped = pipeline === undefined ? id : `${pipeline}/${id}`;
      const context = contexts.get(scoped) ?? createTestContext({ id, scheduler, store });
      contexts.set(scoped, context);
      return context;
    },
    retire: (id, kind, pipeline) => retired.push(`${kind} ${pipeline === undefined ? '' : `${pipeline}/`}${id}`),
  });
  const config = (text: string): ResolvedConfig => {
    const result = loadConfigFromSources([{ name: 'pipeline.yaml', text }], registry, {});
    if (!result.ok) throw new Error(JSON.stringify(result.problems));
    return result.config;
  };
  return { scheduler, deliveries, log, control, logs, graph, config, contexts, retired };
}

/** Lets every promise that can settle now settle (a few macrotask turns). */
async function settle(): Promise<void> {
  for (let turn = 0; turn < 5; turn += 1) await new Promise((resolve) => setImmediate(resolve));
}

/** Whether `promise` has settled once everything that can run now has run. */
async function settled(promise: Promise<unknown>): Promise<boolean> {
  let done = false;
  promise.then(
    () => (done = true),
    () => (done = true),
  );
  await settle();
  return done;
}

const neverEnding = new Promise<void>(() => undefined);

function flakyPipeline(label: string): string {
  return `
receivers:
  ticker: { interval: 1s }
exporters:
  flaky: { label: ${label} }
service:
  pipelines:
    metrics: { receivers: [ticker], exporters: [flaky] }
`;
}

describe('(a) a changed exporter that cannot be made on a reload', () => {
  it('runs on with its previous configuration, never with the exporter it shut down, and the same reload retries', async () => {
    const { scheduler, log, control, graph, config } = setup();
    await graph.apply(config(flakyPipeline('a')));
    scheduler.advanceTo(1000);

    control.refuse = 1;
    const error = await graph.apply(config(flakyPipeline('b'))).catch((rejected: unknown) => rejected);
    expect(error).toBeInstanceOf(HealthpipeError);
    expect((error as HealthpipeError).message).toBe('exporter flaky could not be created: cannot open the destination');
    scheduler.advanceTo(2000);
    expect(log).toEqual(['create #1 a', '#1 a got 1', '#1 a got 2', 'shutdown #1 a', 'refused b', 'create #2 a', '#2 a got 3']);

    // The new configuration was not recorded as applied: the same reload tries again.
    log.length = 0;
    await graph.apply(config(flakyPipeline('b')));
    scheduler.advanceTo(3000);
    expect(log).toEqual(['shutdown #2 a', 'create #3 b', '#3 b got 4']);
  });

  it('holds what comes while neither configuration can make one, and hands it to the one a later reload makes', async () => {
    const { scheduler, log, control, graph, config, logs } = setup();
    await graph.apply(config(flakyPipeline('a')));
    scheduler.advanceTo(0);
    control.refuse = 2;
    await expect(graph.apply(config(flakyPipeline('b')))).rejects.toThrow('cannot open the destination');
    scheduler.advanceTo(2000);
    expect(log).toEqual(['create #1 a', '#1 a got 1', 'shutdown #1 a', 'refused b', 'refused a']);
    expect(logs.records().map((record) => record.message)).toContain(
      'exporter is missing: what it should get waits in its queue until a reload makes it',
    );

    log.length = 0;
    await graph.apply(config(flakyPipeline('b')));
    expect(log).toEqual(['create #2 b', '#2 b got 2', '#2 b got 3']);
  });
});

const SLOW_EXPORTER = `
receivers:
  ticker: { interval: 1s }
processors:
  count: { offset: OFFSET }
exporters:
  memory: { slow: SLOW, label: LABEL }
service:
  shutdown_timeout: 5s
  pipelines:
    metrics: { receivers: [ticker], processors: [count], exporters: [memory] }
`;

function slowExporter(options: { slow: boolean; label: string; offset?: number }): string {
  return SLOW_EXPORTER.replace('SLOW', String(options.slow))
    .replace('LABEL', options.label)
    .replace('OFFSET', String(options.offset ?? 0));
}

describe('(b) a reload that waits on a hung exporter', () => {
  it('waits at most shutdown_timeout, then abandons it and goes on with the new one', async () => {
    const { scheduler, deliveries, graph, config, contexts } = setup();
    await graph.apply(config(slowExporter({ slow: true, label: 'a' })));
    scheduler.advanceTo(0);
    const reload = graph.apply(config(slowExporter({ slow: false, label: 'b' })));
    expect(await settled(reload)).toBe(false);
    scheduler.advanceTo(4000);
    expect(await settled(reload)).toBe(false);
    scheduler.advanceTo(5000);
    expect(await settled(reload)).toBe(true);
    // Batch 1 went down with the hung exporter; what came meanwhile went to the new one.
    expect(deliveries.values('memory')).toEqual([1, 2, 3, 4, 5, 6]);
    expect(deliveries.lifecycle).toEqual(['create memory', 'create ticker', 'shutdown memory', 'create memory']);
    expect(contexts.get('memory')!.logs.records().map((record) => record.message)).toContain(
      'exporter did not finish in time for its replacement: abandoned, with the batch it held',
    );
  });

  it('is cut short by a stop, which then flushes within its own deadline', async () => {
    const { scheduler, deliveries, graph, config } = setup();
    await graph.apply(config(slowExporter({ slow: true, label: 'a' })));
    scheduler.advanceTo(2000);
    const reload = graph.apply(config(slowExporter({ slow: false, label: 'b' })));
    expect(await settled(reload)).toBe(false);
    // No virtual time passes: the stop alone ends the reload's wait.
    const stopped = graph.stop(neverEnding);
    expect(await settled(stopped)).toBe(true);
    expect(await stopped).toBe(true);
    await reload;
    // The new exporter got what waited (2, 3) and the processor's flush (-1), then shut down.
    expect(deliveries.values('memory')).toEqual([1, 2, 3, -1]);
    expect(deliveries.lifecycle.slice(-4)).toEqual(['shutdown memory', 'create memory', 'flush memory', 'shutdown memory']);
  });

  it('does nothing when applied after a stop', async () => {
    const { deliveries, graph, config } = setup();
    await graph.stop(neverEnding);
    await graph.apply(config(slowExporter({ slow: false, label: 'a' })));
    expect(deliveries.lifecycle).toEqual([]);
  });
});

describe('(c) batches that arrive while a reload restarts a pipeline', () => {
  it('reach the new pipeline: none falls between the old one and the new', async () => {
    const { scheduler, deliveries, graph, config } = setup();
    await graph.apply(config(slowExporter({ slow: true, label: 'a' })));
    scheduler.advanceTo(0);
    // The processor and the exporter change: the reload waits on the old exporter's batch.
    const reload = graph.apply(config(slowExporter({ slow: false, label: 'b', offset: 100 })));
    expect(await settled(reload)).toBe(false);
    scheduler.advanceTo(2000);
    deliveries.pending.shift()!();
    await reload;
    scheduler.advanceTo(3000);
    // 1 went to the old exporter; the old pipeline's flush (-1), then every tick since.
    expect(deliveries.values('memory')).toEqual([1, -1, 101, 102, 103]);
  });
});

const EXPORTERS = (list: string) => `
receivers:
  ticker: { interval: 1s }
processors:
  count: {}
exporters:
${list
  .split(', ')
  .map((id) => `  ${id}: {}`)
  .join('\n')}
service:
  pipelines:
    metrics: { receivers: [ticker], processors: [count], exporters: [${list}] }
`;

describe('(d) a reload that changes only where a pipeline sends', () => {
  it('keeps the processors and their state, and sends to the new exporters from the next batch', async () => {
    const { scheduler, deliveries, graph, config, retired } = setup();
    await graph.apply(config(EXPORTERS('memory/a')));
    scheduler.advanceTo(2000);
    await graph.apply(config(EXPORTERS('memory/a, memory/b')));
    scheduler.advanceTo(3000);
    await graph.apply(config(EXPORTERS('memory/b')));
    scheduler.advanceTo(4000);
    // One count the whole time: no flush (-1), no restart from 1.
    expect(deliveries.values('memory/a')).toEqual([1, 2, 3, 4]);
    expect(deliveries.values('memory/b')).toEqual([4, 5]);
    expect(retired).toEqual(['exporter memory/a']);
  });
});

describe('(f) a reload that changes service.exporter_queue_size', () => {
  it('applies the new bound to the running queues at once', async () => {
    const { scheduler, deliveries, graph, config, contexts } = setup();
    const text = slowExporter({ slow: true, label: 'a' }).replace('shutdown_timeout: 5s', 'exporter_queue_size: 10');
    await graph.apply(config(text));
    scheduler.advanceTo(5000);
    const telemetry = contexts.get('memory')!.telemetry;
    expect(telemetry.counts.dropped).toBe(0);
    expect(telemetry.queueSizes.get('metrics')).toBe(5);
    await graph.apply(config(text.replace('exporter_queue_size: 10', 'exporter_queue_size: 2')));
    expect(telemetry.counts.dropped).toBe(3);
    expect(telemetry.queueSizes.get('metrics')).toBe(2);
    expect(deliveries.lifecycle).toEqual(['create memory', 'create ticker']);
  });
});

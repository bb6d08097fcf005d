import { describe, expect, it } from 'vitest';
import { Graph } from '../../src/graph/graph.js';
import { loadConfigFromSources, type ResolvedConfig } from '../../src/config/index.js';
import { JsonLogger, MemoryLogSink } from '../../src/telemetry/logger.js';
import { openStore } from '../../src/storage/index.js';
import { createTestContext, type TestContext } from '../helpers/context.js';
import { Deliveries, fakeRegistry } from '../helpers/fakes.js';
import { SteppingScheduler } from '../helpers/virtual-time.js';
import type { HealthEvent } from '../../src/model/event.js';

function config(text: string, deliveries: Deliveries): ResolvedConfig {
  const result = loadConfigFromSources([{ name: 'pipeline.yaml', text }], fakeRegistry(deliveries), {});
  if (!result.ok) throw new Error(JSON.stringify(result.problems));
  return result.config;
}

function setup() {
  const scheduler = new SteppingScheduler();
  const deliveries = new Deliveries();
  const logs = new MemoryLogSink();
  const store = openStore(':memory:');
  const contexts = new Map<string, TestContext>();
  const retired: string[] = [];
  const graph = new Graph({
    retire: (id, kind, pipeline) => retired.push(`${kind} ${pipeline === undefined ? '' : `${pipeline}/`}${id}`),
    scheduler,
    logger: new JsonLogger({ level: 'debug', sink: logs, now: () => scheduler.now() }),
    contextFor: (id, _kind, pipeline) => {
      const context = createTestContext({ id, scheduler, store });
      contexts.set(pipeline === undefined ? id : `${pipeline}/${id}`, context);
      return context;
    },
  });
  return { scheduler, deliveries, logs, graph, contexts, retired };
}

const neverEnding = new Promise<void>(() => undefined);

const TWO_EXPORTERS = `
receivers:
  ticker: { interval: 1s }
processors:
  count: {}
exporters:
  memory/fast: {}
  memory/slow: { slow: true }
service:
  pipelines:
    metrics:
      receivers: [ticker]
      processors: [count]
      exporters: [memory/fast, memory/slow]
`;

describe('Graph', () => {
  it('fans out to every exporter, and a slow exporter does not stall the others', async () => {
    const { scheduler, deliveries, graph, contexts } = setup();
    await graph.apply(config(`${TWO_EXPORTERS}  exporter_queue_size: 2\n`, deliveries));
    scheduler.advanceTo(4000);
    // The fast exporter got all five batches while the slow one still sits on its first.
    expect(deliveries.values('memory/fast')).toEqual([1, 2, 3, 4, 5]);
    expect(deliveries.values('memory/slow')).toEqual([1]);
    // Its queue holds at most two points: the two oldest waiting were dropped and counted.
    expect(contexts.get('memory/slow')!.telemetry.counts.dropped).toBe(2);
    deliveries.pending.shift()!();
    await Promise.resolve();
    expect(deliveries.values('memory/slow')).toEqual([1, 4]);
  });

  it('runs a metrics and an alerts pipeline on one shared receiver instance', async () => {
    const { scheduler, deliveries, graph } = setup();
    await graph.apply(
      config(
        `
receivers:
  ticker: { interval: 1s }
processors:
  alarm: { above: 2 }
exporters:
  memory/points: {}
  memory/alerts: {}
service:
  pipelines:
    metrics:
      receivers: [ticker]
      exporters: [memory/points]
    alerts:
      receivers: [ticker]
      processors: [alarm]
      exporters: [memory/alerts]
`,
        deliveries,
      ),
    );
    scheduler.advanceTo(3000);
    expect(deliveries.lifecycle.filter((entry) => entry === 'create ticker')).toHaveLength(1);
    expect(deliveries.values('memory/points')).toEqual([1, 2, 3, 4]);
    const events = (deliveries.batches.get('memory/alerts') ?? []).flat() as HealthEvent[];
    expect(events.map((event) => [event.rule, event.value, event.state])).toEqual([
      ['tick', 3, 'firing'],
      ['tick', 4, 'firing'],
    ]);
  });

  it('stops receivers first, flushes processors, then flushes and shuts down exporters', async () => {
    const { scheduler, deliveries, graph } = setup();
    await graph.apply(config(TWO_EXPORTERS.replace('{ slow: true }', '{}'), deliveries));
    scheduler.advanceTo(2000);
    const finished = await graph.stop(neverEnding);
    expect(finished).toBe(true);
    // -1 is the count processor's flush on complete: it reached both exporters.
    expect(deliveries.values('memory/fast')).toEqual([1, 2, 3, -1]);
    expect(deliveries.values('memory/slow')).toEqual([1, 2, 3, -1]);
    // Started in reverse topological order: exporters before the receiver.
    expect(deliveries.lifecycle.indexOf('create ticker')).toBeGreaterThan(deliveries.lifecycle.indexOf('create memory/slow'));
    for (const id of ['memory/fast', 'memory/slow']) {
      expect(deliveries.lifecycle.filter((entry) => entry.endsWith(id))).toEqual([`create ${id}`, `flush ${id}`, `shutdown ${id}`]);
    }
    scheduler.advanceTo(10_000);
    expect(deliveries.values('memory/fast')).toHaveLength(4);
  });

  it('gives up at the deadline when an exporter never finishes, after the others flushed', async () => {
    const { scheduler, deliveries, graph } = setup();
    await graph.apply(config(TWO_EXPORTERS, deliveries));
    scheduler.advanceTo(1000);
    let passDeadline: () => void = () => undefined;
    const stopped = graph.stop(new Promise<void>((resolve) => (passDeadline = resolve)));
    await new Promise((resolve) => setImmediate(resolve));
    // The fast exporter got the processor's flush (-1) and was shut down; the slow one hangs.
    expect(deliveries.values('memory/fast')).toEqual([1, 2, -1]);
    expect(deliveries.lifecycle).toContain('shutdown memory/fast');
    expect(deliveries.lifecycle).not.toContain('shutdown memory/slow');
    passDeadline();
    expect(await stopped).toBe(false);
  });

  it('counts a batch an exporter refuses as failed, and the other exporters still get it', async () => {
    const { scheduler, deliveries, graph, contexts } = setup();
    await graph.apply(config(TWO_EXPORTERS.replace('{ slow: true }', '{ refuse: true }'), deliveries));
    scheduler.advanceTo(2000);
    expect(deliveries.values('memory/fast')).toEqual([1, 2, 3]);
    expect(contexts.get('memory/slow')!.telemetry.counts.failed).toBe(3);
  });

  it('keeps the state of unchanged components across a reload and rebuilds changed ones', async () => {
    const { scheduler, deliveries, graph, retired } = setup();
    const first = TWO_EXPORTERS.replace('{ slow: true }', '{}');
    await graph.apply(config(first, deliveries));
    scheduler.advanceTo(2000);
    expect(deliveries.values('memory/fast')).toEqual([1, 2, 3]);

    // Only an exporter's config changes: the pipeline and its count keep running.
    await graph.apply(config(first.replace('memory/fast: {}', 'memory/fast: { label: x }'), deliveries));
    scheduler.advanceTo(3000);
    expect(deliveries.lifecycle).toContain('shutdown memory/fast');
    expect(deliveries.values('memory/fast')).toEqual([1, 2, 3, 4]);
    expect(deliveries.values('memory/slow')).toEqual([1, 2, 3, 4]);

    // The processor's config changes: the pipeline flushes (-1) and restarts from zero.
    await graph.apply(config(first.replace('count: {}', 'count: { offset: 100 }'), deliveries));
    scheduler.advanceTo(4000);
    expect(deliveries.values('memory/slow')).toEqual([1, 2, 3, 4, -1, 101]);
    expect(retired).toEqual(['processor metrics/count']);

    // An exporter leaves the configuration: it is flushed, shut down and retired.
    await graph.apply(config(first.replace('  memory/slow: {}\n', '').replace(', memory/slow]', ']'), deliveries));
    expect(deliveries.lifecycle.filter((entry) => entry.endsWith('memory/slow')).at(-1)).toBe('shutdown memory/slow');
    expect(retired).toContain('exporter memory/slow');
  });

  it('restarts a failing receiver and keeps the pipeline running', async () => {
    const { scheduler, deliveries, graph, logs } = setup();
    await graph.apply(
      config(TWO_EXPORTERS.replace('{ interval: 1s }', '{ interval: 1s, fail_after: 2 }').replace('{ slow: true }', '{}'), deliveries),
    );
    scheduler.advanceTo(2000);
    scheduler.advanceTo(4500);
    // Two good ticks, the failure, a restart after 1 s with two more good ticks.
    expect(deliveries.values('memory/fast')).toEqual([1, 2, 3, 4]);
    expect(logs.records().some((record) => record.message === 'receiver failed; restarting')).toBe(true);
  });
});

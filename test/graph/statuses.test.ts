import { z } from 'zod';
import { map } from 'rxjs';
import { describe, expect, it } from 'vitest';
import { defineProcessor } from '../../src/component/define.js';
import type { ComponentStatus } from '../../src/component/status.js';
import type { MetricBatch } from '../../src/model/point.js';
import { watchedGraph } from './watched-graph.js';

/** A processor that fails on one value: its pipeline fails and is restarted with fresh state. */
const fragileProcessor = defineProcessor({
  type: 'fragile',
  description: 'test: fails on one value',
  input: 'metrics',
  output: 'metrics',
  schema: z.strictObject({ fail_on: z.number() }),
  create: (config) =>
    map((batch: MetricBatch) => {
      if (batch.some((point) => point.value === config.fail_on)) throw new Error(`value ${config.fail_on} broke it`);
      return batch;
    }),
});

function setup() {
  const watched = watchedGraph(() => [fragileProcessor]);
  const changes: string[] = [];
  watched.board.changes$.subscribe((status) => changes.push(line(status)));
  return { ...watched, changes };
}

function line(status: ComponentStatus): string {
  const error = status.lastError === undefined ? '' : ` (${status.lastError.message} at ${status.lastError.time})`;
  return `${status.since} ${status.id} ${status.state} restarts=${status.restarts}${error}`;
}

const never = new Promise<void>(() => undefined);

describe('the component statuses the graph writes', () => {
  it('go starting → running for every component, and stopped at shutdown, in the stop order', async () => {
    const { graph, config, changes } = setup();
    await graph.apply(
      config(`
receivers: { ticker: { interval: 1s } }
processors: { count: {} }
exporters: { memory: {} }
extensions: { beacon: {} }
service:
  extensions: [beacon]
  pipelines:
    metrics: { receivers: [ticker], processors: [count], exporters: [memory] }
`),
    );
    expect(changes).toEqual([
      '0 beacon starting restarts=0',
      '0 memory starting restarts=0',
      '0 beacon running restarts=0',
      '0 memory running restarts=0',
      '0 ticker starting restarts=0',
      '0 metrics/count starting restarts=0',
      '0 metrics/count running restarts=0',
      '0 ticker running restarts=0',
    ]);
    changes.length = 0;
    await graph.stop(never);
    expect(changes).toEqual([
      '0 ticker stopped restarts=0',
      '0 metrics/count stopped restarts=0',
      '0 memory stopped restarts=0',
      '0 beacon stopped restarts=0',
    ]);
  });

  it('say failed with the error when a receiver errors, and count each restart', async () => {
    const { scheduler, graph, config, changes, state } = setup();
    await graph.apply(
      config(`
receivers: { ticker: { interval: 1s, fail_after: 2 } }
exporters: { memory: {} }
service:
  pipelines:
    metrics: { receivers: [ticker], exporters: [memory] }
`),
    );
    changes.length = 0;
    scheduler.advanceTo(2500);
    expect(state('ticker')).toMatchObject({ state: 'failed', since: 2000, restarts: 0, lastError: { message: 'receiver broke', time: 2000 } });
    // Restarted after its backoff (1 s), and again after it fails again.
    scheduler.advanceTo(6500);
    expect(changes).toEqual([
      '2000 ticker failed restarts=0 (receiver broke at 2000)',
      '3000 ticker running restarts=1 (receiver broke at 2000)',
      '5000 ticker failed restarts=1 (receiver broke at 5000)',
      '6000 ticker running restarts=2 (receiver broke at 5000)',
    ]);
    await graph.stop(never);
  });

  it("say failed when a pipeline's processor errors, and restarted with the pipeline", async () => {
    const { scheduler, graph, config, state } = setup();
    await graph.apply(
      config(`
receivers: { ticker: { interval: 1s } }
processors: { fragile: { fail_on: 3 } }
exporters: { memory: {} }
service:
  pipelines:
    metrics: { receivers: [ticker], processors: [fragile], exporters: [memory] }
`),
    );
    scheduler.advanceTo(2500);
    expect(state('metrics/fragile')).toMatchObject({ kind: 'processor', pipeline: 'metrics', state: 'failed', lastError: { message: 'value 3 broke it' } });
    scheduler.advanceTo(3500);
    expect(state('metrics/fragile')).toMatchObject({ state: 'running', restarts: 1 });
    expect(state('ticker')).toMatchObject({ state: 'running', restarts: 0 });
    await graph.stop(never);
  });

  it('remove what a reload removes, and keep what it keeps', async () => {
    const { graph, config, board } = setup();
    const text = (exporters: string) => `
receivers: { ticker: { interval: 1s } }
processors: { count: {} }
exporters: { ${exporters} }
service:
  pipelines:
    metrics: { receivers: [ticker], processors: [count], exporters: [${exporters.replace(/: \{\}/g, '')}] }
`;
    await graph.apply(config(text('memory: {}, memory/b: {}')));
    expect(board.list().map((status) => status.id)).toEqual(['ticker', 'metrics/count', 'memory', 'memory/b']);
    await graph.apply(config(text('memory: {}')));
    expect(board.list().map((status) => `${status.id} ${status.state}`)).toEqual(['ticker running', 'metrics/count running', 'memory running']);
    await graph.stop(never);
  });
});

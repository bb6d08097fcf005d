import type { AnyFactory } from '../../src/component/types.js';
import { Graph } from '../../src/graph/graph.js';
import { loadConfigFromSources, type ResolvedConfig } from '../../src/config/index.js';
import { ComponentStatusBoard } from '../../src/runtime/status-board.js';
import { JsonLogger, MemoryLogSink } from '../../src/telemetry/logger.js';
import { openStore } from '../../src/storage/index.js';
import { createTestContext } from '../helpers/context.js';
import { Deliveries, fakeRegistry } from '../helpers/fakes.js';
import { beaconExtension, ExtensionLog } from '../helpers/test-extension.js';
import { SteppingScheduler } from '../helpers/virtual-time.js';

/**
 * A graph in virtual time over the fake components, the `beacon` test extension and any
 * `more`, writing its component statuses on a board the test reads.
 */
export function watchedGraph(more: (deliveries: Deliveries) => AnyFactory[] = () => []) {
  const scheduler = new SteppingScheduler();
  const deliveries = new Deliveries();
  const log = new ExtensionLog(deliveries.lifecycle);
  const registry = fakeRegistry(deliveries);
  registry.add(beaconExtension(log));
  for (const factory of more(deliveries)) registry.add(factory);
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

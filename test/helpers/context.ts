import { asyncScheduler, type SchedulerLike } from 'rxjs';
import type { ComponentContext } from '../../src/component/types.js';
import type { TargetSet } from '../../src/component/targets.js';
import type { Discovery } from '../../src/component/discovery.js';
import { DiscoveryBoard } from '../../src/component/discovery-board.js';
import { discoveryOf } from './discovery.js';
import { JsonLogger, MemoryLogSink } from '../../src/telemetry/logger.js';
import { CountingTelemetry } from '../../src/telemetry/counters.js';
import { openStore, type Store } from '../../src/storage/index.js';
import type { Observable } from 'rxjs';
import { ComponentStatusBoard } from '../../src/runtime/status-board.js';
import { StoredSilenceBook } from '../../src/alerts/silence-book.js';

export interface TestContext extends ComponentContext {
  readonly telemetry: CountingTelemetry;
  readonly logs: MemoryLogSink;
  readonly store: Store;
  /** What the component reported through `status`. */
  readonly statuses: ComponentStatusBoard;
  readonly silences: StoredSilenceBook;
}

/** A component context for tests: in-memory store, logs kept in memory, counters readable. */
export function createTestContext(
  options: { id?: string; scheduler?: SchedulerLike; targets$?: Observable<TargetSet>; discovery?: Discovery; store?: Store } = {},
): TestContext {
  const scheduler = options.scheduler ?? asyncScheduler;
  const logs = new MemoryLogSink();
  const id = options.id ?? 'test';
  const store = options.store ?? openStore(':memory:');
  const statuses = new ComponentStatusBoard(() => scheduler.now());
  return {
    id,
    scheduler,
    logger: new JsonLogger({ level: 'debug', sink: logs, now: () => scheduler.now(), component: id }),
    telemetry: new CountingTelemetry(),
    storage: store.component(id),
    discovery: options.discovery ?? (options.targets$ === undefined ? new DiscoveryBoard().forComponent(id) : discoveryOf(options.targets$)),
    status: statuses.reporterFor(id, 'receiver'),
    silences: new StoredSilenceBook(store.component('healthpipe').keyed('silences'), () => scheduler.now()),
    statuses,
    logs,
    store,
  };
}

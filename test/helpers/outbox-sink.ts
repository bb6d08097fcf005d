import type { SchedulerLike } from 'rxjs';
import { DeliveryQueue } from '../../src/delivery/index.js';
import { ExporterQueue } from '../../src/graph/exporter-queue.js';
import type { ComponentStorage } from '../../src/component/storage.js';
import type { AnyBatch } from '../../src/model/signal.js';
import type { Store } from '../../src/storage/index.js';
import { CountingTelemetry } from '../../src/telemetry/counters.js';
import { JsonLogger, MemoryLogSink } from '../../src/telemetry/logger.js';

/**
 * An alert sink as src/delivery/README.md asks for one, behind the graph's idle exporter
 * queue: its `consume` only enqueues into a DeliveryQueue on the sink's own storage, so a
 * batch pushed into `queue` reaches the outbox synchronously, inside the caller's
 * transaction. Its sends never settle: what the outbox holds stays there to be read.
 */
export function outboxSink(store: Store, scheduler: SchedulerLike): { sink: ComponentStorage; queue: ExporterQueue } {
  const logger = new JsonLogger({ level: 'debug', sink: new MemoryLogSink(), now: () => scheduler.now() });
  const sink = store.component('alertmanager');
  const outbox = new DeliveryQueue<unknown>({
    storage: sink,
    scheduler,
    logger,
    telemetry: new CountingTelemetry(),
    keyOf: () => 'k',
    send: () => new Promise<void>(() => undefined),
  });
  const exporter = { consume: (batch: AnyBatch) => outbox.enqueue(batch), flush: async () => undefined, shutdown: async () => undefined };
  return { sink, queue: new ExporterQueue('alertmanager', exporter, new CountingTelemetry(), logger, 10, scheduler) };
}

import { DeliveryQueue, eventLine, pointLine } from '../../src/index.js';
import type { ComponentContext, EventBatch, Exporter, MetricBatch, Signal, SignalBatch } from '../../src/index.js';
import type { FileConfig } from './config.js';
import { RotatingFile } from './rotating-file.js';

/**
 * Metric lines the outbox may hold before further metric batches are dropped (counted):
 * points may be shed at a bound, alerts never are.
 */
export const MAX_PENDING_METRIC_LINES = 100_000;

/** One key: the file is one sequence, alerts and points in the order they came. */
const KEY = 'file';

/**
 * The `file` sink: every point and alert as a line of the console exporter's JSON, written
 * through the outbox, so a line waits in the store until the file took it (a full disk,
 * a removed directory) and is written after a restart. Lines are formatted as they come:
 * the outbox holds text, not points.
 */
export function createFileExporter(
  config: FileConfig,
  ctx: ComponentContext,
  bounds: { readonly maxPendingMetricLines?: number } = {},
): Exporter<Signal> {
  const maxPendingMetricLines = bounds.maxPendingMetricLines ?? MAX_PENDING_METRIC_LINES;
  const file = new RotatingFile(config.path, config.max_size, config.max_files);
  const outbox = new DeliveryQueue<string>({
    storage: ctx.storage,
    namespace: 'outbox',
    scheduler: ctx.scheduler,
    logger: ctx.logger,
    telemetry: ctx.telemetry,
    status: ctx.status,
    keyOf: () => KEY,
    // Nothing a file says is permanent: a full disk empties, a directory comes back.
    send: (lines) => file.write(lines.map((line) => `${line}\n`).join('')),
    maxBatch: 1_000,
  });

  return {
    consume(batch: SignalBatch[Signal], signal: Signal): void {
      if (batch.length === 0) return;
      if (signal === 'alerts') {
        outbox.enqueue((batch as EventBatch).map(eventLine));
        return;
      }
      if (outbox.pending() >= maxPendingMetricLines) {
        ctx.telemetry.dropped(batch.length, { reason: 'queue_full', signal: 'metrics' });
        ctx.logger.once('metrics-dropped', 'warn', 'the file takes nothing: metric points are dropped while lines wait', {
          path: config.path,
          waiting: maxPendingMetricLines,
        });
        return;
      }
      // A staleness marker's value means nothing: the series simply has no more lines.
      const measured = (batch as MetricBatch).filter((point) => point.stale !== true);
      if (measured.length > 0) outbox.enqueue(measured.map(pointLine));
    },

    flush: () => outbox.flush(),

    async shutdown(): Promise<void> {
      await outbox.shutdown();
      await file.close();
    },
  };
}

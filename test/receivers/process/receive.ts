import { firstValueFrom, take, toArray, type Observable } from 'rxjs';
import { expect } from 'vitest';
import type { TargetSet } from '../../../src/component/targets.js';
import type { MetricBatch, MetricPoint } from '../../../src/model/point.js';
import { processReceiver } from '../../../receivers/process/index.js';
import { createTestContext, type TestContext } from '../../helpers/context.js';

export const linux = process.platform === 'linux';

/** The receiver as the pipeline creates it, scraping every 50ms unless the config says otherwise. */
export function receive(config: Record<string, unknown>, options: { targets$?: Observable<TargetSet>; context?: TestContext } = {}) {
  const context = options.context ?? createTestContext({ targets$: options.targets$ });
  const parsed = processReceiver.schema.parse({ collection_interval: '50ms', ...config });
  return { context, batches$: processReceiver.create(parsed, context) };
}

export function batches(batches$: Observable<MetricBatch>, count: number): Promise<MetricBatch[]> {
  return firstValueFrom(batches$.pipe(take(count), toArray()));
}

/** Collects batches until `done` holds; `onBatch` may act as they arrive (stop a process after the first). */
export function batchesUntil(
  batches$: Observable<MetricBatch>,
  done: (received: readonly MetricBatch[]) => boolean,
  onBatch: (received: readonly MetricBatch[]) => void = () => undefined,
): Promise<MetricBatch[]> {
  const received: MetricBatch[] = [];
  return new Promise<MetricBatch[]>((resolve, reject) => {
    const subscription = batches$.subscribe({
      next: (batch) => {
        received.push(batch);
        onBatch(received);
        if (done(received)) {
          subscription.unsubscribe();
          resolve(received);
        }
      },
      error: reject,
    });
  });
}

export function points(batch: MetricBatch, name: string): MetricPoint[] {
  return batch.filter((point) => point.series.name === name);
}

export function only(batch: MetricBatch, name: string): MetricPoint {
  const found = points(batch, name);
  expect(found, name).toHaveLength(1);
  return found[0]!;
}

import { MeterProvider } from '@opentelemetry/sdk-metrics';
import { asyncScheduler, firstValueFrom } from 'rxjs';
import { afterEach, expect, it, vi } from 'vitest';
import { hostReceiver } from '../../../receivers/host/index.js';
import { createTestContext } from '../../helpers/context.js';

afterEach(() => vi.restoreAllMocks());

/** Handles that keep a process alive, by kind. */
function liveHandles(): Map<string, number> {
  const counts = new Map<string, number>();
  for (const kind of process.getActiveResourcesInfo()) counts.set(kind, (counts.get(kind) ?? 0) + 1);
  return counts;
}

it('shuts its MeterProvider down when unsubscribed and leaves no handle (timer, child process) behind', async () => {
  const shutdown = vi.spyOn(MeterProvider.prototype, 'shutdown');
  const before = liveHandles();
  const context = createTestContext({ id: 'host', scheduler: asyncScheduler });
  // firstValueFrom unsubscribes once the first read (network included) has landed.
  const batch = await firstValueFrom(hostReceiver.create(hostReceiver.schema.parse({ collection_interval: '1s' }), context));
  expect(batch.length).toBeGreaterThan(0);
  expect(shutdown).toHaveBeenCalledTimes(1);
  context.store.close();
  // The shell host-metrics' network read spawned has exited by the time its promise settled.
  await new Promise((resolve) => setTimeout(resolve, 250));
  const left = [...liveHandles()].filter(([kind, count]) => count > (before.get(kind) ?? 0)).map(([kind]) => kind);
  expect(left).toEqual([]);
});

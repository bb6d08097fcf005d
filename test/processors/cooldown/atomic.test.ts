import { afterEach, describe, expect, it } from 'vitest';
import { Subject } from 'rxjs';
import type { ComponentStorage } from '../../../src/component/storage.js';
import type { EventBatch } from '../../../src/model/event.js';
import { HealthpipeError } from '../../../src/errors.js';
import { openStore, type Store } from '../../../src/storage/index.js';
import { createTestContext } from '../../helpers/context.js';
import { outboxSink } from '../../helpers/outbox-sink.js';
import { cooldownProcessor } from '../../../processors/cooldown/index.js';
import { Clock, alert, storedAlerts } from './fixtures.js';

/** The real storage, whose keyed writes fail once `failAfter` of them went through. */
function failingStorage(real: ComponentStorage, failAfter: number): ComponentStorage {
  let writes = 0;
  return {
    ...real,
    keyed: (namespace) => {
      const keyed = real.keyed(namespace);
      return {
        get: (key) => keyed.get(key),
        delete: (key) => keyed.delete(key),
        entries: () => keyed.entries(),
        clear: () => keyed.clear(),
        set: (key, value) => {
          if (++writes > failAfter) throw new Error('SQLITE_FULL: database or disk is full');
          keyed.set(key, value);
        },
      };
    },
  };
}

describe('cooldown processor: decision and sink outbox in one transaction', () => {
  let store: Store;
  afterEach(() => store.close());

  /** The cooldown feeding an idle exporter queue whose sink only enqueues into its outbox, as src/delivery/README.md asks. */
  function chain(failAfter: number) {
    store = openStore(':memory:');
    const scheduler = new Clock();
    const { sink, queue } = outboxSink(store, scheduler);
    const ctx = createTestContext({ id: 'alerts/cooldown', scheduler, store });
    const config = cooldownProcessor.schema.parse({ period: '100ms' });
    const operator = cooldownProcessor.create(config, { ...ctx, storage: failingStorage(ctx.storage, failAfter) });
    const input = new Subject<EventBatch>();
    const errors: unknown[] = [];
    input.pipe(operator).subscribe({ next: (batch) => queue.push(batch, 'alerts'), error: (error: unknown) => errors.push(error) });
    const outboxRules = (): string[] => sink.log('delivery').read().map((record) => (record.value as { service: string }).service);
    return { input, errors, outboxRules, ctx, scheduler, config };
  }

  it('emits nothing when the store fails inside the transaction, and records nothing of the batch', () => {
    // The first alert's decision is written, the second's fails: the first must not survive either.
    const { input, errors, outboxRules, ctx } = chain(1);
    input.next([alert('error'), alert('error', { service: 'db' })]);
    expect(outboxRules()).toEqual([]);
    expect(storedAlerts(ctx)).toEqual([]);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toBeInstanceOf(HealthpipeError);
    expect((errors[0] as HealthpipeError).code).toBe('STORAGE');
  });

  it('after a store failure, a new subscription sends the alerts the failed step did not record', () => {
    const { input, ctx, scheduler, config } = chain(0);
    input.next([alert('error')]);
    const retried = cooldownProcessor.create(config, ctx);
    const again = new Subject<EventBatch>();
    const out: EventBatch[] = [];
    again.pipe(retried).subscribe((batch) => out.push(batch));
    scheduler.advanceTo(10);
    again.next([alert('error')]);
    expect(out.map((batch) => batch.map((event) => event.service))).toEqual([['api']]);
  });

  it('commits the decision and the outbox together when the store works', () => {
    const { input, errors, outboxRules, ctx } = chain(Infinity);
    input.next([alert('error'), alert('error', { service: 'db' })]);
    expect(errors).toEqual([]);
    expect(outboxRules()).toEqual(['api', 'db']);
    expect(storedAlerts(ctx)).toEqual(['api/latency', 'db/latency']);
  });
});

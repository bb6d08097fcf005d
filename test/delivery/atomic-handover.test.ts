import { afterEach, describe, expect, it } from 'vitest';
import { openStore, type Store } from '../../src/storage/index.js';
import type { EventBatch } from '../../src/model/event.js';
import { SteppingScheduler } from '../helpers/virtual-time.js';
import { outboxSink } from '../helpers/outbox-sink.js';
import { event } from '../graph/batches.js';

describe('cooldown decision and sink outbox in one transaction', () => {
  let store: Store;
  afterEach(() => store.close());

  /** A cooldown's storage, and a sink behind an idle exporter queue whose consume only enqueues. */
  function chain() {
    store = openStore(':memory:');
    const { sink, queue } = outboxSink(store, new SteppingScheduler());
    return { cooldown: store.component('alerts/cooldown'), sink, queue };
  }

  it('commits both, or neither when the decision fails after the emission', () => {
    const { cooldown, sink, queue } = chain();
    const state = cooldown.keyed('state');
    expect(() =>
      cooldown.transaction(() => {
        state.set('api:error', 'notified');
        queue.push([event('latency')] as EventBatch, 'alerts');
        throw new Error('the decision could not be recorded');
      }),
    ).toThrow();
    expect(state.get('api:error')).toBeUndefined();
    expect(sink.log('delivery').size()).toBe(0);

    cooldown.transaction(() => {
      state.set('api:error', 'notified');
      queue.push([event('latency')] as EventBatch, 'alerts');
    });
    expect(state.get('api:error')).toBe('notified');
    expect(sink.log('delivery').read().map((record) => (record.value as { rule: string }).rule)).toEqual(['latency']);
  });
});

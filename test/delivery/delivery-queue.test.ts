import { afterEach, describe, expect, it } from 'vitest';
import { openStore, type Store } from '../../src/storage/index.js';
import { checkHttpAnswer, permanent, retryable } from '../../src/delivery/index.js';
import { SteppingScheduler } from '../helpers/virtual-time.js';
import { advance, alerts, Destination, queueFor, settle } from './destination.js';

describe('DeliveryQueue', () => {
  let store: Store;
  afterEach(() => store.close());

  function setup() {
    store = openStore(':memory:');
    const scheduler = new SteppingScheduler();
    const destination = new Destination(scheduler);
    return { storage: store.component('alertmanager'), scheduler, destination };
  }

  it('delivers what it holds in order, counts it sent and removes it from the log', async () => {
    const { storage, scheduler, destination } = setup();
    const { queue, telemetry } = queueFor(storage, scheduler, destination);
    queue.enqueue(alerts('a1', 'b1', 'a2'));
    expect(queue.pending()).toBe(3);
    // Nothing is sent inside enqueue: the caller's transaction may not have committed yet.
    expect(destination.attempts).toHaveLength(0);
    await advance(scheduler, 0);
    expect(destination.acceptedNames()).toEqual(['a1', 'a2', 'b1']);
    expect(queue.pending()).toBe(0);
    expect(telemetry.counts.sent).toBe(3);
  });

  it('backs off exponentially from 100 ms up to the maximum interval, on the injected scheduler', async () => {
    const { storage, scheduler, destination } = setup();
    destination.answer = () => {
      throw new Error('connect ECONNREFUSED');
    };
    const { queue, telemetry } = queueFor(storage, scheduler, destination, { retry: { randomization: 0, maxInterval: 1000 } });
    queue.enqueue(alerts('a1'));
    await advance(scheduler, 5000, 1);
    const times = destination.attempts.map((attempt) => attempt.time);
    const waits = times.slice(1).map((time, index) => time - times[index]!);
    expect(waits.slice(0, 8)).toEqual([100, 150, 225, 338, 506, 759, 1000, 1000]);
    // Retried, never given up and never counted as failed.
    expect(telemetry.counts.failed).toBe(0);
    expect(queue.pending()).toBe(1);
  });

  it('keeps the order of one key while a failing key does not hold the others back', async () => {
    const { storage, scheduler, destination } = setup();
    destination.answer = (items) => {
      if (items.some((item) => item.key === 'a') && scheduler.now() < 1000) throw retryable('HTTP 503');
    };
    const { queue } = queueFor(storage, scheduler, destination);
    queue.enqueue(alerts('a1', 'b1', 'a2', 'b2'));
    await advance(scheduler, 150);
    queue.enqueue(alerts('a3', 'b3'));
    await advance(scheduler, 150);
    // b went out after its one shared failure; a waits, and a3 did not overtake a1, a2.
    expect(destination.acceptedNames()).toEqual(['b1', 'b2', 'b3']);
    await advance(scheduler, 2000, 10);
    expect(destination.acceptedNames()).toEqual(['b1', 'b2', 'b3', 'a1', 'a2', 'a3']);
  });

  it('drops an item the destination refuses for good, counts and logs it, and goes on with the key', async () => {
    const { storage, scheduler, destination } = setup();
    destination.answer = (items) => {
      if (items.some((item) => item.n === 1)) throw permanent('HTTP 400');
    };
    const { queue, telemetry, logs } = queueFor(storage, scheduler, destination, { maxBatch: 1 });
    queue.enqueue(alerts('a1', 'a2'));
    await advance(scheduler, 10);
    expect(destination.acceptedNames()).toEqual(['a2']);
    expect(telemetry.counts.failed).toBe(1);
    expect(telemetry.counts.sent).toBe(1);
    expect(queue.pending()).toBe(0);
    const refusal = logs.records().find((record) => String(record.message).includes('refused items for good'));
    expect(refusal).toMatchObject({ level: 'error', items: 1, reason: 'HTTP 400' });
  });

  it('honours Retry-After on a 429 and a 503, and retries a 408 and a 500 on the backoff', async () => {
    const { storage, scheduler, destination } = setup();
    const answers = [
      { status: 429, retryAfter: '3' },
      { status: 503, retryAfter: '1' },
      { status: 408, retryAfter: null },
      { status: 500, retryAfter: null },
      { status: 202, retryAfter: null },
    ];
    destination.answer = (_items, attempt) => {
      const answer = answers[attempt - 1]!;
      checkHttpAnswer({ status: answer.status, headers: { get: () => answer.retryAfter } }, scheduler.now());
    };
    const { queue } = queueFor(storage, scheduler, destination);
    queue.enqueue(alerts('a1'));
    await advance(scheduler, 5000);
    // 3 s and 1 s from the servers (above the backoff's 100 and 150 ms), then 225 and 338 ms.
    expect(destination.attempts.map((attempt) => attempt.time)).toEqual([0, 3000, 4000, 4225, 4563]);
    expect(destination.acceptedNames()).toEqual(['a1']);
  });

  it('treats a send that throws synchronously as retryable', async () => {
    const { storage, scheduler, destination } = setup();
    let calls = 0;
    const { queue } = queueFor(storage, scheduler, destination, {
      send: (items) => {
        calls += 1;
        if (calls === 1) throw new TypeError('bug in a payload builder');
        return destination.send(items);
      },
    });
    queue.enqueue(alerts('a1'));
    await advance(scheduler, 200, 10);
    expect(calls).toBe(2);
    expect(destination.acceptedNames()).toEqual(['a1']);
  });

  it('holds at most its memory bound and reads the rest back from the store, in order', async () => {
    const { storage, scheduler, destination } = setup();
    let down = true;
    destination.answer = () => {
      if (down) throw retryable('down');
    };
    const { queue } = queueFor(storage, scheduler, destination, { memory: { maxItems: 3 }, maxBatch: 2 });
    queue.enqueue(alerts('a1', 'a2', 'a3', 'a4', 'a5', 'a6', 'a7', 'a8', 'a9', 'a10'));
    await advance(scheduler, 500, 10);
    expect(queue.memory.items).toBe(3);
    expect(queue.pending()).toBe(10);
    down = false;
    await advance(scheduler, 5000, 10);
    expect(destination.acceptedNames()).toEqual(['a1', 'a2', 'a3', 'a4', 'a5', 'a6', 'a7', 'a8', 'a9', 'a10']);
    expect(destination.attempts.every((attempt) => attempt.items.length <= 2)).toBe(true);
    expect(queue.pending()).toBe(0);
    expect(queue.memory.items).toBe(0);
  });

  it('bounds memory in bytes too, loading one item larger than the bound on its own', async () => {
    const { storage, scheduler, destination } = setup();
    destination.answer = () => {
      throw retryable('down');
    };
    const { queue } = queueFor(storage, scheduler, destination, { memory: { maxBytes: 40 } });
    queue.enqueue([{ key: 'a', n: 1, text: 'x'.repeat(100) } as never, ...alerts('a2', 'a3')]);
    await advance(scheduler, 0);
    expect(queue.memory.items).toBe(1);
    expect(queue.pending()).toBe(3);
  });

  it('sends nothing that a rolled-back transaction appended, and what a committed one did', async () => {
    const { storage, scheduler, destination } = setup();
    const { queue } = queueFor(storage, scheduler, destination);
    const state = storage.keyed('cooldown');
    expect(() =>
      storage.transaction(() => {
        state.set('a', 'notified');
        queue.enqueue(alerts('a1'));
        throw new Error('decision failed');
      }),
    ).toThrow('decision failed');
    storage.transaction(() => {
      state.set('b', 'notified');
      queue.enqueue(alerts('b1'));
    });
    await advance(scheduler, 10);
    expect(destination.acceptedNames()).toEqual(['b1']);
    expect(state.get('a')).toBeUndefined();
  });

  it('flush resolves once nothing can be sent now; shutdown stops retrying and keeps the rest in the store', async () => {
    const { storage, scheduler, destination } = setup();
    destination.answer = (items) => {
      if (items.some((item) => item.key === 'a')) throw retryable('down');
    };
    const { queue } = queueFor(storage, scheduler, destination);
    queue.enqueue(alerts('a1', 'b1'));
    await advance(scheduler, 0);
    await settle();
    await queue.flush();
    await advance(scheduler, 100);
    expect(destination.acceptedNames()).toEqual(['b1']);
    await queue.shutdown();
    const attempts = destination.attempts.length;
    await advance(scheduler, 10_000, 100);
    queue.enqueue(alerts('b2'));
    await advance(scheduler, 100);
    expect(destination.attempts).toHaveLength(attempts);
    expect(storage.log('delivery').read().map((record) => record.value)).toEqual(alerts('a1', 'b2'));
  });

  it('rejects bad options, naming them', () => {
    const { storage, scheduler, destination } = setup();
    expect(() => queueFor(storage, scheduler, destination, { retry: { multiplier: 0.5 } })).toThrow('retry.multiplier');
    expect(() => queueFor(storage, scheduler, destination, { memory: { maxItems: 0 } })).toThrow('memory.maxItems');
  });
});

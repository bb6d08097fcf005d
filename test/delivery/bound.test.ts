import { afterEach, describe, expect, it } from 'vitest';
import { openStore, type Store } from '../../src/storage/index.js';
import { MemoryAppendLog, permanent, retryable } from '../../src/delivery/index.js';
import { SteppingScheduler } from '../helpers/virtual-time.js';
import { advance, Destination, queueFor, type Alert } from './destination.js';

/** An item that stands for `n` points (an OTLP request), all of one key. */
const request = (n: number, points: number): Alert & { points: number } => ({ key: 'q', n, points });
const weightOf = (item: Alert): number => (item as Alert & { points: number }).points;

describe('DeliveryQueue with a bound, weights and a memory log', () => {
  let store: Store | undefined;
  afterEach(() => store?.close());

  function setup() {
    const scheduler = new SteppingScheduler();
    return { scheduler, destination: new Destination(scheduler) };
  }

  it('drops the oldest items past the bound in weight, counts their weight as queue_full, logs once, keeps the newest', async () => {
    const { scheduler, destination } = setup();
    destination.answer = () => {
      throw retryable('HTTP 503');
    };
    const { queue, telemetry, logs } = queueFor(undefined as never, scheduler, destination, {
      log: new MemoryAppendLog(),
      weightOf,
      bound: { maxWeight: 25 },
      queueName: 'otlp',
    });
    for (let n = 1; n <= 6; n += 1) {
      queue.enqueue([request(n, 10)]);
      await advance(scheduler, 50);
    }
    // 60 points offered, 25 allowed: the oldest not being sent went, 10 points at a time.
    expect(telemetry.countOf('dropped', { reason: 'queue_full' })).toBe(40);
    expect(queue.heldWeight()).toBe(20);
    expect(telemetry.queueSizes.get('otlp')).toBe(20);
    const full = logs.records().filter((record) => String(record.message).includes('queue full'));
    expect(full).toHaveLength(1);
    destination.answer = () => undefined;
    await advance(scheduler, 6000, 50);
    expect(destination.accepted.map((item) => item.n)).toEqual([5, 6]);
    expect(telemetry.counts.sent).toBe(20);
    expect(telemetry.queueSizes.get('otlp')).toBe(0);
  });

  /** A send that holds its first attempt until the test ends it, then lets the destination answer. */
  function heldFirstSend(destination: Destination) {
    let end!: () => void;
    let held = true;
    const send = async (items: readonly Alert[]): Promise<void> => {
      if (held) {
        held = false;
        await new Promise<void>((resolve) => (end = resolve));
      }
      await destination.send(items);
    };
    return { send, end: () => end() };
  }

  /** A queue bounded at 20 points whose first item (10 points) is being sent, held until `first.end()`. */
  async function sendingOne() {
    const { scheduler, destination } = setup();
    const first = heldFirstSend(destination);
    const { queue, telemetry } = queueFor(undefined as never, scheduler, destination, {
      log: new MemoryAppendLog(),
      weightOf,
      bound: { maxWeight: 20 },
      queueName: 'otlp',
      send: first.send,
    });
    queue.enqueue([request(1, 10)]);
    await advance(scheduler, 0);
    return { scheduler, destination, first, queue, telemetry };
  }

  it('dooms the oldest items being sent instead of dropping newer ones; a failed send drops them, not retried', async () => {
    const { scheduler, destination, first, queue, telemetry } = await sendingOne();
    queue.enqueue([request(2, 10)]);
    queue.enqueue([request(3, 10)]);
    // 30 held, 20 allowed: 1, being sent, is doomed; the newer 2 and 3 are kept, nothing counted yet.
    expect(telemetry.countOf('dropped', { reason: 'queue_full' })).toBe(0);
    expect(queue.pending()).toBe(3);
    expect(telemetry.queueSizes.get('otlp')).toBe(30);
    queue.enqueue([request(4, 10)]);
    // Still over without 1: the oldest not being sent, 2, goes now.
    expect(telemetry.countOf('dropped', { reason: 'queue_full' })).toBe(10);
    expect(queue.pending()).toBe(3);
    destination.answer = (items) => {
      if (items.some((item) => item.n === 1)) throw retryable('HTTP 503');
    };
    first.end();
    await advance(scheduler, 0);
    // The send of 1 failed: 1 is dropped then, counted queue_full, and never sent again.
    expect(telemetry.countOf('dropped', { reason: 'queue_full' })).toBe(20);
    expect(queue.pending()).toBe(2);
    expect(queue.heldWeight()).toBe(20);
    expect(telemetry.queueSizes.get('otlp')).toBe(20);
    await advance(scheduler, 6000, 50);
    expect(destination.attempts.map((attempt) => attempt.items.map((item) => item.n))).toEqual([[1], [3, 4]]);
    expect(destination.accepted.map((item) => item.n)).toEqual([3, 4]);
    expect(telemetry.countOf('sent')).toBe(20);
    expect(queue.pending()).toBe(0);
    expect(telemetry.queueSizes.get('otlp')).toBe(0);
  });

  it('counts doomed items that their send delivered as sent, never dropped, and keeps the newest', async () => {
    const { scheduler, destination, first, queue, telemetry } = await sendingOne();
    queue.enqueue([request(2, 10), request(3, 10)]);
    expect(telemetry.countOf('dropped', { reason: 'queue_full' })).toBe(0);
    first.end();
    await advance(scheduler, 10);
    expect(destination.accepted.map((item) => item.n)).toEqual([1, 2, 3]);
    expect(telemetry.countOf('sent')).toBe(30);
    expect(telemetry.countOf('dropped', { reason: 'queue_full' })).toBe(0);
    expect(queue.pending()).toBe(0);
    expect(queue.heldWeight()).toBe(0);
    expect(telemetry.queueSizes.get('otlp')).toBe(0);
  });

  it('after a failed send of doomed items and a restart, the store holds only the newest, counted in the queue size', async () => {
    store = openStore(':memory:');
    const storage = store.component('otlp');
    const { scheduler, destination } = setup();
    const first = heldFirstSend(destination);
    destination.answer = () => {
      throw retryable('down');
    };
    const before = queueFor(storage, scheduler, destination, { weightOf, bound: { maxWeight: 20 }, send: first.send });
    before.queue.enqueue([request(1, 10)]);
    await advance(scheduler, 0);
    before.queue.enqueue([request(2, 10), request(3, 10)]);
    first.end();
    const stopped = before.queue.shutdown();
    await advance(scheduler, 0);
    await stopped;
    expect(before.telemetry.countOf('dropped', { reason: 'queue_full' })).toBe(10);
    expect(storage.log('delivery').read().map((record) => (record.value as Alert).n)).toEqual([2, 3]);

    const up = new Destination(scheduler);
    const after = queueFor(storage, scheduler, up, { weightOf, bound: { maxWeight: 20 }, queueName: 'otlp' });
    expect(after.queue.pending()).toBe(2);
    expect(after.queue.heldWeight()).toBe(20);
    expect(after.telemetry.queueSizes.get('otlp')).toBe(20);
    await advance(scheduler, 10);
    expect(up.accepted.map((item) => item.n)).toEqual([2, 3]);
    expect(after.telemetry.countOf('dropped', { reason: 'queue_full' })).toBe(0);
    expect(after.telemetry.queueSizes.get('otlp')).toBe(0);
    await after.queue.shutdown();
  });

  it('bounds bytes too, and counts what a bounded store held before a restart', async () => {
    store = openStore(':memory:');
    const storage = store.component('otlp');
    const { scheduler, destination } = setup();
    destination.answer = () => {
      throw retryable('down');
    };
    const first = queueFor(storage, scheduler, destination, { weightOf, bound: { maxBytes: 1000 } });
    first.queue.enqueue([request(1, 5), request(2, 5)]);
    await first.queue.shutdown();
    const second = queueFor(storage, scheduler, destination, { weightOf, bound: { maxBytes: 1000 }, queueName: 'otlp' });
    expect(second.telemetry.queueSizes.get('otlp')).toBe(10);
    const big = { ...request(3, 7), text: 'x'.repeat(950) };
    second.queue.enqueue([big]);
    // The two older ones went for the big one; it alone fits.
    expect(second.telemetry.countOf('dropped', { reason: 'queue_full' })).toBe(10);
    expect(storage.log('delivery').read().map((record) => (record.value as Alert).n)).toEqual([3]);
    await second.queue.shutdown();
  });

  it('counts sent, failed and a partial refusal in weight, with the reasons given', async () => {
    const { scheduler, destination } = setup();
    let answer: 'partial' | 'refuse' = 'partial';
    const { queue, telemetry } = queueFor(undefined as never, scheduler, destination, {
      log: new MemoryAppendLog(),
      weightOf,
      failedReason: 'permanent',
      send: async () => {
        if (answer === 'refuse') throw permanent('HTTP 400');
        return { rejected: 3, reason: 'partial_success' };
      },
    });
    queue.enqueue([request(1, 10)]);
    await advance(scheduler, 10);
    answer = 'refuse';
    queue.enqueue([request(2, 7)]);
    await advance(scheduler, 10);
    expect(telemetry.countOf('sent')).toBe(7);
    expect(telemetry.countOf('failed', { reason: 'partial_success' })).toBe(3);
    expect(telemetry.countOf('failed', { reason: 'permanent' })).toBe(7);
  });

  it('puts several queued items in one send up to maxBatchBytes, one larger item alone', async () => {
    const { scheduler, destination } = setup();
    const sizes = new Map<number, number>([[1, 40], [2, 40], [3, 40], [4, 200], [5, 40]]);
    const { queue } = queueFor(undefined as never, scheduler, destination, {
      log: new MemoryAppendLog((value) => sizes.get((value as Alert).n)!),
      maxBatchBytes: 100,
    });
    queue.enqueue([1, 2, 3, 4, 5].map((n) => request(n, 1)));
    await advance(scheduler, 10);
    expect(destination.attempts.map((attempt) => attempt.items.map((item) => item.n))).toEqual([[1, 2], [3], [4], [5]]);
  });

  it('lingers after an enqueue into an idle queue so batches leave together; a full send or flush goes at once', async () => {
    const { scheduler, destination } = setup();
    const { queue } = queueFor(undefined as never, scheduler, destination, { log: new MemoryAppendLog(), linger: 200, maxBatch: 3 });
    queue.enqueue([request(1, 1)]);
    await advance(scheduler, 100);
    queue.enqueue([request(2, 1)]);
    await advance(scheduler, 99);
    expect(destination.attempts).toHaveLength(0);
    await advance(scheduler, 1);
    expect(destination.attempts.map((attempt) => attempt.time)).toEqual([200]);
    queue.enqueue([request(3, 1), request(4, 1), request(5, 1)]);
    await advance(scheduler, 0);
    expect(destination.attempts.map((attempt) => attempt.items.length)).toEqual([2, 3]);
    queue.enqueue([request(6, 1)]);
    await queue.flush();
    expect(destination.attempts.map((attempt) => attempt.time)).toEqual([200, 200, 200]);
  });
});

describe('MemoryAppendLog', () => {
  it('keeps records in order, reads after a sequence number, removes, acks and trims', () => {
    const log = new MemoryAppendLog();
    expect(log.append(['a', 'b', 'c', 'd', 'e'], 1)).toEqual([1, 2, 3, 4, 5]);
    expect(log.read(2, 2).map((record) => record.value)).toEqual(['c', 'd']);
    log.remove([3]);
    expect(log.read().map((record) => record.seq)).toEqual([1, 2, 4, 5]);
    log.ack(2);
    expect(log.read().map((record) => record.value)).toEqual(['d', 'e']);
    expect(log.read(0, 1)[0]).toMatchObject({ seq: 4, size: 3 });
    expect(log.trim(1)).toBe(1);
    expect(log.size()).toBe(1);
    log.remove([5]);
    expect(log.size()).toBe(0);
    expect(log.append(['f'], 2)).toEqual([6]);
    expect(log.read(5).map((record) => record.value)).toEqual(['f']);
  });
});

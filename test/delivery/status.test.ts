import { afterEach, describe, expect, it } from 'vitest';
import { openStore, type Store } from '../../src/storage/index.js';
import { permanent, retryable } from '../../src/delivery/index.js';
import { ComponentStatusBoard } from '../../src/runtime/status-board.js';
import { SteppingScheduler } from '../helpers/virtual-time.js';
import { advance, alerts, Destination, queueFor } from './destination.js';

describe("a DeliveryQueue's component status", () => {
  let store: Store;
  afterEach(() => store.close());

  function setup() {
    store = openStore(':memory:');
    const scheduler = new SteppingScheduler();
    const destination = new Destination(scheduler);
    const board = new ComponentStatusBoard(() => scheduler.now());
    board.set('alertmanager', 'exporter', 'running');
    const changes: string[] = [];
    board.changes$.subscribe((status) => changes.push(`${status.since} ${status.state}: ${status.lastError?.message ?? ''}`));
    const { queue } = queueFor(store.component('alertmanager'), scheduler, destination, {
      status: board.reporterFor('alertmanager', 'exporter'),
      retry: { randomization: 0, maxInterval: 1000 },
    });
    return { scheduler, destination, queue, changes, board };
  }

  it('is degraded with the reason after a failed send, once per reason, and recovered after the next accepted send', async () => {
    const { scheduler, destination, queue, changes, board } = setup();
    destination.answer = () => {
      if (scheduler.now() < 300) throw new Error('connect ECONNREFUSED 127.0.0.1:9093');
      if (scheduler.now() < 1000) throw retryable('HTTP 503');
    };
    queue.enqueue(alerts('a1'));
    await advance(scheduler, 3000, 10);
    expect(destination.acceptedNames()).toEqual(['a1']);
    // Many retries, one change per reason (degraded since the first failure), then running
    // from the accepted send on, the last error kept.
    expect(destination.attempts.length).toBeGreaterThan(4);
    expect(changes).toEqual([
      '0 degraded: delivery failed, retrying: Error: connect ECONNREFUSED 127.0.0.1:9093',
      '0 degraded: delivery failed, retrying: HTTP 503',
      expect.stringMatching(/^1\d{3} running: delivery failed, retrying: HTTP 503$/),
    ]);
    expect(board.list()[0]).toMatchObject({ state: 'running', restarts: 0 });
  });

  it('says a permanent refusal, bounded to one line', async () => {
    const { scheduler, destination, queue, changes } = setup();
    destination.answer = () => {
      throw permanent(`HTTP 400: ${'x'.repeat(1000)}\nsecond line`);
    };
    queue.enqueue(alerts('a1'));
    await advance(scheduler, 100);
    expect(changes).toHaveLength(1);
    expect(changes[0]).toMatch(/^0 degraded: delivery refused for good: HTTP 400: x+…$/);
    expect(changes[0]!.length).toBeLessThan(250);
  });

  it('reports nothing while every send is accepted', async () => {
    const { scheduler, queue, changes } = setup();
    queue.enqueue(alerts('a1', 'b1'));
    await advance(scheduler, 100);
    expect(changes).toEqual([]);
  });
});

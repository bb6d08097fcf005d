import { Subject } from 'rxjs';
import { afterEach, describe, expect, it } from 'vitest';
import type { HealthEvent } from '../../../src/model/event.js';
import { staleMarker, type MetricBatch } from '../../../src/model/point.js';
import { openStore, type Store } from '../../../src/storage/index.js';
import { LEVELS_NAMESPACE } from '../../../processors/threshold/stored-level.js';
import { Clock } from '../cooldown/fixtures.js';
import { apiLatency, at, dbLatency, describeEvent, feed, latencyRule, lines, thresholdOperator } from './fixtures.js';

// A staleness marker: the series' source left on purpose (its instance was removed from the
// registry). Threshold forgets the series at once, resolves it if it was firing, and never
// raises `unknown` for it: a service that left is not a service that went silent.
const CONFIG = { rules: [latencyRule()], no_data: '30ms', expire_after: '100ms' };

describe('threshold processor: a series whose source left', () => {
  it('resolves a critical series at once, saying the instance left, and never raises unknown, past no_data and expire_after', () => {
    const events = feed(CONFIG, [
      [10, [at(apiLatency, 1.5, 10)]],
      [20, [staleMarker(apiLatency, 20)]],
    ], 1000);
    expect(lines(events)).toEqual(['10: api latency info→critical firing', '20: api latency critical→info resolved']);
    expect(events[1]!.event).toMatchObject({ message: 'the instance left: no longer watched', left: true, endsAt: 20 });
    expect(events[1]!.event.value).toBeNaN();
  });

  it('says nothing for a series at info that left, and cancels its no_data clock while the others keep theirs', () => {
    const events = feed(CONFIG, [
      [10, [at(apiLatency, 0.1, 10), at(dbLatency, 0.1, 10)]],
      [20, [staleMarker(apiLatency, 20)]],
    ], 1000);
    // Without the marker api would go unknown at 40 as db does.
    expect(lines(events)).toEqual(['40: db latency info→unknown firing', '110: db latency unknown→unknown resolved']);
  });

  it('starts a series that comes back afresh: its next firing is a new alert', () => {
    const events = feed(CONFIG, [
      [10, [at(apiLatency, 0.7, 10)]],
      [20, [staleMarker(apiLatency, 20)]],
      [30, [at(apiLatency, 0.7, 30)]],
    ], 35);
    expect(lines(events)).toEqual(['10: api latency info→error firing', '20: api latency error→info resolved', '30: api latency info→error firing']);
  });

  it('ignores a marker of a series no rule reads (another aggregate)', () => {
    const events = feed(CONFIG, [
      [10, [at(apiLatency, 0.7, 10)]],
      [20, [staleMarker(apiLatency.with('aggregate', 'max', 'gauge'), 20)]],
      [30, [at(apiLatency, 0.7, 30)]],
    ], 35);
    expect(lines(events)).toEqual(['10: api latency info→error firing']);
  });

  describe('with a store', () => {
    let store: Store;
    afterEach(() => store.close());

    function start(clock: Clock) {
      const { operator, ctx } = thresholdOperator(CONFIG, clock, store);
      const input = new Subject<MetricBatch>();
      const out: string[] = [];
      const events: HealthEvent[] = [];
      const subscription = input.pipe(operator).subscribe((batch) => {
        for (const event of batch) {
          events.push(event);
          out.push(`${clock.now()}: ${describeEvent(event)}`);
        }
      });
      const levels = () => ctx.storage.keyed(LEVELS_NAMESPACE).entries().length;
      return { input, out, events, subscription, levels };
    }

    it('removes the stored level of a series that left, so a restart does not bring it back', () => {
      store = openStore(':memory:');
      const clock = new Clock();
      const first = start(clock);
      clock.advanceTo(10);
      first.input.next([at(apiLatency, 1.5, 10)]);
      expect(first.levels()).toBe(1);
      clock.advanceTo(20);
      first.input.next([staleMarker(apiLatency, 20)]);
      expect(first.levels()).toBe(0);
      first.subscription.unsubscribe();

      const second = start(clock);
      clock.advanceTo(1000);
      expect(second.out).toEqual([]);
      second.subscription.unsubscribe();
    });

    it('resolves, from a marker, an alert restored from the store whose series had not come back yet', () => {
      store = openStore(':memory:');
      const clock = new Clock();
      const first = start(clock);
      clock.advanceTo(10);
      first.input.next([at(apiLatency, 1.5, 10)]);
      first.subscription.unsubscribe();

      const second = start(clock);
      clock.advanceTo(15);
      second.input.next([staleMarker(apiLatency, 15)]);
      clock.advanceTo(1000);
      expect(second.out).toEqual(['15: api latency critical→info resolved']);
      expect(second.events[0]!.fingerprint).toBe(first.events[0]!.fingerprint);
      expect(second.levels()).toBe(0);
      second.subscription.unsubscribe();
    });
  });
});

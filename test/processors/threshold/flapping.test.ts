import { describe, expect, it } from 'vitest';
import { percentChange, recordResult } from '../../../processors/threshold/flap-history.js';
import { apiLatency, feed, latencyRule, lines, samples } from './fixtures.js';

describe('flap detection (Nagios: weighted changes over the last 21 results)', () => {
  it('weighs newer changes more: 0.75 for the oldest of 20 changes, 1.25 for the newest', () => {
    const history = (results: boolean[]): number => {
      let bits = 0;
      for (const result of results) bits = recordResult(bits, result);
      return percentChange(bits, results.length);
    };
    expect(history([...Array<boolean>(20).fill(false), true])).toBeCloseTo((1.25 * 100) / 20, 10);
    expect(history([false, ...Array<boolean>(20).fill(true)])).toBeCloseTo((0.75 * 100) / 20, 10);
    expect(history(Array.from({ length: 21 }, (_, i) => i % 2 === 0))).toBeCloseTo(100, 10);
    // The 22nd result pushes the first out.
    expect(history([false, ...Array<boolean>(21).fill(true)])).toBe(0);
    // Fewer than 21 results: the changes among them, over the same 20.
    expect(history([false, true])).toBeCloseTo((1.25 * 100) / 20, 10);
  });

  it('emits one flapping event for a series that fires and resolves on every sample, then holds', () => {
    const values = Array.from({ length: 30 }, (_, i) => (i % 2 === 0 ? 0.7 : 0.1));
    const events = feed({ rules: [latencyRule({ above: { error: 0.5 } })] }, samples(apiLatency, values));
    // Every change goes out until the weighted rate reaches 50 % (9 changes, the newest
    // weighing most): that change goes out marked flapping, and nothing after it.
    expect(lines(events)).toEqual([
      '10: api latency info→error firing',
      '20: api latency error→info resolved',
      '30: api latency info→error firing',
      '40: api latency error→info resolved',
      '50: api latency info→error firing',
      '60: api latency error→info resolved',
      '70: api latency info→error firing',
      '80: api latency error→info resolved',
      '90: api latency info→error firing',
      '100: api latency error→info resolved flapping',
    ]);
  });

  it('sends the current state when the series settles, if it differs from the last one sent', () => {
    // Flaps until 170, then stays high: the last event sent was the flapping resolve at 100;
    // at 310 the weighted rate of the last 21 results falls below 25 % and the truth goes out.
    const settlesHigh = [...Array.from({ length: 16 }, (_, i) => (i % 2 === 0 ? 0.7 : 0.1)), ...Array<number>(25).fill(0.7)];
    const high = lines(feed({ rules: [latencyRule({ above: { error: 0.5 } })] }, samples(apiLatency, settlesHigh)));
    expect(high.slice(9)).toEqual(['100: api latency error→info resolved flapping', '310: api latency info→error firing']);
    // Flaps, then stays low: the flapping event already said resolved; settling sends nothing.
    const settlesLow = [...Array.from({ length: 16 }, (_, i) => (i % 2 === 0 ? 0.7 : 0.1)), ...Array<number>(25).fill(0.1)];
    const low = lines(feed({ rules: [latencyRule({ above: { error: 0.5 } })] }, samples(apiLatency, settlesLow)));
    expect(low.slice(9)).toEqual(['100: api latency error→info resolved flapping']);
  });

  it('still sends an escalation to a level not sent since the last resolve', () => {
    const flap = Array.from({ length: 14 }, (_, i) => (i % 2 === 0 ? 0.7 : 0.1));
    const events = feed({ rules: [latencyRule({ above: { error: 0.5, critical: 1 } })] }, samples(apiLatency, [...flap, 0.7, 0.1, 3]));
    const flapIndex = events.findIndex(({ event }) => event.flapping === true);
    expect(flapIndex).toBeGreaterThan(0);
    const tail = events.slice(flapIndex + 1).map(({ event }) => `${event.level} ${event.state}`);
    expect(tail).toContain('critical firing');
    expect(tail.filter((line) => line === 'critical firing')).toHaveLength(1);
  });

  it('counts fire ↔ resolve changes only: escalations between notified levels do not flap', () => {
    const values = Array.from({ length: 30 }, (_, i) => (i % 2 === 0 ? 0.7 : 2));
    const events = feed({ rules: [latencyRule({ above: { error: 0.5, critical: 1 } })] }, samples(apiLatency, values));
    expect(events).toHaveLength(30);
    expect(events.some(({ event }) => event.flapping === true)).toBe(false);
  });

  it('is off with flap_detection: false', () => {
    const values = Array.from({ length: 30 }, (_, i) => (i % 2 === 0 ? 0.7 : 0.1));
    const events = feed({ rules: [latencyRule({ above: { error: 0.5 } })], flap_detection: false }, samples(apiLatency, values));
    expect(events).toHaveLength(30);
  });
});

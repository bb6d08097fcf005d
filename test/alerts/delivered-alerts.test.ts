import { afterEach, describe, expect, it } from 'vitest';
import { DeliveredAlerts } from '../../src/alerts/index.js';
import { openStore, type Store } from '../../src/storage/index.js';
import { latencyEvent, resolvedEvent } from './events.js';

describe('DeliveredAlerts', () => {
  let store: Store;
  afterEach(() => store.close());

  function ledger(): DeliveredAlerts {
    store = openStore(':memory:');
    return new DeliveredAlerts(store.component('sink').keyed('delivered'));
  }

  it('fires, re-fires the same severity with its first start, and on a level change resolves the old one', () => {
    const delivered = ledger();
    expect(delivered.apply(latencyEvent({ startsAt: 100 }), 100)).toMatchObject({ fire: { labels: { severity: 'warning' }, startsAt: 100 } });
    const repeat = delivered.apply(latencyEvent({ startsAt: 200, value: 0.4 }), 200);
    expect(repeat.resolve).toBeUndefined();
    expect(repeat.fire).toMatchObject({ startsAt: 100, annotations: { value: '0.4' } });

    const change = delivered.apply(latencyEvent({ level: 'error', previousLevel: 'warning', startsAt: 300 }), 300);
    expect(change.resolve).toMatchObject({ labels: { severity: 'warning' }, startsAt: 100, endsAt: 300 });
    expect(change.fire).toMatchObject({ labels: { severity: 'error' }, startsAt: 300 });
    expect(delivered.active().map(([fingerprint, alert]) => [fingerprint, alert.severity])).toEqual([['api-latency', 'error']]);
  });

  it('resolves the severity it delivered, or the level the event left when it knows none', () => {
    const delivered = ledger();
    delivered.apply(latencyEvent({ level: 'critical' }), 100);
    expect(delivered.apply(resolvedEvent('warning'), 200).resolve).toMatchObject({ labels: { severity: 'critical' }, endsAt: 200 });
    expect(delivered.active()).toEqual([]);
    expect(delivered.apply(resolvedEvent('error'), 300).resolve).toMatchObject({ labels: { severity: 'error' }, endsAt: 300 });
  });

  it('prune forgets alerts not renewed within maxAge, then the least recently renewed beyond maxCount', () => {
    const delivered = ledger();
    for (const [index, service] of ['a', 'b', 'c', 'd'].entries()) {
      delivered.apply(latencyEvent({ fingerprint: service, service }), index * 1_000);
    }
    expect(delivered.prune(3_500, 3_000, 10)).toEqual(['a']);
    expect(delivered.prune(3_500, 3_000, 2)).toEqual(['b']);
    expect(delivered.active().map(([fingerprint]) => fingerprint).sort()).toEqual(['c', 'd']);
  });
});

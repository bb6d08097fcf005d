import { randomBytes } from 'node:crypto';
import { BehaviorSubject, filter, firstValueFrom, share } from 'rxjs';
import { afterEach, describe, expect, it } from 'vitest';
import type { TargetSet } from '../../../../src/component/targets.js';
import { startChild, stopAllChildren } from '../children.js';
import { linux, receive } from '../receive.js';

afterEach(() => stopAllChildren());

describe.runIf(linux)('process targets from discovery', () => {
  it('watches an instance found by command line within a second of its registration at a 15 s interval, and closes its series when it leaves', async () => {
    const tag = randomBytes(4).toString('hex');
    const pid = await startChild({ args: [`--registered=${tag}`] });
    const sets$ = new BehaviorSubject<TargetSet>([]);
    const { batches$ } = receive({ collection_interval: '15s', targets: [{ service: 'healthpipe', self: true }], targets_from: ['registry'] }, { targets$: sets$ });
    const shared$ = batches$.pipe(share());
    const kept = shared$.subscribe();
    try {
      await firstValueFrom(shared$);
      const registered = performance.now();
      const watched = firstValueFrom(shared$.pipe(filter((batch) => batch.some((point) => point.series.resource.serviceName === 'worker'))));
      sets$.next([{ id: 'worker-1', source: 'registry', service: 'worker', commandLine: `registered=${tag}`, labels: { zone: 'a' } }]);
      const batch = await watched;
      // Far below the 15 s interval: the new set was scraped at once (the bound is loose for a loaded machine).
      expect(performance.now() - registered).toBeLessThan(5_000);
      const resource = batch.find((point) => point.series.resource.serviceName === 'worker')!.series.resource;
      expect(resource.attributes).toMatchObject({ 'service.instance.id': 'worker-1', 'process.pid': pid, zone: 'a' });
      const workerSeries = new Set(batch.filter((point) => point.series.resource.serviceName === 'worker').map((point) => point.series.key));

      const left = firstValueFrom(shared$.pipe(filter((next) => next.some((point) => point.stale === true))));
      sets$.next([]);
      const markers = (await left).filter((point) => point.stale === true);
      expect(new Set(markers.map((point) => point.series.key))).toEqual(workerSeries);
    } finally {
      kept.unsubscribe();
    }
  }, 20_000);
});

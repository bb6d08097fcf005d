import { EMPTY, NEVER, firstValueFrom, of, takeUntil, throwError, timer, toArray } from 'rxjs';
import { afterEach, describe, expect, it } from 'vitest';
import type { TargetSet } from '../../../src/component/targets.js';
import { startChild, stopAllChildren } from './children.js';
import { batches, linux, receive } from './receive.js';

afterEach(() => stopAllChildren());

describe.runIf(linux)('process receiver targets', () => {
  it('adds discovered instances with a PID when targets_from names a source', async () => {
    const pid = await startChild();
    const targets$ = of<TargetSet>([
      { id: 'api-1', source: 'registry', service: 'api', pid, labels: { zone: 'a' } },
      { id: 'web-1', source: 'registry', service: 'web', healthUrl: 'http://127.0.0.1:1/health', labels: {} },
    ]);
    const { batches$ } = receive({ targets: [{ service: 'healthpipe', self: true }], targets_from: ['registry'] }, { targets$ });
    const [batch] = await batches(batches$, 1);
    const services = new Map(batch!.map((point) => [point.series.resource.serviceName, point.series.resource.attributes]));
    expect([...services.keys()]).toEqual(['healthpipe', 'api']);
    expect(services.get('api')).toMatchObject({ 'service.instance.id': 'api-1', 'process.pid': pid, zone: 'a' });
  });

  it('ignores discovery when targets_from is empty', async () => {
    const pid = await startChild();
    const targets$ = of<TargetSet>([{ id: 'api-1', source: 'registry', service: 'api', pid, labels: {} }]);
    const { batches$ } = receive({ targets: [{ service: 'healthpipe', self: true }] }, { targets$ });
    const [batch] = await batches(batches$, 1);
    expect(new Set(batch!.map((point) => point.series.resource.serviceName))).toEqual(new Set(['healthpipe']));
  });

  it('scrapes the configured targets when discovery is empty, silent or failing', async () => {
    for (const targets$ of [EMPTY, NEVER, throwError(() => new Error('registry down'))]) {
      const { batches$, context } = receive({ targets: [{ service: 'healthpipe', self: true }], targets_from: ['registry'] }, { targets$ });
      const received = await batches(batches$, 2);
      expect(received.every((batch) => batch[0]!.series.resource.serviceName === 'healthpipe')).toBe(true);
      expect(context.telemetry.counts.refused).toBe(0);
    }
  });

  it('emits no empty batches when there is nothing to watch', async () => {
    const { batches$ } = receive({ collection_interval: '20ms' });
    const received = await firstValueFrom(batches$.pipe(takeUntil(timer(150)), toArray()));
    expect(received).toEqual([]);
  });
});

import { describe, expect, it } from 'vitest';
import { Subject, lastValueFrom, of, toArray } from 'rxjs';
import { staleMarker, type MetricBatch } from '../../../src/model/point.js';
import { Resource, SeriesSet } from '../../../src/model/series.js';
import { rewriteAttributes } from '../../../processors/attributes/rewrite-attributes.js';
import { compileRewrite } from '../../../processors/attributes/actions.js';
import type { SeriesRewriter } from '../../../processors/attributes/series-rewriter.js';
import { apiCpu, apiHealth, apiOther, attributesOperator, rewritten } from './fixtures.js';

const DELETE_USER = { action: 'delete', key: 'user', target: 'point' } as const;

describe('attributes processor: series identity', () => {
  it('gives every point of a series the same output series object, batch after batch', async () => {
    const out = await rewritten([{ action: 'delete', key: 'route' }], [{ series: apiHealth, value: 1, time: 0 }], [{ series: apiHealth, value: 2, time: 1 }]);
    expect(out[0]![0]!.series).toBe(out[1]![0]!.series);
    expect(out[0]![0]!.series).not.toBe(apiHealth);
  });

  it('interns by content: two series that the actions make equal share one output object', async () => {
    const [batch] = await rewritten(
      [{ action: 'delete', key: 'user' }],
      [
        { series: apiHealth, value: 1, time: 0 },
        { series: apiOther, value: 0, time: 0 },
      ],
    );
    expect(batch![0]!.series).toBe(batch![1]!.series);
    expect(batch![0]!.series.attributes).toEqual({ route: '/health' });
  });

  it('is the interned series a receiver makes for that content: the same key', async () => {
    const [batch] = await rewritten([{ action: 'upsert', key: 'team', value: 'payments' }], [{ series: apiHealth, value: 1, time: 0 }]);
    const expected = new SeriesSet(apiHealth.resource).get(apiHealth.descriptor, { route: '/health', user: 'alice', team: 'payments' });
    expect(batch![0]!.series.key).toBe(expected.key);
  });

  it('passes a batch whose series the actions leave alone as it came, and its points unchanged', async () => {
    const batch: MetricBatch = [{ series: apiCpu, value: 1, time: 0 }];
    const [out] = await rewritten([{ action: 'delete', key: 'user' }, { action: 'update', key: 'absent', value: 1 }], batch);
    expect(out).toBe(batch);
  });

  it('keeps a new process of the same service apart by its volatile PID: the output carries the new resource', async () => {
    const restarted = new SeriesSet(new Resource({ ...apiHealth.resource.attributes, 'process.pid': 5151 }, { volatile: ['process.pid'] }));
    const again = restarted.get(apiHealth.descriptor, apiHealth.attributes);
    const out = await rewritten([{ action: 'delete', key: 'user' }], [{ series: apiHealth, value: 1, time: 0 }], [{ series: again, value: 1, time: 1 }]);
    const [before, after] = [out[0]![0]!.series, out[1]![0]!.series];
    expect(after.key).toBe(before.key);
    expect(after.resource.attributes['process.pid']).toBe(5151);
  });
});

describe('attributes processor: staleness markers', () => {
  it('gives a marker the same rewrite, so downstream state keyed by the new series is freed', async () => {
    const out = await rewritten([{ action: 'rename', from_attribute: 'user', key: 'principal' }], [{ series: apiHealth, value: 1, time: 0 }], [staleMarker(apiHealth, 1)]);
    const [value, marker] = [out[0]![0]!, out[1]![0]!];
    expect(marker.stale).toBe(true);
    expect(marker.series.key).toBe(value.series.key);
    expect(marker.series.attributes).toEqual({ route: '/health', principal: 'alice' });
  });

  it('forgets the interned output of a series whose source left', () => {
    let rewriter: SeriesRewriter | undefined;
    const operator = rewriteAttributes({ point: compileRewrite([DELETE_USER]), probe: (r) => (rewriter = r) });
    const input = new Subject<MetricBatch>();
    const subscription = input.pipe(operator).subscribe();
    input.next([{ series: apiHealth, value: 1, time: 0 }, { series: apiCpu, value: 1, time: 0 }]);
    // cpu has no `user`: it is passed unchanged and never interned.
    expect(rewriter?.internedCount).toBe(1);
    input.next([staleMarker(apiHealth, 1)]);
    expect(rewriter?.internedCount).toBe(0);
    subscription.unsubscribe();
  });

  it('interns a bounded number of series, forgetting the oldest', () => {
    let rewriter: SeriesRewriter | undefined;
    const operator = rewriteAttributes({ point: compileRewrite([DELETE_USER]), maxInterned: 3, probe: (r) => (rewriter = r) });
    const input = new Subject<MetricBatch>();
    const outputs: MetricBatch[] = [];
    const subscription = input.pipe(operator).subscribe((batch) => outputs.push(batch));
    const set = new SeriesSet(apiHealth.resource);
    const many = Array.from({ length: 5 }, (_, i) => set.get(apiHealth.descriptor, { n: i, user: 'u' }));
    input.next(many.map((series) => ({ series, value: 1, time: 0 })));
    expect(rewriter?.internedCount).toBe(3);
    // Still rewritten right, and the same object on the next point (memoised on the input).
    input.next([{ series: many[0]!, value: 2, time: 1 }]);
    expect(outputs[1]![0]!.series).toBe(outputs[0]![0]!.series);
    expect(outputs[1]![0]!.series.attributes).toEqual({ n: 0 });
    // New input objects (a restarted receiver's): the newest content is still interned, the oldest was forgotten.
    const again = new SeriesSet(apiHealth.resource);
    input.next([0, 4].map((n) => ({ series: again.get(apiHealth.descriptor, { n, user: 'u' }), value: 3, time: 2 })));
    const [oldest, newest] = outputs[2]!;
    expect(newest!.series).toBe(outputs[0]![4]!.series);
    expect(oldest!.series).not.toBe(outputs[0]![0]!.series);
    expect(oldest!.series.key).toBe(outputs[0]![0]!.series.key);
    subscription.unsubscribe();
  });

  it('passes markers in their place among the points', async () => {
    const { operator } = attributesOperator({ actions: [{ action: 'delete', key: 'user' }] });
    const [batch] = await lastValueFrom(of<MetricBatch[]>([{ series: apiCpu, value: 1, time: 0 }, staleMarker(apiHealth, 0), { series: apiOther, value: 1, time: 0 }]).pipe(operator, toArray()));
    expect(batch!.map((p) => `${p.series.name}${p.stale === true ? ' stale' : ''}`)).toEqual(['process.cpu.utilization', 'healthcheck.up stale', 'healthcheck.up']);
  });
});

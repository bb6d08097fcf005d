import { describe, expect, it } from 'vitest';
import { lastValueFrom, of, toArray } from 'rxjs';
import { staleMarker, type MetricBatch } from '../../../src/model/point.js';
import { apiCpu, apiHealth, apiPhase, dbCpu, dbHealth, describeBatch, filterOperator, newTestScheduler, point } from './fixtures.js';

const ALL = [apiCpu, apiHealth, apiPhase, dbCpu, dbHealth];

/** What the filter keeps of one batch of a point per series, as `service/metric` lines. */
async function kept(config: Record<string, unknown>, batch: MetricBatch = ALL.map((series) => point(series))): Promise<string[][]> {
  const { operator } = filterOperator(config);
  return lastValueFrom(of(batch).pipe(operator, describeBatch, toArray()));
}

describe('filter processor: include and exclude', () => {
  it('keeps only the metric names included (strict)', async () => {
    expect(await kept({ include: { metric_names: ['healthcheck.up', 'nope'] } })).toEqual([['api/healthcheck.up', 'db/healthcheck.up']]);
  });

  it('drops the metric names excluded, by a regular expression that must match the whole name', async () => {
    expect(await kept({ exclude: { match_type: 'regexp', metric_names: ['healthcheck\\.http\\..*', 'cpu'] } })).toEqual([
      ['api/process.cpu.utilization', 'api/healthcheck.up', 'db/process.cpu.utilization', 'db/healthcheck.up'],
    ]);
  });

  it('matches point attributes: all of them, by value or by presence alone', async () => {
    expect(await kept({ include: { attributes: [{ key: 'route', value: '/health' }, { key: 'code' }] } })).toEqual([['api/healthcheck.up']]);
    expect(await kept({ include: { attributes: [{ key: 'route' }] } })).toEqual([['api/healthcheck.up', 'db/healthcheck.up']]);
  });

  it('compares strict values with their type: the number 200 is not the text "200"', async () => {
    expect(await kept({ include: { attributes: [{ key: 'code', value: 200 }] } })).toEqual([['api/healthcheck.up']]);
    expect(await kept({ include: { attributes: [{ key: 'code', value: '200' }] } })).toEqual([]);
  });

  it('matches a regular expression against the text of any value', async () => {
    expect(await kept({ include: { match_type: 'regexp', attributes: [{ key: 'code', value: '5..' }] } })).toEqual([['db/healthcheck.up']]);
  });

  it('matches resource attributes, volatile or not', async () => {
    expect(await kept({ exclude: { resource_attributes: [{ key: 'deployment.environment', value: 'test' }] } })).toEqual([
      ['api/process.cpu.utilization', 'api/healthcheck.up', 'api/healthcheck.http.phase.duration'],
    ]);
  });

  it('needs every field of a block to match, and exclude wins over include', async () => {
    expect(
      await kept({
        include: { metric_names: ['process.cpu.utilization', 'healthcheck.up'], resource_attributes: [{ key: 'service.name', value: 'api' }] },
        exclude: { metric_names: ['healthcheck.up'] },
      }),
    ).toEqual([['api/process.cpu.utilization']]);
  });

  it('emits nothing for a batch it drops whole, and the same batch object when it drops nothing', async () => {
    const { operator } = filterOperator({ include: { metric_names: ['process.cpu.utilization'] } });
    const whole: MetricBatch = [point(apiCpu), point(dbCpu)];
    const out = await lastValueFrom(of([point(apiHealth)], whole).pipe(operator, toArray()));
    expect(out).toHaveLength(1);
    expect(out[0]).toBe(whole);
  });

  it('keeps the order of the points it keeps', async () => {
    const batch = [point(dbHealth), point(apiCpu), point(apiPhase), point(dbCpu), point(apiHealth)];
    expect(await kept({ exclude: { metric_names: ['healthcheck.http.phase.duration'] } }, batch)).toEqual([
      ['db/healthcheck.up', 'api/process.cpu.utilization', 'db/process.cpu.utilization', 'api/healthcheck.up'],
    ]);
  });
});

describe('filter processor: counting and staleness markers', () => {
  it('counts the points it drops with reason filtered, markers not included', async () => {
    const { operator, ctx } = filterOperator({ exclude: { metric_names: ['healthcheck.up'] } });
    const batches: MetricBatch[] = [
      [point(apiHealth), point(apiCpu), point(dbHealth)],
      [point(dbHealth), staleMarker(apiHealth, 1)],
    ];
    await lastValueFrom(of(...batches).pipe(operator, toArray()));
    expect(ctx.telemetry.countOf('dropped', { reason: 'filtered' })).toBe(3);
  });

  it("drops a dropped series' markers and passes a kept series' markers, in virtual time", () => {
    const testScheduler = newTestScheduler();
    testScheduler.run(({ hot, expectObservable }) => {
      const { operator } = filterOperator({ include: { metric_names: ['process.cpu.utilization'] } }, testScheduler);
      const source = hot('a 2ms b', {
        a: [point(apiCpu), point(apiHealth)],
        b: [staleMarker(apiHealth, 3), staleMarker(apiCpu, 3)],
      });
      expectObservable(source.pipe(operator, describeBatch)).toBe('a 2ms b', {
        a: ['api/process.cpu.utilization'],
        b: ['api/process.cpu.utilization stale'],
      });
    });
  });
});

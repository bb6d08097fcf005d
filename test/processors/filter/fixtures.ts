import { expect } from 'vitest';
import { map, type OperatorFunction, type SchedulerLike } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import { Resource, SeriesSet, type Series } from '../../../src/model/series.js';
import type { MetricBatch, MetricPoint } from '../../../src/model/point.js';
import { filterProcessor } from '../../../processors/filter/index.js';
import { createTestContext, type TestContext } from '../../helpers/context.js';

export function newTestScheduler(): TestScheduler {
  return new TestScheduler((actual, expected) => expect(actual).toEqual(expected));
}

const api = new SeriesSet(new Resource({ 'service.name': 'api', 'deployment.environment': 'prod' }));
const db = new SeriesSet(new Resource({ 'service.name': 'db', 'deployment.environment': 'test' }));

export const apiCpu = api.get({ name: 'process.cpu.utilization', unit: '1', kind: 'gauge' });
export const apiHealth = api.get({ name: 'healthcheck.up', unit: '1', kind: 'gauge' }, { route: '/health', code: 200 });
export const apiPhase = api.get({ name: 'healthcheck.http.phase.duration', unit: 's', kind: 'gauge' }, { phase: 'dns' });
export const dbCpu = db.get({ name: 'process.cpu.utilization', unit: '1', kind: 'gauge' });
export const dbHealth = db.get({ name: 'healthcheck.up', unit: '1', kind: 'gauge' }, { route: '/ready', code: 503 });

export function point(series: Series, value = 1, time = 0): MetricPoint {
  return { series, value, time };
}

/** `api/healthcheck.up`, `db/process.cpu.utilization stale`. */
function describePoint(p: MetricPoint): string {
  const text = `${p.series.resource.serviceName}/${p.series.name}`;
  return p.stale === true ? `${text} stale` : text;
}

export const describeBatch = map((batch: MetricBatch) => batch.map(describePoint));

export function filterOperator(
  config: Record<string, unknown>,
  scheduler?: SchedulerLike,
): { operator: OperatorFunction<MetricBatch, MetricBatch>; ctx: TestContext } {
  const ctx = createTestContext({ id: 'filter', ...(scheduler === undefined ? {} : { scheduler }) });
  return { operator: filterProcessor.create(filterProcessor.schema.parse(config), ctx), ctx };
}

import { lastValueFrom, of, toArray } from 'rxjs';
import { Resource, SeriesSet } from '../../../src/model/series.js';
import type { MetricBatch } from '../../../src/model/point.js';
import { attributesProcessor } from '../../../processors/attributes/index.js';
import { createTestContext, type TestContext } from '../../helpers/context.js';
import type { OperatorFunction, SchedulerLike } from 'rxjs';

/** A single-process target: its PID is volatile. */
export const apiResource = new Resource(
  { 'service.name': 'api', 'host.name': 'web-1', 'process.pid': 4242 },
  { volatile: ['process.pid'] },
);
const api = new SeriesSet(apiResource);

export const apiHealth = api.get({ name: 'healthcheck.up', unit: '1', kind: 'gauge' }, { route: '/health', user: 'alice' });
export const apiOther = api.get({ name: 'healthcheck.up', unit: '1', kind: 'gauge' }, { route: '/health', user: 'bob' });
export const apiCpu = api.get({ name: 'process.cpu.utilization', unit: '1', kind: 'gauge' });

export function attributesOperator(
  config: Record<string, unknown>,
  scheduler?: SchedulerLike,
): { operator: OperatorFunction<MetricBatch, MetricBatch>; ctx: TestContext } {
  const ctx = createTestContext({ id: 'attributes', ...(scheduler === undefined ? {} : { scheduler }) });
  return { operator: attributesProcessor.create(attributesProcessor.schema.parse(config), ctx), ctx };
}

/** Every output batch of the given input batches, through a processor with these actions. */
export async function rewritten(actions: readonly Record<string, unknown>[], ...batches: MetricBatch[]): Promise<MetricBatch[]> {
  const { operator } = attributesOperator({ actions });
  return lastValueFrom(of(...batches).pipe(operator, toArray()));
}

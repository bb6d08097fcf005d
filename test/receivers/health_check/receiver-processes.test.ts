import { join } from 'node:path';
import { filter, firstValueFrom, scan, type Observable } from 'rxjs';
import { describe, expect, it } from 'vitest';
import type { MetricBatch, MetricPoint } from '../../../src/model/point.js';
import { healthCheckConfigSchema } from '../../../receivers/health_check/config.js';
import { createHealthCheckReceiver } from '../../../receivers/health_check/receiver.js';
import { createTestContext } from '../../helpers/context.js';
import { eventually, isAlive, pidIn, writePlugin } from './plugins.js';
import { refusedPort, useFixtures } from './servers.js';

const fixtures = useFixtures();


/** Every point until `done` holds of them all. */
function pointsUntil(batches$: Observable<MetricBatch>, done: (points: MetricPoint[]) => boolean): Promise<MetricPoint[]> {
  return firstValueFrom(
    batches$.pipe(
      scan((all, batch) => [...all, ...batch], [] as MetricPoint[]),
      filter(done),
    ),
  );
}

const of = (points: MetricPoint[], service: string, name: string) =>
  points.filter((point) => point.series.name === name && point.series.resource.attributes['service.name'] === service);

describe('health_check receiver with real processes and sockets', () => {
  it('cuts a hanging plugin at the timeout, kills its process group, and keeps checking the other targets', async () => {
    const pids = join(fixtures.folder, 'hang.pids');
    const hang = writePlugin(fixtures.folder, 'hang', `sleep 300 &\necho $! > ${pids}\nwait`);
    const config = healthCheckConfigSchema.parse({
      collection_interval: '200ms',
      timeout: '300ms',
      targets: [
        { service: 'stuck', collection_interval: '1s', exec: { command: [hang] } },
        { service: 'db', tcp: { host: '127.0.0.1', port: fixtures.port } },
      ],
    });
    const points = await pointsUntil(
      createHealthCheckReceiver(config, createTestContext()),
      (all) => of(all, 'stuck', 'healthcheck.error').length >= 1 && of(all, 'db', 'healthcheck.up').length >= 3,
    );
    const error = of(points, 'stuck', 'healthcheck.error')[0]!;
    expect([error.value, error.series.attributes['error.type']]).toEqual([1, 'timeout']);
    expect(of(points, 'stuck', 'healthcheck.up')[0]!.value).toBe(0);
    expect(of(points, 'db', 'healthcheck.up').every((point) => point.value === 1)).toBe(true);
    const sleeper = await pidIn(pids);
    expect(await eventually(() => !isAlive(sleeper))).toBe(true);
  });

  it('reports a refused port as critical with connection_refused on every check', async () => {
    const free = await refusedPort();
    const config = healthCheckConfigSchema.parse({
      collection_interval: '100ms',
      failure_threshold: 2,
      targets: [{ service: 'gone', tcp: { host: '127.0.0.1', port: free } }],
    });
    const points = await pointsUntil(createHealthCheckReceiver(config, createTestContext()), (all) => of(all, 'gone', 'healthcheck.up').length >= 2);
    expect(of(points, 'gone', 'healthcheck.error').map((point) => point.series.attributes['error.type'])).toEqual([
      'connection_refused',
      'connection_refused',
    ]);
    expect(of(points, 'gone', 'healthcheck.up')[0]!.message).toBe('connection refused');
    expect(of(points, 'gone', 'healthcheck.state').map((point) => point.value)).toEqual([2, 2]);
  });
});

import type { Subscription } from 'rxjs';
import { afterEach, describe, expect, it } from 'vitest';
import type { MetricBatch, MetricPoint } from '../../../src/index.js';
import { registryConfigSchema } from '../../../receivers/registry/config.js';
import { registryReceiver$ } from '../../../receivers/registry/receiver.js';
import { discoveryOf } from '../../helpers/discovery.js';
import { createTestContext } from '../../helpers/context.js';
import { SteppingScheduler } from '../../helpers/virtual-time.js';
import { EMPTY } from 'rxjs';
import { FakeSource, entry } from './fake-source.js';

function setUp(collectionInterval = '15s') {
  const scheduler = new SteppingScheduler();
  const discovery = discoveryOf(EMPTY);
  const context = createTestContext({ id: 'registry', scheduler, discovery });
  const source = new FakeSource();
  const config = registryConfigSchema.parse({ file: './unused.yaml', collection_interval: collectionInterval });
  const batches: MetricBatch[] = [];
  const subscription = registryReceiver$(source, config, context).subscribe((batch) => batches.push(batch));
  subscriptions.push(subscription);
  const points = (): MetricPoint[] => batches.flat();
  const warnings = () => context.logs.records().filter((record) => record['level'] === 'warn').map((record) => String(record['message']));
  return { scheduler, discovery, context, source, batches, points, warnings };
}

const subscriptions: Subscription[] = [];
afterEach(() => {
  for (const subscription of subscriptions.splice(0)) subscription.unsubscribe();
});

const counts = (points: MetricPoint[]) =>
  Object.fromEntries(points.filter((point) => point.series.name === 'registry.instance.count').map((point) => [point.series.attributes['state'], point.value]));

describe('the registry receiver', () => {
  it('publishes nothing and counts nothing before the first complete read, even when the source is down', () => {
    const { scheduler, discovery, source, points, warnings } = setUp();
    source.down('no such file');
    scheduler.advanceTo(60_000);
    expect(discovery.published).toEqual([]);
    expect(points()).toEqual([]);
    expect(warnings()).toEqual(['cannot read fake registry: no such file; nothing is published until it can be read']);
  });

  it('is degraded while its source is down, said once per outage with the reason, and recovered when it reads again', () => {
    const { source, context } = setUp();
    const changes: string[] = [];
    context.statuses.changes$.subscribe((status) => changes.push(`${status.state} ${status.lastError?.message ?? ''}`.trim()));
    context.statuses.set('registry', 'receiver', 'running');
    source.down('connection refused');
    source.down('timeout');
    source.set([entry('a', { service: 'api', host: '127.0.0.1', port: 8080 })]);
    source.set([entry('a', { service: 'api', host: '127.0.0.1', port: 8080 })]);
    expect(changes).toEqual([
      'running',
      'degraded cannot read fake registry: connection refused',
      // The last error is kept after it recovered.
      'running cannot read fake registry: connection refused',
    ]);
  });

  it('publishes each changed set at once, the first one even when empty, and an unchanged one never again', () => {
    const { discovery, source } = setUp();
    source.set([]);
    source.set([entry('a', { service: 'api', host: '127.0.0.1', port: 8080, labels: { team: 'x' } })]);
    source.set([entry('a', { service: 'api', host: '127.0.0.1', port: 8080, labels: { team: 'x' } }, 5_000)]);
    expect(discovery.published).toEqual([
      { instances: [], stale: false },
      { instances: [{ id: 'a', source: 'registry', service: 'api', host: '127.0.0.1', port: 8080, labels: { team: 'x' } }], stale: false },
    ]);
  });

  it('maps every field of an instance', () => {
    const { discovery, source } = setUp();
    source.set([
      entry('a', {
        id: 'a',
        service: 'api',
        health_url: 'http://127.0.0.1:8080/health',
        pid: 42,
        pid_file: '/run/api.pid',
        command_line: 'node .*api',
        executable: 'node',
      }),
    ]);
    expect(discovery.published[0]!.instances).toEqual([
      {
        id: 'a',
        source: 'registry',
        service: 'api',
        healthUrl: 'http://127.0.0.1:8080/health',
        pid: 42,
        pidFile: '/run/api.pid',
        commandLine: 'node .*api',
        executable: 'node',
        labels: {},
      },
    ]);
  });

  it('skips an invalid entry, reports it once while it stays invalid, and publishes the rest', () => {
    const { discovery, source, warnings } = setUp();
    const bad = entry('b', { service: 'db', prot: 5432 });
    source.set([entry('a', { service: 'api' }), bad, entry('c', { host: 'x' }), entry('a', { service: 'again' }), entry('', { service: 'x' })]);
    source.set([entry('a', { service: 'api' }), bad, entry('d', { service: 'new' })]);
    expect(discovery.published.map((set) => set.instances.map((instance) => instance.id))).toEqual([['a'], ['a', 'd']]);
    expect(warnings()).toEqual([
      'fake:b: not a valid instance, skipped: Unrecognized key: "prot"',
      'fake:c: not a valid instance, skipped: service: Invalid input: expected string, received undefined',
      'fake:a: not a valid instance, skipped: the id "a" is already used at fake:a',
      'fake:: not a valid instance, skipped: has no id (a list entry needs an `id` field)',
    ]);
    // Fixed, then broken the same way again: a new appearance, reported again.
    source.set([entry('a', { service: 'api' })]);
    source.set([entry('a', { service: 'api' }), bad]);
    expect(warnings().filter((line) => line.startsWith('fake:b'))).toHaveLength(2);
  });

  it('refuses an id field that differs from the key, and a label that is not a string', () => {
    const { discovery, source, warnings } = setUp();
    source.set([entry('a', { id: 'z', service: 'api' }), entry('b', { service: 'api', labels: { zone: 3 } })]);
    expect(discovery.published[0]!.instances).toEqual([]);
    expect(warnings()).toEqual([
      'fake:a: not a valid instance, skipped: its id field "z" differs from its key "a"',
      'fake:b: not a valid instance, skipped: labels.zone: Invalid input: expected string, received number',
    ]);
  });

  it('republishes its last set as stale when the source goes down, once per outage, and fresh when it is back', () => {
    const { discovery, source, warnings, context } = setUp();
    const a = entry('a', { service: 'api' });
    source.set([a]);
    source.down('connection refused');
    source.down('timeout');
    source.set([a]);
    source.down('HTTP 503');
    expect(discovery.published.map((set) => [set.instances.length, set.stale])).toEqual([
      [1, false],
      [1, true],
      [1, false],
      [1, true],
    ]);
    expect(warnings()).toEqual([
      'cannot read fake registry: connection refused; its last 1 instances stand, stale',
      'cannot read fake registry: HTTP 503; its last 1 instances stand, stale',
    ]);
    expect(context.logs.records().some((record) => record['message'] === 'fake registry is readable again')).toBe(true);
  });

  it('counts instances by state and emits heartbeat ages every collection_interval, in virtual time', () => {
    const { scheduler, source, batches } = setUp('10s');
    scheduler.advanceTo(1_000);
    expect(batches).toEqual([]);
    source.set([entry('a', { service: 'api', labels: { team: 'x' } }, 1_000), entry('b', { service: 'db' }, 1_000), entry('c', { nope: 1 }, 1_000)]);
    scheduler.advanceTo(10_000);
    const first = batches.at(-1)!;
    expect(counts([...first])).toEqual({ valid: 2, stale: 0, invalid: 1 });
    const ages = first.filter((point) => point.series.name === 'registry.heartbeat.age');
    expect(ages.map((point) => [point.series.resource.attributes, point.value])).toEqual([
      [{ team: 'x', 'service.name': 'api', 'service.instance.id': 'a' }, 9],
      [{ 'service.name': 'db', 'service.instance.id': 'b' }, 9],
    ]);
    expect(first[0]!.series.resource.attributes).toEqual({ 'service.name': 'registry', 'service.instance.id': 'registry' });
    source.down('gone');
    scheduler.advanceTo(20_000);
    const second = batches.at(-1)!;
    expect(counts([...second])).toEqual({ valid: 0, stale: 2, invalid: 1 });
    expect(second.find((point) => point.series.name === 'registry.heartbeat.age')!.value).toBe(19);
  });

  it('ends the heartbeat series of an instance that leaves, or changes its resource, with a staleness marker at once', () => {
    const { scheduler, source, batches } = setUp('1s');
    source.set([entry('a', { service: 'api' }), entry('b', { service: 'db' })]);
    scheduler.advanceTo(3_000);
    const before = batches.length;
    source.set([entry('b', { service: 'db', labels: { zone: 'z1' } })]);
    const markers = batches.slice(before).flat();
    expect(markers.map((point) => [point.stale, point.time, point.series.resource.attributes['service.instance.id'], point.series.resource.attributes['zone']])).toEqual([
      [true, 3_000, 'a', undefined],
      [true, 3_000, 'b', undefined],
    ]);
    scheduler.advanceTo(10_000);
    const ages = batches.at(-1)!.filter((point) => point.series.name === 'registry.heartbeat.age');
    expect(ages.map((point) => point.series.resource.attributes['zone'])).toEqual(['z1']);
  });
});

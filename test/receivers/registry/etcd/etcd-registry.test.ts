import { vi, describe, expect, it } from 'vitest';
import { runRegistry } from '../running-registry.js';
import { etcdFixture, instance, PREFIX } from './fixture.js';

const WAIT = { timeout: 20_000, interval: 20 };

/** The registry receiver following a real etcd: what its consumers are given. */
describe('registry receiver with an etcd source', () => {
  const fixture = etcdFixture();

  function run(endpoint: string) {
    const registry = runRegistry({ etcd: { endpoints: [endpoint], prefix: PREFIX, max_retry_delay: '500ms' }, collection_interval: '200ms' });
    fixture.cleanup(() => registry.stop());
    return registry;
  }

  it('skips a value that is not JSON, and one that is no instance, each reported once with its key', async () => {
    const { etcd, client } = await fixture.start();
    await client.put(`${PREFIX}api-1`).value(instance('api', 8080));
    await client.put(`${PREFIX}broken`).value('{"service": "api",');
    await client.put(`${PREFIX}nameless`).value('{"port": 80}');
    const registry = run(etcd.url);
    await vi.waitFor(() => expect(registry.last()).toEqual({ ids: ['api-1'], stale: false }), WAIT);

    await client.put(`${PREFIX}api-2`).value(instance('api', 8081));
    await vi.waitFor(() => expect(registry.last()?.ids.sort()).toEqual(['api-1', 'api-2']), WAIT);
    const broken = registry.warnings().filter((message) => message.startsWith(`${PREFIX}broken:`));
    expect(broken).toHaveLength(1);
    expect(broken[0]).toMatch(/not a valid instance, skipped: the value is not JSON: /);
    expect(registry.warnings().filter((message) => message.startsWith(`${PREFIX}nameless:`))).toHaveLength(1);
  });

  it('keeps the last set, stale, while etcd is stopped, and follows it again once started', async () => {
    const { etcd, client } = await fixture.start();
    await client.put(`${PREFIX}api-1`).value(instance('api', 8080));
    const registry = run(etcd.url);
    await vi.waitFor(() => expect(registry.last()).toEqual({ ids: ['api-1'], stale: false }), WAIT);

    await etcd.halt();
    await vi.waitFor(() => expect(registry.last()).toEqual({ ids: ['api-1'], stale: true }), WAIT);
    await etcd.start();
    await vi.waitFor(() => expect(registry.last()).toEqual({ ids: ['api-1'], stale: false }), WAIT);

    await client.delete().key(`${PREFIX}api-1`);
    await vi.waitFor(() => expect(registry.last()).toEqual({ ids: [], stale: false }), WAIT);
  });
});

import { Etcd3 } from 'etcd3';
import { afterEach, describe, expect, it } from 'vitest';
import { startEtcd, type RunningEtcd } from '../helpers/etcd.js';

/**
 * The etcd the registry's `etcd` source is tested against (DESIGN.md section 5): it starts
 * per test, keeps its data across a restart on the same ports, and an expired lease shows
 * as a delete (PROTOCOLS.md section 8).
 */
describe('etcd 3.4 from Debian', () => {
  const cleanups: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  async function start(): Promise<{ etcd: RunningEtcd; client: Etcd3 }> {
    const etcd = await startEtcd();
    cleanups.push(() => etcd.stop());
    const client = new Etcd3({ hosts: etcd.url });
    cleanups.push(async () => client.close());
    return { etcd, client };
  }

  it('keeps what was put across a restart on the same ports and data', async () => {
    const { etcd, client } = await start();
    await client.put('/services/api-1').value('{"service":"api"}');
    const pid = etcd.pid();
    await etcd.restart();
    expect(etcd.pid()).not.toBe(pid);
    expect(await client.get('/services/api-1').string()).toBe('{"service":"api"}');
  });

  it('refuses connections while halted', async () => {
    const { etcd } = await start();
    await etcd.halt();
    await expect(fetch(`${etcd.url}/health`)).rejects.toThrow();
    await etcd.start();
    const response = await fetch(`${etcd.url}/health`);
    expect(await response.json()).toMatchObject({ health: 'true' });
  });

  it('deletes the keys of a lease that expires, as a watch delete', async () => {
    const { client } = await start();
    const watcher = await client.watch().prefix('/services/').create();
    cleanups.push(() => watcher.cancel());
    const deleted = new Promise<string>((resolve) => watcher.on('delete', (kv) => resolve(kv.key.toString())));
    const lease = client.lease(1, { autoKeepAlive: false });
    await lease.put('/services/short').value('{"service":"short"}');
    expect(await deleted).toBe('/services/short');
    await lease.revoke().catch(() => undefined);
  });
});

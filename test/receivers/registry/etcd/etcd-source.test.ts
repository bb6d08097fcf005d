import { describe, expect, it } from 'vitest';
import { etcdFixture, instance, PREFIX } from './fixture.js';

/** The etcd source against a real etcd 3.4: a complete read, then the watch (PROTOCOLS.md section 8). */
describe('etcd registry source', () => {
  const fixture = etcdFixture();

  it('reads the whole prefix as one set: the id is the key after the prefix, the value its JSON', async () => {
    const { etcd, client } = await fixture.start();
    await client.put(`${PREFIX}api-1`).value(instance('api', 8080));
    await client.put(`${PREFIX}db-1`).value(instance('db', 5432));
    await client.put('/elsewhere/x').value(instance('other', 1));
    const { updates } = fixture.follow(etcd.url);
    const first = await updates.next(() => true);
    expect(first.kind).toBe('set');
    const entries = first.kind === 'set' ? first.entries : [];
    expect(entries.map((entry) => entry.id).sort()).toEqual(['api-1', 'db-1']);
    const api = entries.find((entry) => entry.id === 'api-1');
    expect(api?.value).toEqual({ service: 'api', host: '127.0.0.1', port: 8080 });
    expect(api?.where).toBe(`${PREFIX}api-1`);
    expect(typeof api?.seenAt).toBe('number');
  });

  it('reads an empty prefix as an empty set, not as nothing', async () => {
    const { etcd } = await fixture.start();
    const { updates } = fixture.follow(etcd.url);
    expect(await updates.next(() => true)).toEqual({ kind: 'set', entries: [] });
  });

  it('follows puts and deletes: a new key is added, a changed value replaced, a deleted key removed', async () => {
    const { etcd, client } = await fixture.start();
    const { updates, context } = fixture.follow(etcd.url);
    await updates.nextSet((set) => set.size === 0);

    await client.put(`${PREFIX}api-1`).value(instance('api', 8080));
    const added = await updates.nextSet((set) => set.has('api-1'));
    const firstSeen = added.get('api-1')!.seenAt;

    await client.put(`${PREFIX}api-1`).value(instance('api', 9090));
    const changed = await updates.nextSet((set) => (set.get('api-1')?.value as { port?: number } | undefined)?.port === 9090);
    expect(changed.get('api-1')!.seenAt).toBeGreaterThanOrEqual(firstSeen);

    await client.delete().key(`${PREFIX}api-1`);
    await updates.nextSet((set) => set.size === 0);
    expect(context.logs.records().filter((record) => record.level === 'warn' || record.level === 'error')).toEqual([]);
  });

  it('removes the keys of a lease that expires: a service that stops its heartbeat leaves', async () => {
    const { etcd, client } = await fixture.start();
    await client.put(`${PREFIX}db-1`).value(instance('db', 5432));
    const { updates } = fixture.follow(etcd.url);
    await updates.nextSet((set) => set.has('db-1'));

    // Two keys on one lease go in one transaction: both leave together.
    const lease = client.lease(1, { autoKeepAlive: false });
    fixture.cleanup(() => lease.revoke().catch(() => undefined));
    await lease.put(`${PREFIX}api-1`).value(instance('api', 8080));
    await lease.put(`${PREFIX}api-2`).value(instance('api', 8081));
    await updates.nextSet((set) => set.has('api-1') && set.has('api-2'));
    const after = await updates.nextSet((set) => !set.has('api-1') && !set.has('api-2'));
    expect([...after.keys()]).toEqual(['db-1']);
  });

  it('hands a value that is not JSON on with why, so the receiver reports it with its key and skips it', async () => {
    const { etcd, client } = await fixture.start();
    await client.put(`${PREFIX}api-1`).value(instance('api', 8080));
    await client.put(`${PREFIX}broken`).value('{"service": "api",');
    const { updates } = fixture.follow(etcd.url);
    const set = await updates.nextSet((set) => set.has('broken'));
    const broken = set.get('broken')!;
    expect(broken.value).toBe('{"service": "api",');
    expect(broken.unreadable).toMatch(/^the value is not JSON: /);
    expect(broken.where).toBe(`${PREFIX}broken`);
    expect(set.get('api-1')?.unreadable).toBeUndefined();
  });
});

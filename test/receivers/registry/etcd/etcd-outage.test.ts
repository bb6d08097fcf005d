import { describe, expect, it } from 'vitest';
import { etcdFixture, instance, PREFIX } from './fixture.js';
import { startTcpProxy } from './tcp-proxy.js';

/** etcd going away and coming back under a source that follows it. */
describe('etcd registry source through outages', () => {
  const fixture = etcdFixture();

  /** A source following api-1 and api-2 through a relay, then cut off from etcd (which stays up). */
  async function followCutOff() {
    const { etcd, client } = await fixture.start();
    const proxy = await startTcpProxy(etcd.clientPort);
    fixture.cleanup(() => proxy.close());
    await client.put(`${PREFIX}api-1`).value(instance('api', 8080));
    await client.put(`${PREFIX}api-2`).value(instance('api', 8081));
    const { updates, context } = fixture.follow(proxy.url);
    await updates.nextSet((set) => set.size === 2);
    await proxy.cut();
    await updates.next((update) => update.kind === 'down');
    return { client, proxy, updates, context };
  }

  it('says down once per outage, keeps following, and sends a fresh set when etcd is back', async () => {
    const { etcd, client } = await fixture.start();
    await client.put(`${PREFIX}api-1`).value(instance('api', 8080));
    const { updates } = fixture.follow(etcd.url);
    await updates.nextSet((set) => set.has('api-1'));

    await etcd.halt();
    const down = await updates.next((update) => update.kind === 'down');
    expect(down.kind === 'down' && down.reason).toMatch(/\S/);
    // Several reconnection attempts fail meanwhile; the outage is still one `down`.
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    await etcd.start();

    const back = await updates.nextSet((set) => set.has('api-1'));
    expect(back.size).toBe(1);
    expect(updates.updates.filter((update) => update.kind === 'down')).toHaveLength(1);

    // The watch was resumed: a put after the restart is followed.
    await client.put(`${PREFIX}api-2`).value(instance('api', 8081));
    await updates.nextSet((set) => set.has('api-1') && set.has('api-2'));
  });

  it('starts down when etcd is unreachable, and reads it once it is up', async () => {
    const { etcd, client } = await fixture.start();
    await client.put(`${PREFIX}api-1`).value(instance('api', 8080));
    await etcd.halt();
    const { updates } = fixture.follow(etcd.url);
    expect((await updates.next(() => true)).kind).toBe('down');
    await etcd.start();
    await updates.nextSet((set) => set.has('api-1'));
  });

  it('resumes the watch from the last revision it saw: what changed while it was cut off is not lost', async () => {
    const { client, proxy, updates, context } = await followCutOff();
    await client.delete().key(`${PREFIX}api-1`);
    await client.put(`${PREFIX}api-3`).value(instance('api', 8082));
    await proxy.mend();

    const after = await updates.nextSet((set) => set.has('api-3'));
    expect([...after.keys()].sort()).toEqual(['api-2', 'api-3']);
    // Resumed, not read again: no cancel of the watch was logged.
    expect(context.logs.lines.filter((line) => line.includes('reading the prefix again'))).toEqual([]);
  });

  it('reads the whole prefix again when the revision to resume from was compacted away', async () => {
    const { client, proxy, updates, context } = await followCutOff();
    await client.delete().key(`${PREFIX}api-1`);
    const put = await client.put(`${PREFIX}api-3`).value(instance('api', 8082));
    await client.kv.compact({ revision: put.header.revision, physical: true });
    await proxy.mend();

    const after = await updates.nextSet((set) => set.has('api-3') && !set.has('api-1'));
    expect([...after.keys()].sort()).toEqual(['api-2', 'api-3']);
    expect(context.logs.lines.some((line) => line.includes('reading the prefix again'))).toBe(true);

    // And it follows on from the fresh read.
    await client.delete().key(`${PREFIX}api-2`);
    await updates.nextSet((set) => !set.has('api-2'));
  });
});

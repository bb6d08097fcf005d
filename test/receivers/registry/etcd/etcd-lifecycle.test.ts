import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { etcdFixture, instance, PREFIX } from './fixture.js';

interface OpenHandles {
  /** Established TCP connections to etcd's client port (gRPC unreferences its sockets, so Node's own list misses them). */
  connections: number;
  /** Timers that keep this process alive. */
  timers: number;
}

function openHandles(etcdPort: number): OpenHandles {
  const remote = `:${etcdPort.toString(16).toUpperCase().padStart(4, '0')}`;
  const lines = readFileSync('/proc/net/tcp', 'utf8').split('\n').slice(1);
  const ESTABLISHED = '01';
  const connections = lines.filter((line) => {
    const fields = line.trim().split(/\s+/);
    return fields[2]?.endsWith(remote) === true && fields[3] === ESTABLISHED;
  }).length;
  return { connections, timers: process.getActiveResourcesInfo().filter((kind) => kind === 'Timeout').length };
}

/** Waits, up to a bound, until no more handles are open than before. */
async function handlesBackTo(etcdPort: number, baseline: OpenHandles): Promise<OpenHandles> {
  const deadline = Date.now() + 10_000;
  let now = openHandles(etcdPort);
  while (Date.now() < deadline && (now.connections > baseline.connections || now.timers > baseline.timers)) {
    await new Promise((resolve) => setTimeout(resolve, 50));
    now = openHandles(etcdPort);
  }
  return now;
}

describe('etcd registry source lifecycle', () => {
  const fixture = etcdFixture();

  it('leaves no connection, watch or timer behind once unsubscribed', async () => {
    const { etcd, client } = await fixture.start();
    await client.put(`${PREFIX}api-1`).value(instance('api', 8080));
    const baseline = openHandles(etcd.clientPort);
    const { updates } = fixture.follow(etcd.url);
    await updates.nextSet((set) => set.has('api-1'));
    expect(openHandles(etcd.clientPort).connections).toBeGreaterThan(baseline.connections);

    updates.stop();
    expect(await handlesBackTo(etcd.clientPort, baseline)).toEqual(baseline);
    // Nothing follows etcd any more: a put reaches no one.
    const count = updates.updates.length;
    await client.put(`${PREFIX}api-2`).value(instance('api', 8081));
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(updates.updates).toHaveLength(count);
  });

  it('leaves nothing behind when unsubscribed while etcd is down', async () => {
    const { etcd } = await fixture.start();
    const baseline = openHandles(etcd.clientPort);
    const { updates } = fixture.follow(etcd.url);
    await updates.nextSet(() => true);
    await etcd.halt();
    await updates.next((update) => update.kind === 'down');
    updates.stop();
    // Started again, etcd would see a connection from a client still retrying.
    await etcd.start();
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    expect(await handlesBackTo(etcd.clientPort, baseline)).toEqual(baseline);
  });

  it('logs in with username and password, and never shows the password when it is refused', async () => {
    const { etcd, client } = await fixture.start();
    await client.put(`${PREFIX}api-1`).value(instance('api', 8080));
    await client.role('root').create();
    await client.user('root').create('root-secret-1');
    await client.user('root').addRole('root');
    await client.auth.authEnable();

    const { updates: allowed } = fixture.follow(etcd.url, { username: 'root', password: 'root-secret-1' });
    await allowed.nextSet((set) => set.has('api-1'));

    const { updates: refused, context } = fixture.follow(etcd.url, { username: 'root', password: 'wrong-secret-2' });
    const down = await refused.next(() => true);
    expect(down.kind).toBe('down');
    expect(JSON.stringify(down)).not.toContain('wrong-secret-2');
    expect(context.logs.lines.join('\n')).not.toContain('wrong-secret-2');
  });
});

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Etcd3 } from 'etcd3';
import { afterEach, describe, expect, it } from 'vitest';
import { Agent, type ConsolePoint } from '../../../helpers/agent.js';
import { startEtcd } from '../../../helpers/etcd.js';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const step of cleanups.splice(0).reverse()) await step();
});

const of = (name: string, id: string) => (point: ConsolePoint) => point.name === name && point.resource['service.instance.id'] === id;

async function tcpServer(): Promise<number> {
  const server: Server = createServer((socket) => socket.end());
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  cleanups.push(() => new Promise<void>((resolve) => server.close(() => resolve())));
  return (server.address() as { port: number }).port;
}

describe('healthpipe run with an etcd registry driving health_check and process', () => {
  it('checks and watches an instance put into etcd, keeps it through an etcd restart, and drops it when its lease expires', async () => {
    const etcd = await startEtcd();
    cleanups.push(() => etcd.stop());
    const client = new Etcd3({ hosts: etcd.url });
    cleanups.push(() => client.close());
    const port = await tcpServer();
    const dir = mkdtempSync(join(tmpdir(), 'healthpipe-etcd-cli-'));
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    const config = join(dir, 'pipeline.yaml');
    writeFileSync(
      config,
      `receivers:
  registry:
    etcd: { endpoints: ["${etcd.url}"], prefix: /services/, max_retry_delay: 500ms }
    collection_interval: 200ms
  health_check:
    collection_interval: 200ms
    targets_from: [registry]
  process:
    collection_interval: 200ms
    targets_from: [registry]
exporters:
  console:
    format: json
service:
  data_dir: ./data
  pipelines:
    metrics:
      receivers: [health_check, process, registry]
      exporters: [console]
`,
    );
    const agent = new Agent(config, dir);
    await agent.start();
    cleanups.push(async () => {
      expect(await agent.stop('SIGTERM')).toBe(0);
    });
    await agent.waitForPoint((point) => point.name === 'registry.instance.count' && point.attributes['state'] === 'valid' && point.value === 0);

    const lease = client.lease(3);
    cleanups.push(() => lease.revoke().catch(() => undefined));
    await lease.put('/services/api-1').value(JSON.stringify({ service: 'api', host: '127.0.0.1', port, pid: process.pid }));
    expect(await agent.waitForPoint(of('healthcheck.up', 'api-1'))).toMatchObject({ value: 1, resource: { 'service.name': 'api' } });
    await agent.waitForPoint(of('process.memory.usage', 'api-1'));

    // etcd restarted under the running agent: the instance stays checked meanwhile, and the watch resumes.
    await etcd.halt();
    await agent.waitForPoint((point) => point.name === 'registry.instance.count' && point.attributes['state'] === 'stale' && point.value === 1);
    const whileDown = agent.points.length;
    await agent.waitForPoint((point) => of('healthcheck.up', 'api-1')(point) && agent.points.indexOf(point) > whileDown);
    await etcd.start();
    await client.put('/services/db-1').value(JSON.stringify({ service: 'db', host: '127.0.0.1', port }));
    await agent.waitForPoint(of('healthcheck.up', 'db-1'));

    const validCount = (value: number) => (point: ConsolePoint) =>
      point.name === 'registry.instance.count' && point.attributes['state'] === 'valid' && point.value === value;
    const both = agent.points.indexOf(await agent.waitForPoint(validCount(2)));

    // The service stops its heartbeat: its lease expires, etcd deletes the key, and its checks stop.
    lease.release();
    const removedAt = agent.points.indexOf(await agent.waitForPoint((point) => validCount(1)(point) && agent.points.indexOf(point) > both));
    const counts = await agent.waitForPoints((point) => validCount(1)(point) && agent.points.indexOf(point) > removedAt, 3);
    // A check under way at the removal may still report; from the next collection on, none.
    const settled = agent.points.slice(agent.points.indexOf(counts[0]!), agent.points.indexOf(counts[2]!));
    expect(settled.filter(of('healthcheck.up', 'api-1'))).toEqual([]);
    expect(settled.filter(of('healthcheck.up', 'db-1')).length).toBeGreaterThan(0);
  });
});

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Agent, type ConsolePoint } from '../../helpers/agent.js';

let dir: string;
let server: Server;
let port: number;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'healthpipe-registry-cli-'));
  server = createServer((socket) => socket.end());
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as { port: number }).port;
});
afterAll(async () => {
  rmSync(dir, { recursive: true, force: true });
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

const isUpOf = (id: string) => (point: ConsolePoint) => point.name === 'healthcheck.up' && point.resource['service.instance.id'] === id;

describe('healthpipe run with a registry file driving health_check', () => {
  it('checks an instance once it is written to the file, stops when it is removed, and counts the registry', async () => {
    writeFileSync(join(dir, 'services.yaml'), '[]\n');
    const config = join(dir, 'pipeline.yaml');
    writeFileSync(
      config,
      `receivers:
  registry:
    file: ./services.yaml
    collection_interval: 200ms
  health_check:
    collection_interval: 200ms
    targets_from: [registry]
exporters:
  console:
    format: json
service:
  data_dir: ./data
  pipelines:
    metrics:
      receivers: [health_check, registry]
      exporters: [console]
`,
    );
    const agent = new Agent(config, dir);
    await agent.start();
    try {
      await agent.waitForPoint((point) => point.name === 'registry.instance.count' && point.attributes['state'] === 'valid' && point.value === 0);
      writeFileSync(join(dir, 'services.yaml'), `- id: db-1\n  service: db\n  host: 127.0.0.1\n  port: ${port}\n`);
      const up = await agent.waitForPoint(isUpOf('db-1'));
      expect(up).toMatchObject({ value: 1, resource: { 'service.name': 'db', 'service.instance.id': 'db-1' } });
      await agent.waitForPoint((point) => point.name === 'registry.heartbeat.age' && point.resource['service.instance.id'] === 'db-1');

      writeFileSync(join(dir, 'services.yaml'), '[]\n');
      // The registry counts the removal; checks of db-1 stop (a few more may have been under way).
      const removedAt = agent.points.length;
      await agent.waitForPoints((point) => point.name === 'registry.instance.count' && point.attributes['state'] === 'valid' && point.value === 0 && agent.points.indexOf(point) > removedAt, 3);
      const lastCount = agent.points.findLastIndex((point) => point.name === 'registry.instance.count');
      const settledFrom = agent.points.findIndex((point, index) => index > removedAt && point.name === 'registry.instance.count' && point.value === 0 && point.attributes['state'] === 'valid');
      expect(agent.points.slice(settledFrom + 1, lastCount + 1).filter(isUpOf('db-1'))).toEqual([]);
    } finally {
      expect(await agent.stop('SIGTERM')).toBe(0);
    }
  });
});

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { merge, type Subscription } from 'rxjs';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { MetricPoint } from '../../../src/index.js';
import { DiscoveryBoard } from '../../../src/component/discovery-board.js';
import { registryReceiver } from '../../../receivers/registry/index.js';
import { processReceiver } from '../../../receivers/process/index.js';
import { healthCheckReceiver } from '../../../receivers/health_check/index.js';
import { createTestContext } from '../../helpers/context.js';

const WAIT = { timeout: 20_000, interval: 20 };

let cleanup: Array<() => void | Promise<void>> = [];
afterEach(async () => {
  for (const step of cleanup.splice(0).reverse()) await step();
});

/** The registry, process and health_check receivers of one agent, wired through one discovery board. */
function runAgent(registryFile: string): { points: MetricPoint[] } {
  const board = new DiscoveryBoard();
  const points: MetricPoint[] = [];
  const context = (id: string) => createTestContext({ id, discovery: board.forComponent(id) });
  const subscription: Subscription = merge(
    registryReceiver.create(
      registryReceiver.schema.parse({ file: { path: registryFile, poll_interval: '200ms' }, collection_interval: '200ms' }),
      context('registry'),
    ),
    processReceiver.create(processReceiver.schema.parse({ targets_from: ['registry'], collection_interval: '200ms' }), context('process')),
    healthCheckReceiver.create(healthCheckReceiver.schema.parse({ targets_from: ['registry'], collection_interval: '200ms' }), context('health_check')),
  ).subscribe((batch) => points.push(...batch));
  cleanup.push(() => {
    subscription.unsubscribe();
    board.close();
  });
  return { points };
}

async function tcpServer(): Promise<number> {
  const server: Server = createServer((socket) => socket.end());
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  cleanup.push(() => new Promise<void>((resolve) => server.close(() => resolve())));
  return (server.address() as { port: number }).port;
}

const instanceOf = (point: MetricPoint) => point.series.resource.attributes['service.instance.id'];

describe('the registry driving process and health_check', () => {
  it('gives an instance added to the file a process target and a tcp check, and takes both away when it is removed', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'healthpipe-registry-agent-'));
    cleanup.push(() => rmSync(dir, { recursive: true, force: true }));
    const path = join(dir, 'services.yaml');
    const port = await tcpServer();
    writeFileSync(path, '[]\n');
    const { points } = runAgent(path);

    writeFileSync(path, `- id: api-1\n  service: api\n  host: 127.0.0.1\n  port: ${port}\n  pid: ${process.pid}\n`);
    await vi.waitFor(() => {
      const ours = points.filter((point) => instanceOf(point) === 'api-1' && !point.stale);
      expect(ours.some((point) => point.series.name === 'healthcheck.up' && point.value === 1)).toBe(true);
      expect(ours.some((point) => point.series.name === 'process.memory.usage')).toBe(true);
    }, WAIT);
    expect(points.find((point) => point.series.name === 'healthcheck.up')!.series.resource.attributes['service.name']).toBe('api');

    writeFileSync(path, '[]\n');
    // The registry's own heartbeat series of the instance ends with a marker at once.
    await vi.waitFor(
      () => expect(points.some((point) => point.stale === true && point.series.name === 'registry.heartbeat.age' && instanceOf(point) === 'api-1')).toBe(true),
      WAIT,
    );
    // Another instance registers: by its first checks the consumers have long taken the removal in.
    const otherPort = await tcpServer();
    writeFileSync(path, `- id: other\n  service: other\n  host: 127.0.0.1\n  port: ${otherPort}\n`);
    const otherChecks = () => points.filter((point) => instanceOf(point) === 'other' && point.series.name === 'healthcheck.up');
    await vi.waitFor(() => expect(otherChecks().length).toBeGreaterThan(0), WAIT);
    const after = points.indexOf(otherChecks()[0]!);
    await vi.waitFor(() => expect(otherChecks().length).toBeGreaterThan(3), WAIT);
    expect(points.slice(after).filter((point) => instanceOf(point) === 'api-1' && !point.stale)).toEqual([]);
  });
});

import { createServer } from 'node:http';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { Runtime } from '../../src/runtime/runtime.js';
import { HealthpipeError } from '../../src/errors.js';
import { JsonLogger, MemoryLogSink } from '../../src/telemetry/logger.js';
import { listenOnFreePort } from '../helpers/local-server.js';
import { parseExposition } from '../exporters/prometheus/parse-exposition.js';
import { freePort, scrape } from '../exporters/prometheus/scrape.js';

const dir = mkdtempSync(join(tmpdir(), 'healthpipe-exporter-start-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A pipeline watching this very process, exported to prometheus exporters on the given ports. */
function pipeline(ports: Record<string, number>): string {
  const ids = Object.keys(ports);
  return `receivers:
  process:
    collection_interval: 100ms
    targets: [{ service: me, self: true }]
exporters:
${ids.map((id) => `  ${id}: { endpoint: "127.0.0.1:${ports[id]}" }`).join('\n')}
service:
  pipelines:
    metrics: { receivers: [process], exporters: [${ids.join(', ')}] }
`;
}

function start(file: string): Promise<Runtime> {
  const logger = new JsonLogger({ level: 'debug', sink: new MemoryLogSink(), now: () => Date.now() });
  return Runtime.start({ files: [file], env: {}, logger, dataDir: join(dir, 'data') });
}

/** The uptime this process reports through the exporter on `port`, once it reports one. */
async function uptime(port: number): Promise<number> {
  for (let attempt = 0; attempt < 300; attempt += 1) {
    const answer = await scrape(port);
    const sample = parseExposition(answer.body).samples.find((found) => found.name === 'process_uptime_seconds');
    if (sample !== undefined) return sample.value;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error('no process_uptime_seconds served in 30 s');
}

describe('an exporter that cannot start, through the runtime', () => {
  it('stops the start, naming the exporter and the address', async () => {
    const holder = await listenOnFreePort(createServer());
    try {
      const file = join(dir, 'busy.yaml');
      writeFileSync(file, pipeline({ prometheus: holder.port }));
      const error: unknown = await start(file).then(
        () => undefined,
        (rejected: unknown) => rejected,
      );
      expect(error).toBeInstanceOf(HealthpipeError);
      expect((error as HealthpipeError).code).toBe('COMPONENT_START');
      expect((error as HealthpipeError).message).toBe(
        `exporter prometheus could not start: cannot listen on 127.0.0.1:${holder.port}: address already in use (EADDRINUSE)`,
      );
    } finally {
      await holder.close();
    }
  });

  it('fails a reload that adds one on a busy port, and the running pipeline goes on', { timeout: 60_000 }, async () => {
    const holder = await listenOnFreePort(createServer());
    const port = await freePort();
    const file = join(dir, 'reload.yaml');
    writeFileSync(file, pipeline({ 'prometheus/a': port }));
    const runtime = await start(file);
    try {
      const before = await uptime(port);
      writeFileSync(file, pipeline({ 'prometheus/a': port, 'prometheus/b': holder.port }));
      expect(await runtime.reload()).toEqual({
        ok: false,
        problems: [
          { path: '', message: `exporter prometheus/b could not start: cannot listen on 127.0.0.1:${holder.port}: address already in use (EADDRINUSE)` },
        ],
      });
      expect(runtime.configuration.exporters.has('prometheus/b')).toBe(false);
      // The receiver and the exporter that ran go on: the uptime served keeps growing.
      let after = before;
      for (let attempt = 0; attempt < 300 && after <= before; attempt += 1) {
        await new Promise((resolve) => setTimeout(resolve, 100));
        after = await uptime(port);
      }
      expect(after).toBeGreaterThan(before);
    } finally {
      expect(await runtime.stop()).toBe(true);
      await holder.close();
    }
  });
});

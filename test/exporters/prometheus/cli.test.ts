import { createServer } from 'node:http';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startCli } from '../../helpers/cli.js';
import { listenOnFreePort } from '../../helpers/local-server.js';
import { exitWithin } from '../../e2e/exit-within.js';
import { parseExposition, type Exposition } from './parse-exposition.js';
import { freePort, scrape } from './scrape.js';

const dir = mkdtempSync(join(tmpdir(), 'healthpipe-e2e-prometheus-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function writeConfig(name: string, port: number): string {
  const file = join(dir, name);
  writeFileSync(
    file,
    `receivers:
  process:
    collection_interval: 200ms
    targets: [{ service: agent, self: true, labels: { team: "ops \\"night\\"" } }]
exporters:
  prometheus: { endpoint: "127.0.0.1:${port}" }
service:
  data_dir: ./data
  pipelines:
    metrics: { receivers: [process], exporters: [prometheus] }
`,
  );
  return file;
}

/** Scrapes until the agent's own process metrics are served. */
async function scrapeUntilServed(port: number): Promise<Exposition> {
  let last = '';
  for (let attempt = 0; attempt < 300; attempt += 1) {
    const answer = await scrape(port).catch(() => undefined);
    if (answer?.status === 200) {
      last = answer.body;
      const parsed = parseExposition(answer.body);
      if (parsed.samples.some((sample) => sample.name === 'process_cpu_time_seconds_total')) return parsed;
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`the agent's metrics were not served in 30 s; last scrape:\n${last}`);
}

describe('healthpipe run with the prometheus exporter (built CLI)', () => {
  it('serves the agent\'s own process metrics for a scrape, and stops cleanly', { timeout: 90_000 }, async () => {
    const port = await freePort();
    const cli = startCli(['run', '--config', writeConfig('serve.yaml', port)], { cwd: dir });
    try {
      const parsed = await scrapeUntilServed(port);
      expect(parsed.types.get('process_cpu_time_seconds_total')).toBe('counter');
      expect(parsed.types.get('process_memory_usage_bytes')).toBe('gauge');
      const cpu = parsed.samples.find((sample) => sample.name === 'process_cpu_time_seconds_total')!;
      expect(cpu.labels['job']).toBe('agent');
      expect(cpu.value).toBeGreaterThan(0);
      const info = parsed.samples.find((sample) => sample.name === 'target_info');
      expect(info?.labels).toMatchObject({ job: 'agent', process_pid: String(cli.child.pid), team: 'ops "night"' });
    } finally {
      cli.child.kill('SIGTERM');
    }
    expect(await exitWithin(cli, 30_000)).toBe(0);
  });

  it('exits non-zero, naming the exporter and the address, when the port is taken', { timeout: 60_000 }, async () => {
    const holder = await listenOnFreePort(createServer());
    try {
      const cli = startCli(['run', '--config', writeConfig('busy.yaml', holder.port)], { cwd: dir });
      expect(await exitWithin(cli, 30_000)).toBe(1);
      expect(cli.stderrLines.join('\n')).toContain(
        `healthpipe: exporter prometheus could not start: cannot listen on 127.0.0.1:${holder.port}: address already in use (EADDRINUSE) [COMPONENT_START]`,
      );
    } finally {
      await holder.close();
    }
  });
});

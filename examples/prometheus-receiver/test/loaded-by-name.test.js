// The plugin as its users run it: installed beside a pipeline.yaml that names it, run by
// the healthpipe CLI, reading a real HTTP /metrics endpoint.
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const plugin = fileURLToPath(new URL('..', import.meta.url));
// This repository's healthpipe, built (`npm test` builds it first); a user's is `npx healthpipe`.
const healthpipe = fileURLToPath(new URL('../../..', import.meta.url));
const cli = join(healthpipe, 'dist', 'src', 'cli', 'main.js');

const EXPOSITION = `# HELP shop_orders_total Orders taken.
# TYPE shop_orders_total counter
shop_orders_total{payment="card",note="say \\"hi\\"\\\\n"} 41
# TYPE shop_queue_depth gauge
shop_queue_depth 3
# TYPE shop_checkout_seconds histogram
shop_checkout_seconds_bucket{le="0.5"} 7
shop_checkout_seconds_bucket{le="+Inf"} 9
shop_checkout_seconds_sum 3.5
shop_checkout_seconds_count 9
shop_cache_ratio NaN
`;

let status = 200;
const server = createServer((request, response) => {
  if (request.url !== '/metrics') return void response.writeHead(404).end();
  response.writeHead(status, { 'content-type': 'text/plain; version=0.0.4' }).end(status === 200 ? EXPOSITION : 'down for maintenance');
});
const dir = mkdtempSync(join(tmpdir(), 'healthpipe-prometheus-receiver-'));
/** @type {import('node:child_process').ChildProcess | undefined} */
let agent;
/** @type {string[]} */
const stderr = [];

beforeAll(async () => {
  await new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(undefined)));
});
afterAll(async () => {
  if (agent !== undefined && agent.exitCode === null) agent.kill('SIGKILL');
  await new Promise((resolve) => server.close(() => resolve(undefined)));
  rmSync(dir, { recursive: true, force: true });
});

/** `npm install healthpipe healthpipe-prometheus-receiver` in the configuration's directory, as links. */
function install() {
  mkdirSync(join(dir, 'node_modules'));
  symlinkSync(plugin, join(dir, 'node_modules', 'healthpipe-prometheus-receiver'), 'dir');
  symlinkSync(healthpipe, join(dir, 'node_modules', 'healthpipe'), 'dir');
}

/**
 * Resolves with the first JSON line the agent prints, from line `from` on, that `test` accepts.
 * @param {string[]} lines @param {(point: any) => boolean} test @param {number} from
 */
function lineOf(lines, test, from = 0, timeoutMs = 30_000) {
  return new Promise((resolve, reject) => {
    const started = Date.now();
    const look = () => {
      for (const line of lines.slice(from)) {
        const point = line.startsWith('{') ? JSON.parse(line) : undefined;
        if (point !== undefined && test(point)) return resolve(point);
      }
      if (agent?.exitCode !== null) return reject(new Error(`the agent exited with ${agent?.exitCode}:\n${stderr.join('')}`));
      if (Date.now() - started > timeoutMs) return reject(new Error(`no such line in ${timeoutMs} ms:\n${lines.join('\n')}`));
      setTimeout(look, 50);
    };
    look();
  });
}

describe('healthpipe-prometheus-receiver, named in pipeline.yaml', () => {
  it("reads the endpoint into points of the service, and a failed scrape is a point too", async () => {
    install();
    const { port } = /** @type {import('node:net').AddressInfo} */ (server.address());
    const config = join(dir, 'pipeline.yaml');
    writeFileSync(
      config,
      `plugins: [healthpipe-prometheus-receiver]
receivers:
  prometheus:
    service: shop
    endpoint: http://127.0.0.1:${port}/metrics
    collection_interval: 300ms
    timeout: 300ms
exporters:
  console: { format: json }
service:
  data_dir: ${JSON.stringify(join(dir, 'data'))}
  pipelines:
    metrics: { receivers: [prometheus], exporters: [console] }
`,
    );
    /** @type {string[]} */
    const lines = [];
    agent = spawn(process.execPath, [cli, 'run', '--config', config], { cwd: tmpdir(), stdio: ['ignore', 'pipe', 'pipe'] });
    agent.stderr?.setEncoding('utf8').on('data', (/** @type {string} */ chunk) => stderr.push(chunk));
    let rest = '';
    agent.stdout?.setEncoding('utf8').on('data', (/** @type {string} */ chunk) => {
      const parts = (rest + chunk).split('\n');
      rest = parts.pop() ?? '';
      lines.push(...parts);
    });

    const resource = { 'service.name': 'shop', 'server.address': '127.0.0.1', 'server.port': port };
    expect(await lineOf(lines, (p) => p.name === 'shop_orders_total')).toMatchObject({
      value: 41,
      attributes: { payment: 'card', note: 'say "hi"\\n' },
      resource,
    });
    expect(await lineOf(lines, (p) => p.name === 'shop_queue_depth')).toMatchObject({ value: 3, attributes: {}, resource });
    expect(await lineOf(lines, (p) => p.name === 'shop_checkout_seconds_count')).toMatchObject({ value: 9 });
    expect(await lineOf(lines, (p) => p.name === 'shop_checkout_seconds_sum')).toMatchObject({ value: 3.5 });
    // JSON has no NaN: the console writes it as null.
    expect(await lineOf(lines, (p) => p.name === 'shop_cache_ratio')).toMatchObject({ value: null });
    // On a loaded machine a scrape may time out; the one that read the points above said 1.
    expect(await lineOf(lines, (p) => p.name === 'prometheus.scrape.up' && p.value === 1)).toMatchObject({ unit: '1', resource });
    expect(lines.some((line) => line.includes('shop_checkout_seconds_bucket'))).toBe(false);

    status = 503;
    const failed = await lineOf(lines, (p) => p.name === 'prometheus.scrape.up' && p.value === 0 && p.message.startsWith('http_status'), lines.length);
    expect(failed.message).toBe('http_status: the endpoint answered 503');
    // The stream did not end: the next scrape that succeeds says so.
    status = 200;
    expect(await lineOf(lines, (p) => p.name === 'prometheus.scrape.up' && p.value === 1, lines.length)).toMatchObject({ resource });

    agent.kill('SIGTERM');
    expect(await new Promise((resolve) => agent?.on('exit', (code) => resolve(code)))).toBe(0);
  });
});

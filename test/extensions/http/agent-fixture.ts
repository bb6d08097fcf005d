import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Agent } from '../../helpers/agent.js';
import { startHttpService, type RunningHttpService } from '../../helpers/http-service.js';
import { freePort } from '../../helpers/server-process.js';

/**
 * A running agent (the built CLI) with the http extension: health checks of two local HTTP
 * services (`web`, which a test makes fail, and `api`), a threshold on the share of checks
 * that were up, the agent's own process, the history exporter in both pipelines, and the
 * token from the environment.
 */
export interface AgentWithApi {
  readonly agent: Agent;
  readonly base: string;
  readonly web: RunningHttpService;
  readonly api: RunningHttpService;
  readonly dir: string;
  readonly token: string;
  stop(): Promise<void>;
}

export const API_TOKEN = 'e2e-token-never-shown-0123456789';

export async function startAgentWithApi(): Promise<AgentWithApi> {
  const dir = mkdtempSync(join(tmpdir(), 'healthpipe-e2e-http-'));
  const web = await startHttpService();
  const api = await startHttpService({ latencyMs: 5 });
  const port = await freePort();
  const file = join(dir, 'pipeline.yaml');
  writeFileSync(
    file,
    `receivers:
  health_check:
    collection_interval: 200ms
    timeout: 2s
    targets:
      - { service: web, http: { url: "${web.url}/health" } }
      - { service: api, http: { url: "${api.url}/health" } }
  process:
    collection_interval: 1s
    targets: [{ service: healthpipe, self: true }]
processors:
  window: { size: 1s, aggregates: [mean] }
  threshold:
    rules:
      - { name: availability, metric: healthcheck.up, aggregate: mean, below: { critical: 0.5 } }
  cooldown: { period: 10m }
exporters:
  history: { linger: 100ms }
extensions:
  http: { endpoint: "127.0.0.1:${port}", token: "\${env:HEALTHPIPE_E2E_TOKEN}", poll_interval: 250ms }
service:
  data_dir: ./data
  shutdown_timeout: 10s
  extensions: [http]
  pipelines:
    metrics:
      receivers: [health_check, process]
      exporters: [history]
    alerts:
      receivers: [health_check]
      processors: [window, threshold, cooldown]
      exporters: [history]
`,
  );
  const agent = new Agent(file, dir, { HEALTHPIPE_E2E_TOKEN: API_TOKEN });
  await agent.start();
  return {
    agent,
    base: `http://127.0.0.1:${port}`,
    web,
    api,
    dir,
    token: API_TOKEN,
    async stop() {
      if (agent.running) await agent.stop('SIGTERM');
      await Promise.allSettled([web.stop(), api.stop()]);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Polls until `read` gives a value `accept` takes; fails after the timeout with the last value. */
export async function eventually<T>(read: () => Promise<T>, accept: (value: T) => boolean, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: T | undefined;
  let failure: unknown;
  while (Date.now() < deadline) {
    try {
      last = await read();
      if (accept(last)) return last;
    } catch (error) {
      failure = error;
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`not reached within ${timeoutMs} ms; last: ${JSON.stringify(last) ?? String(failure)}`);
}

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { ServiceJson, StatusJson } from '../../src/cli/status-json.js';
import { Agent } from '../helpers/agent.js';
import { startCli } from '../helpers/cli.js';
import { startHttpService, type RunningHttpService } from '../helpers/http-service.js';
import { exitWithin } from './exit-within.js';

/**
 * Issue 9, "What it must show" 1 (status): the built agent checks a local HTTP service and
 * reads its own process into the history exporter; `status` and `history`, run as other
 * processes on the same data_dir, read the store while it runs, after a SIGTERM and after a
 * SIGKILL. Every wait polls the real CLI with generous bounds: a loaded 2-core machine takes
 * seconds where an idle one takes milliseconds.
 */

/** One `status` or `history` run: a Node start-up and a read, slow on a loaded machine. */
const READ_MS = 30_000;
/** How long the store may take to show a change the agent saw. */
const CHANGE_MS = 90_000;

let dir: string;
let config: string;
let web: RunningHttpService;

beforeAll(async () => {
  web = await startHttpService();
  dir = mkdtempSync(join(tmpdir(), 'healthpipe-e2e-status-'));
  config = join(dir, 'pipeline.yaml');
  writeFileSync(
    config,
    `receivers:
  health_check:
    collection_interval: 200ms
    timeout: 3s
    failure_threshold: 1
    targets:
      - { service: web, http: { url: "${web.url}/health" } }
  process:
    collection_interval: 500ms
    targets: [{ service: agent, self: true }]
    metrics:
      process.network.connection.count: { enabled: true }
processors:
  window: { size: 1s, aggregates: [mean] }
  threshold:
    rules:
      - { name: down, metric: healthcheck.up, aggregate: mean, below: { critical: 0.5 } }
exporters:
  history: { linger: 100ms }
service:
  data_dir: ./data
  shutdown_timeout: 10s
  pipelines:
    metrics:
      receivers: [health_check, process]
      exporters: [history]
    alerts:
      receivers: [health_check]
      processors: [window, threshold]
      exporters: [history]
`,
  );
});

afterAll(async () => {
  await web?.stop();
  rmSync(dir, { recursive: true, force: true });
});

interface Read {
  readonly code: number | null | 'still running';
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs the built CLI to its end, asynchronously: the checked HTTP service lives in this process and must keep answering. */
async function cli(args: string[]): Promise<Read> {
  const run = startCli(args, { cwd: dir });
  const code = await exitWithin(run, READ_MS);
  return { code, stdout: run.stdoutLines.join('\n'), stderr: run.stderrLines.join('\n') };
}

async function statusJson(): Promise<StatusJson> {
  const read = await cli(['status', '--config', config, '--json']);
  expect(read.code, read.stderr).toBe(0);
  return JSON.parse(read.stdout) as StatusJson;
}

function service(status: StatusJson, name: string): ServiceJson | undefined {
  return status.services.find((one) => one.service === name);
}

/** Polls `status --json` until `test` holds, and returns that status. */
async function statusWhen(test: (status: StatusJson) => boolean): Promise<StatusJson> {
  let found: StatusJson | undefined;
  await vi.waitFor(
    async () => {
      const status = await statusJson();
      expect(test(status), JSON.stringify(status)).toBe(true);
      found = status;
    },
    { timeout: CHANGE_MS, interval: 500 },
  );
  return found!;
}

/** The figures that describe the services, without the times that move on. */
function steady(status: StatusJson): unknown {
  return status.services.map((one) => ({ service: one.service, level: one.level, up: one.check?.up ?? null, firing: one.firing.map((alert) => alert.rule) }));
}

describe('status and history beside a running agent, and after it stopped', () => {
  it('says there is no store before any agent ran, exit 1', async () => {
    const read = await cli(['status', '--config', config]);
    expect(read.code).toBe(1);
    expect(read.stderr).toBe(`healthpipe: no store at ${join(dir, 'data')}: has an agent with this data_dir run? [STORAGE]`);
  });

  it('shows the services while the agent runs, the same after SIGTERM, and still reads after SIGKILL', { timeout: 600_000 }, async () => {
    const agent = new Agent(config, dir);
    await agent.start();

    // Running and healthy: the checked service is up; the agent's own process, which no rule
    // watches, is listed with level unknown and its CPU, memory and connections.
    const healthy = await statusWhen((status) => {
      const checked = service(status, 'web');
      const self = service(status, 'agent');
      const figures = [self?.memory_usage, self?.cpu_utilization, self?.connections];
      return checked?.check?.up === true && checked.error_rate !== null && figures.every((figure) => figure !== null && figure !== undefined);
    });
    expect(service(healthy, 'agent')).toMatchObject({ level: 'unknown', check: null, firing: [] });
    expect(service(healthy, 'agent')!.memory_usage).toBeGreaterThan(1024 * 1024);
    expect(service(healthy, 'agent')!.connections).not.toBeNull();
    expect(service(healthy, 'web')!.response_time_p95).toBeGreaterThan(0);

    // The service goes down: the rule fires, and status shows it critical with its alert.
    web.set({ status: 503 });
    const down = await statusWhen((status) => service(status, 'web')?.level === 'critical' && service(status, 'web')?.check?.up === false);
    expect(service(down, 'web')!.firing).toEqual([expect.objectContaining({ rule: 'down', level: 'critical' })]);
    expect(service(down, 'web')!.check!.state).toBe('critical');

    const table = await cli(['status', '--config', config]);
    expect(table.code).toBe(0);
    expect(table.stdout).toMatch(/^2 services, 1 firing, /);
    expect(table.stdout).toMatch(/\nweb +critical [^\n]* down /);
    expect(table.stdout).toMatch(/\nagent +unknown /);
    expect(table.stdout).toMatch(/\nFiring alerts\nweb +CRITICAL +down /);

    expect(await agent.stop('SIGTERM')).toBe(0);
    const afterStop = await statusJson();
    expect(steady(afterStop)).toEqual(steady(down));
    expect(service(afterStop, 'web')!.error_rate).toBeGreaterThan(0);

    // A second run, killed: what it wrote before the kill is read, and history answers.
    web.set({ status: 200 });
    await agent.start();
    const stoppedAt = Date.parse(service(afterStop, 'web')!.check!.time);
    await statusWhen((status) => Date.parse(service(status, 'web')?.check?.time ?? '') > stoppedAt && service(status, 'web')?.check?.up === true);
    await agent.stop('SIGKILL');
    const afterKill = await statusJson();
    expect(afterKill.services.map((one) => one.service)).toEqual(['agent', 'web']);

    const history = await cli(['history', 'web', 'healthcheck.up', '--config', config, '--since', '10m', '--step', '1s', '--agg', 'min', '--json']);
    expect(history.code, history.stderr).toBe(0);
    const answer = JSON.parse(history.stdout) as { series: Array<{ points: Array<{ value: number }> }> };
    const values = answer.series.flatMap((series) => series.points.map((point) => point.value));
    // Up in the first run, down, then up again in the second.
    expect(values).toContain(0);
    expect(values).toContain(1);

    const text = await cli(['history', 'web', 'healthcheck.duration', '--config', config, '--since', '10m']);
    expect(text.code, text.stderr).toBe(0);
    expect(text.stdout).toMatch(/^web healthcheck\.duration: p95 per 1m from /);
    expect(text.stdout).toMatch(/\nTIME +P95\n\d{4}-\d\d-\d\dT[\d:.]+Z +[\d.]+ (ms|µs|s)(\n|$)/);

    const typo = await cli(['history', 'web', 'healthcheck.upp', '--config', config]);
    expect(typo.code).toBe(2);
    expect(typo.stderr).toContain('service "web" has no metric "healthcheck.upp"; did you mean "healthcheck.up"?');
  });
});

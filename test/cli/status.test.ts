import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { openHistory } from '../../src/cli/history-store.js';
import { statusCommand, type ReaderOutput } from '../../src/cli/status.js';
import type { StatusJson } from '../../src/cli/status-json.js';
import { statusReport } from '../../src/cli/status-report.js';
import { HISTORY_MIGRATIONS } from '../../src/history/index.js';
import { HealthpipeError } from '../../src/errors.js';
import { openDataStore, STORE_FILE_NAME } from '../../src/storage/index.js';
import { captureStderr, fixtureDirectory, NOW, T, writeFixtureStore } from './history-store-fixture.js';

let dir: string;
let config: string;

beforeEach(() => {
  ({ dir, config } = fixtureDirectory('healthpipe-status-'));
});

afterEach(() => {
  vi.restoreAllMocks();
  rmSync(dir, { recursive: true, force: true });
});

/** Runs `status` with the output kept; `columns` as a terminal's width (undefined: a pipe). */
async function status(json: boolean, columns?: number): Promise<{ code: number; text: string }> {
  let text = '';
  const output: ReaderOutput = { write: (chunk) => void (text += chunk), columns };
  const code = await statusCommand({ files: [config] }, json, { output, now: () => NOW });
  return { code, text };
}

describe('status over a store the history exporter wrote', () => {
  beforeEach(() => writeFixtureStore(join(dir, 'data')));

  it('lists every service with points or events, with the figures of the ancestor’s report', () => {
    const history = openHistory(join(dir, 'data'));
    const report = history.read(() => statusReport(history.reader, NOW));
    history.close();
    expect(report.services.map((service) => [service.service, service.level])).toEqual([
      ['api', 'critical'],
      ['batch', 'unknown'],
      ['db', 'unknown'],
      ['gone', 'info'],
    ]);
    const [api, batch, db, gone] = report.services;
    expect(api).toMatchObject({ check: { up: true, state: 'ok', time: T }, errorRate: 0.25, cpu: 0.123, memoryBytes: 123456789, memoryShare: 0.015 });
    // 8 established + 4 time_wait; a state last seen an hour before the others is gone.
    expect(api!.connections).toBe(12);
    // The store's p95 of four checks (0.1, 0.2, 1.2, 0.3 s) is its sketch's third of them.
    expect(api!.responseTimeP95).toBeCloseTo(0.3, 1);
    expect(api!.firing.map((alert) => alert.rule)).toEqual(['memory']);
    // Only what a window made of its checks: the error rate is read from the window's mean.
    expect(batch!.errorRate).toBe(0.5);
    expect(db).toMatchObject({ check: { up: false, state: 'critical' }, errorRate: 1 });
    expect(db!.cpu).toBeUndefined();
    expect(gone).toMatchObject({ level: 'info', firing: [] });
    expect(gone!.check).toBeUndefined();
    expect(report.raised).toBe(2);
  });

  it('prints a table a person reads: a summary, one row per service, the firing alerts', async () => {
    const { code, text } = await status(false);
    expect(code).toBe(0);
    const lines = text.split('\n');
    expect(lines[0]).toBe(`4 services, 1 firing, 2 alerts raised in the last 24 h (store ${join(dir, 'data', STORE_FILE_NAME)})`);
    expect(lines[1]).toBe('');
    expect(lines[2]).toMatch(/^SERVICE +LEVEL +CHECK +ERROR RATE +P95 +CPU +MEMORY +CONN +LAST CHECK +FIRING$/);
    expect(lines[3]).toMatch(/^api +critical 2m 10s +up +25\.0% +\d+(\.\d+)? ms +12\.3% +117\.7 MiB \(1\.5%\) +12 +10 s ago +1$/);
    expect(lines[4]).toMatch(/^batch +unknown +— +50\.0% +— +— +— +— +— *$/);
    expect(lines[5]).toMatch(/^db +unknown +down +100\.0% +5(\.\d+)? s +— +— +— +15 s ago *$/);
    expect(lines[6]).toMatch(/^gone +info 5m 10s +— +— +— +— +— +— +— *$/);
    expect(lines.slice(7)).toEqual(['', 'Firing alerts', 'api  CRITICAL  memory  0.975/0.97  for 2m 10s  memory 97.5% of RAM', '']);
  });

  it('cuts its lines to a terminal’s width, and never a pipe’s', async () => {
    const narrow = await status(false, 60);
    for (const line of narrow.text.split('\n')) expect(line.length).toBeLessThanOrEqual(60);
    expect(narrow.text).toContain('…');
    const piped = await status(false);
    expect(piped.text).not.toContain('…');
  });

  it('gives --json a stable shape: every key present, null where there is no figure', async () => {
    const { code, text } = await status(true);
    expect(code).toBe(0);
    expect(text.endsWith('\n')).toBe(true);
    const json = JSON.parse(text) as StatusJson;
    expect(json).toMatchObject({
      time: new Date(NOW).toISOString(),
      store: join(dir, 'data', STORE_FILE_NAME),
      history: true,
      alerts_raised_24h: 2,
      alerts_raised_complete: true,
    });
    expect(json.services[0]).toEqual({
      service: 'api',
      level: 'critical',
      level_since: new Date(T - 120_000).toISOString(),
      check: { up: true, state: 'ok', time: new Date(T).toISOString() },
      error_rate: 0.25,
      response_time_p95: expect.closeTo(0.3, 1),
      cpu_utilization: 0.123,
      memory_usage: 123456789,
      memory_utilization: 0.015,
      connections: 12,
      last_point: new Date(T).toISOString(),
      firing: [
        {
          fingerprint: 'f-api-memory',
          rule: 'memory',
          level: 'critical',
          value: 0.975,
          threshold: 0.97,
          threshold_text: null,
          message: 'memory 97.5% of RAM',
          starts_at: new Date(T - 120_000).toISOString(),
          labels: { team: 'payments' },
        },
      ],
    });
    expect(json.services[3]).toEqual({
      service: 'gone',
      level: 'info',
      level_since: new Date(T - 300_000).toISOString(),
      check: null,
      error_rate: null,
      response_time_p95: null,
      cpu_utilization: null,
      memory_usage: null,
      memory_utilization: null,
      connections: null,
      last_point: null,
      firing: [],
    });
  });

  it('reads beside an agent that holds the store open and writes to it', async () => {
    const agent = openDataStore(join(dir, 'data'));
    try {
      const { code, text } = await status(true);
      expect(code).toBe(0);
      expect((JSON.parse(text) as StatusJson).services).toHaveLength(4);
    } finally {
      agent.close();
    }
  });
});

describe('status: what it says when the store cannot answer', () => {
  it('exits 1 when no agent ever ran on the data_dir, saying so', async () => {
    await expect(status(false)).rejects.toThrow(new HealthpipeError('STORAGE', `no store at ${join(dir, 'data')}: has an agent with this data_dir run?`));
  });

  it('exits 0 with a hint when the agent keeps no history', async () => {
    openDataStore(join(dir, 'data')).close();
    const { code, text } = await status(false);
    expect(code).toBe(0);
    expect(text).toContain('0 services');
    expect(text).toContain('add the history exporter to a pipeline');
    expect(JSON.parse((await status(true)).text)).toMatchObject({ history: false, services: [] });
  });

  it('refuses history tables newer than this binary, without touching them', async () => {
    await writeFixtureStore(join(dir, 'data'));
    const raw = new Database(join(dir, 'data', STORE_FILE_NAME));
    const newer = HISTORY_MIGRATIONS.length + 1;
    raw.prepare("UPDATE component_schema SET version = ? WHERE owner = 'history'").run(newer);
    raw.close();
    await expect(status(false)).rejects.toThrow(/the history tables of store .* have version \d+, newer than this healthpipe knows/);
  });

  it('exits 2 with every problem when the configuration is wrong, as validate does', async () => {
    const stderr = captureStderr();
    writeFileSync(config, 'service:\n  data_dir: 42\n  pipelines: nope\n');
    const { code } = await status(false);
    expect(code).toBe(2);
    expect(stderr.join('')).toContain(`${config}: 2 problems`);
  });
});

import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi, afterEach } from 'vitest';
import { historyCommand } from '../../src/cli/history.js';
import { HISTORY_DEFAULTS, type HistoryOptions } from '../../src/cli/history-options.js';
import type { ReaderOutput } from '../../src/cli/status.js';
import { captureStderr, fixtureDirectory, NOW, T, writeFixtureStore } from './history-store-fixture.js';

let dir: string;
let config: string;

beforeAll(async () => {
  ({ dir, config } = fixtureDirectory('healthpipe-history-cli-'));
  await writeFixtureStore(join(dir, 'data'));
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));
afterEach(() => vi.restoreAllMocks());

async function history(
  service: string,
  metric: string,
  options: Partial<HistoryOptions> & { json?: boolean } = {},
  columns?: number,
): Promise<{ code: number; text: string; stderr: string }> {
  let text = '';
  const stderr = captureStderr();
  const output: ReaderOutput = { write: (chunk) => void (text += chunk), columns };
  const code = await historyCommand({ files: [config] }, service, metric, { ...HISTORY_DEFAULTS, ...options }, { output, now: () => NOW });
  return { code, text, stderr: stderr.join('') };
}

const iso = (ms: number): string => new Date(ms).toISOString();

describe('history: one metric of one service, per step', () => {
  it('prints a table of time and value in the unit of the metric, without a sparkline in a pipe', async () => {
    const { code, text } = await history('api', 'healthcheck.duration', { since: '1m', step: '15s' });
    expect(code).toBe(0);
    const lines = text.split('\n');
    // Steps on the 15 s grid, the last holding now (T + 10 s): one check in each.
    expect(lines[0]).toBe(`api healthcheck.duration: p95 per 15s from ${iso(T - 45_000)} to ${iso(T + 15_000)}`);
    expect(lines[1]).toBe('');
    expect(lines[2]).toMatch(/^\(no attributes\) {2}\(4 of 4 steps, from (raw|1m)\)$/);
    expect(lines[3]).toMatch(/^TIME +P95$/);
    expect(lines.slice(4, 8).map((line) => line.split(/ {2,}/)[0])).toEqual([0, 1, 2, 3].map((step) => iso(T - 45_000 + step * 15_000)));
    expect(lines.slice(4, 8).map((line) => line.split(/ {2,}/)[1])).toEqual([
      expect.stringMatching(/^(99\.\d+|100(\.\d+)?) ms$/),
      expect.stringMatching(/^(19\d\.?\d*|20\d\.?\d*) ms$/),
      expect.stringMatching(/^1\.\d+ s$/),
      expect.stringMatching(/^(29\d\.?\d*|30\d\.?\d*) ms$/),
    ]);
  });

  it('draws a sparkline of the range on a terminal, with its lowest and highest figure', async () => {
    const { text } = await history('api', 'healthcheck.duration', { since: '1m', step: '15s' }, 100);
    expect(text.split('\n')[3]).toMatch(/^▁▂█▂ {2}\S+ ms … 1\.\d+ s$/);
  });

  it('shows the attributes of each series and takes a filter on them', async () => {
    const all = await history('api', 'process.network.connection.count', { since: '2h', step: '1h', agg: 'last' });
    expect(all.text).toContain('\nnetwork.connection.state=established  (');
    expect(all.text).toContain('\nnetwork.connection.state=time_wait  (');
    const one = await history('api', 'process.network.connection.count', { since: '1m', agg: 'last', attribute: ['network.connection.state=established'] });
    expect(one.text).not.toContain('time_wait');
    expect(one.text).toMatch(/\nTIME +LAST\n\S+ +8\n/);
  });

  it('answers --json with times, values in the metric’s unit, and where they were read from', async () => {
    const { text } = await history('db', 'healthcheck.state', { since: '2m', step: '1m', agg: 'max', json: true });
    expect(JSON.parse(text)).toEqual({
      service: 'db',
      metric: 'healthcheck.state',
      aggregate: 'max',
      step: 60,
      since: iso(T - 60_000),
      until: iso(T + 60_000),
      series: [{ attributes: {}, unit: '1', resolution: expect.stringMatching(/^(raw|1m)$/), points: [{ time: iso(T - 60_000), value: 2 }] }],
    });
  });

  it('says when a known metric has no point in the range', async () => {
    const old = await history('api', 'process.network.connection.count', { since: '1m', attribute: ['network.connection.state=close_wait'] });
    expect(old.code).toBe(0);
    expect(old.text).toBe(
      `api process.network.connection.count: p95 per 1m from ${iso(T)} to ${iso(T + 60_000)}\nno points in this range; a longer --since reaches older ones\n`,
    );
  });

  it('refuses an unknown service or metric with exit 2, suggesting a known one', async () => {
    const service = await history('apii', 'healthcheck.up');
    expect(service.code).toBe(2);
    expect(service.stderr).toBe('healthpipe history: no service "apii" in the store; did you mean "api"? Services in the store: api, batch, db, gone\n');
    const metric = await history('db', 'healthcheck.dur');
    expect(metric.code).toBe(2);
    expect(metric.stderr).toBe(
      'healthpipe history: service "db" has no metric "healthcheck.dur"; did you mean "healthcheck.duration"? Metrics of db: healthcheck.duration, healthcheck.state, healthcheck.up\n',
    );
  });

  it('refuses a bad aggregate or duration before reading anything, exit 2', async () => {
    const aggregate = await history('api', 'healthcheck.up', { agg: 'median' });
    expect(aggregate.code).toBe(2);
    expect(aggregate.stderr).toContain('valid aggregates: avg, min, max, sum, count, last, p50, p90, p95, p99');
    const since = await history('api', 'healthcheck.up', { since: 'yesterday' });
    expect(since.code).toBe(2);
    expect(since.stderr).toContain('--since "yesterday" is not a duration');
  });
});

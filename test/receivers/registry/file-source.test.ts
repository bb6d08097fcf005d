import { mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { runRegistry, type RunningRegistry } from './running-registry.js';

// Generous: a loaded machine may deliver a watch event late.
const WAIT = { timeout: 15_000, interval: 20 };

let dir: string;
let running: RunningRegistry[] = [];

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'healthpipe-registry-file-'));
});
afterEach(() => {
  for (const registry of running.splice(0)) registry.stop();
  rmSync(dir, { recursive: true, force: true });
});

function start(path: string, options: Record<string, unknown> = {}): RunningRegistry {
  const registry = runRegistry({ file: { path, ...options } });
  running.push(registry);
  return registry;
}

describe('the file source', () => {
  it('publishes the file at start and each edit, seen through the directory watch alone', async () => {
    const path = join(dir, 'services.yaml');
    writeFileSync(path, '- id: a\n  service: api\n');
    const registry = start(path, { poll_interval: '1h' });
    await vi.waitFor(() => expect(registry.last()).toEqual({ ids: ['a'], stale: false }), WAIT);
    writeFileSync(path, '- id: a\n  service: api\n- id: b\n  service: db\n');
    await vi.waitFor(() => expect(registry.last()).toEqual({ ids: ['a', 'b'], stale: false }), WAIT);
    // An editor's save: a new file renamed over the old one.
    writeFileSync(join(dir, '.services.yaml.swp'), '{ "b": { "service": "db" } }');
    renameSync(join(dir, '.services.yaml.swp'), path);
    await vi.waitFor(() => expect(registry.last()).toEqual({ ids: ['b'], stale: false }), WAIT);
  });

  it('keeps the last good set, stale, on a broken edit, says where with line and column, and takes the fix', async () => {
    const path = join(dir, 'services.yaml');
    writeFileSync(path, '- id: a\n  service: api\n');
    const registry = start(path, { poll_interval: '200ms' });
    await vi.waitFor(() => expect(registry.last()).toEqual({ ids: ['a'], stale: false }), WAIT);
    writeFileSync(path, '- id: a\n  service: [api\n');
    await vi.waitFor(() => expect(registry.last()).toEqual({ ids: ['a'], stale: true }), WAIT);
    expect(registry.warnings()).toEqual([expect.stringMatching(new RegExp(`^cannot read file ${path}: ${path}:\\d+:\\d+: YAML syntax error: .*; its last 1 instances stand, stale$`))]);
    writeFileSync(path, '- id: c\n  service: cache\n');
    await vi.waitFor(() => expect(registry.last()).toEqual({ ids: ['c'], stale: false }), WAIT);
  });

  it('skips an invalid entry and reports it once with file:line:col, however often the file is checked', async () => {
    const path = join(dir, 'services.yaml');
    writeFileSync(path, '- id: a\n  service: api\n- id: b\n  servise: db\n');
    const registry = runRegistry({ file: { path, poll_interval: '100ms' }, collection_interval: '100ms' });
    running.push(registry);
    await vi.waitFor(() => expect(registry.last()).toEqual({ ids: ['a'], stale: false }), WAIT);
    // Several periodic checks later (each confirms the set again), still one report.
    await vi.waitFor(() => expect(registry.points.filter((point) => point.series.name === 'registry.heartbeat.age').length).toBeGreaterThan(5), WAIT);
    expect(registry.warnings()).toEqual([`${path}:3:3: not a valid instance, skipped: service: Invalid input: expected string, received undefined; Unrecognized key: "servise"`]);
  });

  it('waits for a file missing at start: publishes nothing until it appears', async () => {
    const path = join(dir, 'later', 'services.json');
    const registry = start(path, { poll_interval: '100ms' });
    await vi.waitFor(() => expect(registry.warnings()).toEqual([`cannot read file ${path}: ${path}: no such file; nothing is published until it can be read`]), WAIT);
    expect(registry.published).toEqual([]);
    const { mkdirSync } = await import('node:fs');
    mkdirSync(join(dir, 'later'));
    writeFileSync(path, '[]');
    await vi.waitFor(() => expect(registry.last()).toEqual({ ids: [], stale: false }), WAIT);
  });
});

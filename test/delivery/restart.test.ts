import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openStore } from '../../src/storage/index.js';
import { SteppingScheduler } from '../helpers/virtual-time.js';
import { advance, alerts, Destination, queueFor } from './destination.js';

const CHILD = join(import.meta.dirname, 'fixtures', 'delivery-child.mjs');

describe('DeliveryQueue across restarts', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'healthpipe-delivery-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('resumes from the store after a restart, in order, and sends nothing twice once accepted', async () => {
    const path = join(dir, 'healthpipe.db');
    const scheduler = new SteppingScheduler();
    const first = openStore(path);
    const down = new Destination(scheduler);
    down.answer = (items) => {
      if (items.some((item) => item.key === 'a')) throw new Error('ECONNREFUSED');
    };
    const before = queueFor(first.component('alertmanager'), scheduler, down);
    before.queue.enqueue(alerts('a1', 'b1', 'a2'));
    await advance(scheduler, 1000, 10);
    expect(down.acceptedNames()).toEqual(['b1']);
    await before.queue.shutdown();
    first.close();

    const second = openStore(path);
    const up = new Destination(scheduler);
    const after = queueFor(second.component('alertmanager'), scheduler, up);
    expect(after.queue.pending()).toBe(2);
    after.queue.enqueue(alerts('a3'));
    await advance(scheduler, 10);
    expect(up.acceptedNames()).toEqual(['a1', 'a2', 'a3']);
    expect(after.queue.pending()).toBe(0);
    second.close();
  });

  /** Runs the child; `killAfter` ms after its first output it is SIGKILLed, else it runs to its end. */
  async function runChild(args: string[], killAfter?: number): Promise<void> {
    const child = spawn(process.execPath, [CHILD, ...args], { stdio: ['ignore', 'pipe', 'inherit'] });
    const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
      child.once('exit', (code, signal) => resolve({ code, signal })),
    );
    if (killAfter === undefined) {
      expect(await exited).toEqual({ code: 0, signal: null });
      return;
    }
    await new Promise<void>((resolve, reject) => {
      child.stdout.once('data', () => resolve());
      child.once('exit', (code) => reject(new Error(`the child exited early with ${code}`)));
    });
    await new Promise((resolve) => setTimeout(resolve, killAfter));
    child.kill('SIGKILL');
    expect((await exited).signal).toBe('SIGKILL');
  }

  it('delivers every item enqueue acknowledged after SIGKILLs, in order per key; a duplicate only from the send a kill cut short', async () => {
    const path = join(dir, 'healthpipe.db');
    const delivered = join(dir, 'delivered.jsonl');
    const acked = join(dir, 'acked.txt');
    const RUNS = 5;
    for (let run = 0; run < RUNS; run += 1) {
      const last = existsSync(acked) ? readFileSync(acked, 'utf8').trim().split('\n').map(Number) : [];
      // Numbers go on from the last one acknowledged: the kill may have lost an unacknowledged one.
      const from = String(last.length === 0 ? 0 : Math.max(...last) + 1000);
      await runChild(['produce', path, delivered, acked, String(run), from], 20 + Math.floor(Math.random() * 100));
    }
    await runChild(['drain', path, delivered, acked, String(RUNS)]);

    const sends = readFileSync(delivered, 'utf8').trim().split('\n').map((line) => JSON.parse(line) as { run: number; items: number[] });
    const ackedItems = readFileSync(acked, 'utf8').trim().split('\n').map(Number);
    const seen = new Map<number, number>();
    for (const send of sends) for (const n of send.items) seen.set(n, (seen.get(n) ?? 0) + 1);

    // At least once: everything enqueue returned for was delivered.
    expect(ackedItems.filter((n) => !seen.has(n))).toEqual([]);
    expect(ackedItems.length).toBeGreaterThan(50);
    // In order per key, by first delivery.
    const firsts = new Map<string, number[]>();
    const counted = new Set<number>();
    for (const send of sends) {
      for (const n of send.items) {
        if (counted.has(n)) continue;
        counted.add(n);
        const key = `k${n % 5}`;
        firsts.set(key, [...(firsts.get(key) ?? []), n]);
      }
    }
    for (const order of firsts.values()) expect(order).toEqual([...order].sort((a, b) => a - b));
    // A duplicate only of the last send of a killed run: accepted, its removal not committed.
    const lastSendOfRun = new Map<number, number[]>();
    for (const send of sends) lastSendOfRun.set(send.run, send.items);
    const cutShort = new Set([...lastSendOfRun].filter(([run]) => run < RUNS).flatMap(([, items]) => items));
    const duplicates = [...seen].filter(([, times]) => times > 1).map(([n]) => n);
    expect(duplicates.filter((n) => !cutShort.has(n))).toEqual([]);
    expect(Math.max(...seen.values())).toBeLessThanOrEqual(2);
  }, 60_000);
});

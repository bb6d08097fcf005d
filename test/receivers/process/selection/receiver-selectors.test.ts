import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { filter, firstValueFrom, share, type Observable } from 'rxjs';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { MetricBatch } from '../../../../src/model/point.js';
import { ProcfsBackend } from '../../../../receivers/process/procfs-backend.js';
import { ProcessScraper } from '../../../../receivers/process/scraper.js';
import { ProcessMatcher } from '../../../../receivers/process/selection/matcher.js';
import { staticTargets } from '../../../../receivers/process/targets.js';
import { createTestContext } from '../../../helpers/context.js';
import { startChild, startProgram, stopAllChildren, stopChild } from '../children.js';
import { linux, receive } from '../receive.js';
import { startTcpHolder, type TcpHolder } from '../sockets/tcp-holder.js';

const host = hostname();
let dir: string;
const holders: TcpHolder[] = [];
const servers: Server[] = [];

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'healthpipe-selectors-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));
afterEach(async () => {
  await stopAllChildren();
  await Promise.all(holders.splice(0).map((holder) => holder.stop()));
  await Promise.all(servers.splice(0).map((server) => new Promise((resolve) => server.close(resolve))));
});

/** `sleep` copied under a name no other process on the machine has. */
function sleepNamed(name: string): string {
  const path = join(dir, name);
  copyFileSync('/usr/bin/sleep', path);
  return path;
}

const marker = () => randomBytes(4).toString('hex');

/** The first batch with a point of every PID asked for (the receiver scrapes every 50 ms). */
function batchWith(batches$: Observable<MetricBatch>, pids: readonly number[]): Promise<MetricBatch> {
  return firstValueFrom(batches$.pipe(filter((batch) => pids.every((pid) => pidsOf(batch).includes(pid)))));
}

function pidsOf(batch: MetricBatch): number[] {
  return [...new Set(batch.filter((point) => point.stale !== true).map((point) => point.series.resource.attributes['process.pid'] as number))];
}

describe.runIf(linux)('process selectors on real processes', () => {
  it('executable: every process of the name, each its own instance', async () => {
    const name = `hpsl${marker()}`;
    const path = sleepNamed(name);
    const pids = [await startProgram(path, ['600']), await startProgram(path, ['601'])];
    const { batches$ } = receive({ targets: [{ service: 'sleeper', executable: name }] });
    const batch = await batchWith(batches$, pids);
    expect(pidsOf(batch).sort()).toEqual([...pids].sort());
    const ids = new Set(batch.map((point) => point.series.resource.attributes['service.instance.id']));
    expect(ids).toEqual(new Set(pids.map((pid) => `${host}:${pid}`)));
    expect(batch.find((point) => point.series.name === 'process.cpu.time')!.series.resource.attributes['process.executable.name']).toBe(name);
  });

  it('executable: a name longer than the 15 characters of comm, confirmed on argv[0]', async () => {
    const name = `healthpipe-sleeper-${marker()}`;
    const pid = await startProgram(sleepNamed(name), ['600']);
    const { batches$ } = receive({ targets: [{ service: 'sleeper', executable: name }] });
    expect(pidsOf(await batchWith(batches$, [pid]))).toEqual([pid]);
  });

  it('command_line: a regex over the arguments joined by spaces, unanchored', async () => {
    const tag = marker();
    const pid = await startChild({ args: [`--worker=${tag}`, 'queue'] });
    await startChild({ args: [`--other=${tag}`] });
    const { batches$ } = receive({ targets: [{ service: 'worker', command_line: `worker=${tag} q` }] });
    expect(pidsOf(await batchWith(batches$, [pid]))).toEqual([pid]);
  });

  it('command_line: the pipeline is left out unless exclude_self is false', async () => {
    // argv[0] of the test process as the kernel has it; the child runs the same node.
    const own = `^${escape(readFileSync('/proc/self/cmdline', 'utf8').split('\u0000')[0]!)}( |$)`;
    const pid = await startChild({ args: [marker()] });
    const excluded = receive({ targets: [{ service: 'node', command_line: `${own}|${escape(process.execPath)}` }] });
    expect(pidsOf(await batchWith(excluded.batches$, [pid]))).not.toContain(process.pid);
    const included = receive({ targets: [{ service: 'node', command_line: own, exclude_self: false }] });
    expect(pidsOf(await batchWith(included.batches$, [process.pid]))).toContain(process.pid);
  });

  it('port: the process holding the listening socket, IPv4', async () => {
    const holder = await startTcpHolder(0);
    holders.push(holder);
    const { batches$ } = receive({ targets: [{ service: 'server', port: holder.port }] });
    expect(pidsOf(await batchWith(batches$, [holder.pid]))).toEqual([holder.pid]);
  });

  it('port: IPv6, and the pipeline itself when exclude_self is false', async () => {
    const server = createServer();
    servers.push(server);
    const listening = await new Promise<boolean>((resolve) => {
      server.once('error', () => resolve(false));
      server.listen(0, '::1', () => resolve(true));
    });
    if (!listening) return; // no IPv6 loopback on this machine
    const port = (server.address() as { port: number }).port;
    const { batches$ } = receive({ targets: [{ service: 'self', port, exclude_self: false }] });
    expect(pidsOf(await batchWith(batches$, [process.pid]))).toEqual([process.pid]);
  });

  it('a matched process that ends gets a stale marker per series, and the target then says no_match', async () => {
    const tag = marker();
    const pid = await startChild({ args: [`--ending=${tag}`] });
    // One subscription throughout: the scraper that saw the process is the one that sees it end.
    const batches$ = receive({ targets: [{ service: 'worker', command_line: `ending=${tag}` }] }).batches$.pipe(share());
    const kept = batches$.subscribe();
    const seen = await batchWith(batches$, [pid]);
    const ended = firstValueFrom(batches$.pipe(filter((batch) => batch.some((point) => point.stale === true))));
    await stopChild(pid);
    const batch = await ended;
    kept.unsubscribe();
    const markers = batch.filter((point) => point.stale === true);
    expect(new Set(markers.map((point) => point.series.key))).toEqual(new Set(seen.map((point) => point.series.key)));
    expect(batch.find((point) => point.stale !== true)?.series.attributes).toEqual({ 'error.type': 'no_match' });
  });
});

describe.runIf(linux)('cgroup and unit selectors', () => {
  /** A cgroup tree in a temp directory whose cgroup.procs list real processes. */
  function cgroupTree(procs: Record<string, readonly number[]>): string {
    const root = mkdtempSync(join(dir, 'cgroup-'));
    for (const [path, pids] of Object.entries(procs)) {
      mkdirSync(join(root, path), { recursive: true });
      writeFileSync(join(root, path, 'cgroup.procs'), pids.map((pid) => `${pid}\n`).join(''));
    }
    return root;
  }

  async function scrapeWith(cgroupRoot: string, selector: Record<string, unknown>): Promise<number[]> {
    const context = createTestContext();
    const scraper = new ProcessScraper(new ProcfsBackend({ fileDescriptors: false }), context, undefined, new ProcessMatcher({ cgroupRoot }));
    try {
      const batch = await scraper.scrape(staticTargets([{ service: 'svc', labels: {}, ...selector }]));
      return pidsOf(batch.filter((point) => point.series.name !== 'process.scrape.error')).sort((a, b) => a - b);
    } finally {
      scraper.close();
    }
  }

  it('cgroup: the processes of the cgroup and of its sub-cgroups', async () => {
    const [a, b, c] = [await startChild(), await startChild(), await startChild()];
    const root = cgroupTree({ 'system.slice/app.service': [a!], 'system.slice/app.service/workers': [b!], 'system.slice/other.service': [c!] });
    expect(await scrapeWith(root, { cgroup: '/system.slice/app.service' })).toEqual([a, b].sort((x, y) => x! - y!));
  });

  it('unit: a service under system.slice, a user unit found by name, a slice by its path', async () => {
    const [a, b, c] = [await startChild(), await startChild(), await startChild()];
    const root = cgroupTree({
      'system.slice/nginx.service': [a!],
      'user.slice/user-1000.slice/user@1000.service/app.slice/notes.service': [b!],
      'machine.slice/machine-vm1.slice': [c!],
    });
    expect(await scrapeWith(root, { unit: 'nginx.service' })).toEqual([a]);
    expect(await scrapeWith(root, { unit: 'notes.service' })).toEqual([b]);
    expect(await scrapeWith(root, { unit: 'machine-vm1.slice' })).toEqual([c]);
    expect(await scrapeWith(root, { unit: 'absent.service' })).toEqual([]);
  });
});

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

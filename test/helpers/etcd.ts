import type { ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { requireComponent } from './components.js';
import { freePort, launchServer, startRestartable, type RestartableServer } from './server-process.js';

/**
 * A real etcd (Debian bookworm's etcd-server 3.4, DESIGN.md section 5) for the tests of the
 * registry's `etcd` source. Each call gets its own single-member cluster: its own process,
 * client and peer ports on 127.0.0.1 and data directory; tests stop it in afterEach, and
 * whatever a test forgets is killed when the test process exits.
 *
 *   const etcd = await startEtcd();
 *   // connect a client to etcd.url
 *   await etcd.restart(); // "etcd restarted under a running agent": same ports, same data
 *   await etcd.restart(async () => { … }); // … runs while it is down
 *   await etcd.stop();
 */

const PROGRAM = 'usr/bin/etcd';

export interface EtcdOptions {
  /** How long /health may take to answer before start fails, in ms. */
  readyTimeoutMs?: number;
}

/** A running member; `halt`/`start`/`restart` keep its ports and data, `stop` removes them. */
export interface RunningEtcd extends RestartableServer {
  /** http://127.0.0.1:CLIENT_PORT, the one client endpoint. */
  url: string;
  clientPort: number;
  peerPort: number;
  /** The member's data directory (kept across restart(), removed by stop()). */
  dataDir: string;
}

const MEMBER = 'healthpipe-test';

export async function startEtcd(options: EtcdOptions = {}): Promise<RunningEtcd> {
  const program = requireComponent(PROGRAM);
  const dir = mkdtempSync(join(tmpdir(), 'healthpipe-etcd-'));
  const dataDir = join(dir, 'data');
  const clientPort = await freePort();
  const peerPort = await freePort();
  const url = `http://127.0.0.1:${clientPort}`;
  const peerUrl = `http://127.0.0.1:${peerPort}`;
  // DESIGN.md section 5; the short heartbeat and election make a member leader in ~0.1 s.
  const args = [
    ['--name', MEMBER],
    ['--data-dir', dataDir],
    ['--listen-client-urls', url],
    ['--advertise-client-urls', url],
    ['--listen-peer-urls', peerUrl],
    ['--initial-advertise-peer-urls', peerUrl],
    ['--initial-cluster', `${MEMBER}=${peerUrl}`],
    ['--initial-cluster-state', 'new'],
    ['--heartbeat-interval', '10'],
    ['--election-timeout', '100'],
  ].flat();
  const readyTimeoutMs = options.readyTimeoutMs ?? 15_000;
  const server = await startRestartable('etcd', dir, () => launch(program, args, url, readyTimeoutMs));
  return { ...server, url, clientPort, peerPort, dataDir };
}

/** Starts the process and resolves once GET /health says the member is healthy (it has a leader). */
function launch(program: string, args: string[], url: string, timeoutMs: number): Promise<ChildProcess> {
  return launchServer({ name: `etcd at ${url}`, program, args, cwd: tmpdir(), isReady: () => isHealthy(url), timeoutMs, pollMs: 25 });
}

async function isHealthy(url: string): Promise<boolean> {
  try {
    const response = await fetch(`${url}/health`, { signal: AbortSignal.timeout(1_000) });
    if (response.status !== 200) {
      await response.body?.cancel();
      return false;
    }
    const body = (await response.json()) as { health?: unknown };
    return body.health === 'true';
  } catch {
    return false;
  }
}

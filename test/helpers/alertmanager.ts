import type { ChildProcess } from 'node:child_process';
import {
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { componentsRoot, requireComponent } from './components.js';
import { freePort, launchServer, terminate } from './server-process.js';

/**
 * A real Alertmanager (Debian bookworm's prometheus-alertmanager 0.25, DESIGN.md section 5)
 * for the tests of the `alertmanager` and `webhook` sinks. Each call gets its own process,
 * port, configuration and storage; tests stop it in afterEach/afterAll, and whatever a test
 * forgets is killed when the test process exits.
 *
 *   const am = await startAlertmanager({ webhookUrl: 'http://127.0.0.1:PORT/' });
 *   // POST `${am.url}/api/v2/alerts`, then: await am.alerts()
 *   await am.restart(); // "sink down, then back": same port, same storage
 *   await am.restart(async () => { … });   // … runs while it is down
 *   await am.stop();
 */

const PROGRAM = 'usr/bin/prometheus-alertmanager';

export interface AlertmanagerOptions {
  /** Where the one receiver POSTs webhook payloads (version "4"); none: a receiver that drops them. */
  webhookUrl?: string;
  /** Route timings, Alertmanager durations such as '100ms'. Small defaults so a test sees notifications at once. */
  groupWait?: string;
  groupInterval?: string;
  repeatInterval?: string;
  /** Labels that split alerts into notification groups. */
  groupBy?: string[];
  /** How long /-/ready may take before start fails, in ms. */
  readyTimeoutMs?: number;
}

/** One item of GET /api/v2/alerts (PROTOCOLS.md section 1, gettableAlert). */
export interface ApiAlert {
  labels: Record<string, string>;
  annotations: Record<string, string>;
  startsAt: string;
  endsAt: string;
  updatedAt: string;
  fingerprint: string;
  generatorURL?: string;
  receivers: { name: string }[];
  status: { state: 'unprocessed' | 'active' | 'suppressed'; silencedBy: string[]; inhibitedBy: string[] };
}

export interface RunningAlertmanager {
  /** http://127.0.0.1:PORT, without a trailing slash. */
  url: string;
  port: number;
  /** GET /api/v2/alerts: the active (not resolved) alerts. */
  alerts(): Promise<ApiAlert[]>;
  /** SIGTERM, SIGKILL after a bound; removes the configuration and storage. Safe to call twice. */
  stop(): Promise<void>;
  /**
   * Stops the process and starts it again on the same port with the same storage; when
   * given, `whileDown` runs between the two (what happens while the sink is down).
   */
  restart(whileDown?: () => Promise<void>): Promise<void>;
}

/** The receiver's name in the generated configuration (webhook payloads carry it as `receiver`). */
export const ALERTMANAGER_RECEIVER = 'test';

export async function startAlertmanager(options: AlertmanagerOptions = {}): Promise<RunningAlertmanager> {
  const program = alertmanagerProgram();
  const dir = mkdtempSync(join(tmpdir(), 'healthpipe-alertmanager-'));
  const configFile = join(dir, 'alertmanager.yml');
  // JSON is YAML, and Alertmanager reads YAML.
  writeFileSync(configFile, JSON.stringify(alertmanagerConfig(options), null, 2));
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const args = [
    `--config.file=${configFile}`,
    `--storage.path=${join(dir, 'data')}`,
    `--web.listen-address=127.0.0.1:${port}`,
    // Empty turns clustering off; otherwise gossip binds every interface.
    '--cluster.listen-address=',
  ];
  const readyTimeoutMs = options.readyTimeoutMs ?? 10_000;
  let child = await launch(program, args, url, readyTimeoutMs);
  let stopped = false;

  return {
    url,
    port,
    async alerts() {
      const response = await fetch(`${url}/api/v2/alerts`);
      if (!response.ok) throw new Error(`GET ${url}/api/v2/alerts: ${response.status} ${await response.text()}`);
      return (await response.json()) as ApiAlert[];
    },
    async stop() {
      if (stopped) return;
      stopped = true;
      await terminate(child);
      rmSync(dir, { recursive: true, force: true });
    },
    async restart(whileDown) {
      if (stopped) throw new Error('restart() after stop(): start a new Alertmanager instead');
      await terminate(child);
      if (whileDown !== undefined) await whileDown();
      child = await launch(program, args, url, readyTimeoutMs);
    },
  };
}

function alertmanagerConfig(options: AlertmanagerOptions): object {
  const receiver =
    options.webhookUrl === undefined
      ? { name: ALERTMANAGER_RECEIVER }
      : { name: ALERTMANAGER_RECEIVER, webhook_configs: [{ url: options.webhookUrl, send_resolved: true }] };
  return {
    route: {
      receiver: ALERTMANAGER_RECEIVER,
      group_by: options.groupBy ?? ['alertname', 'service'],
      group_wait: options.groupWait ?? '50ms',
      group_interval: options.groupInterval ?? '200ms',
      repeat_interval: options.repeatInterval ?? '1h',
    },
    receivers: [receiver],
  };
}

interface Program {
  path: string;
  cwd: string;
}

/**
 * Debian's build looks for its templates (default.tmpl) at the absolute path
 * /usr/share/prometheus/alertmanager and will not apply any configuration without them. A
 * system-wide install has them there; the copy in the project's cache has them under the
 * cache. So the cached program runs as a copy whose built-in path is rewritten, byte for
 * byte, to an equally long relative one ("./././…/alertmanager"), started in the cache's
 * usr/share/prometheus. No root, no system change.
 */
function alertmanagerProgram(): Program {
  const found = requireComponent(PROGRAM);
  if (found === `/${PROGRAM}`) return { path: found, cwd: tmpdir() };
  const cwd = join(componentsRoot(), 'usr/share/prometheus');
  const relocated = join(dirname(componentsRoot()), 'relocated', 'prometheus-alertmanager');
  if (!existsSync(relocated) || statSync(relocated).mtimeMs < statSync(found).mtimeMs) {
    const original = Buffer.from('/usr/share/prometheus/alertmanager');
    const replacement = Buffer.from(`${'./'.repeat(11)}alertmanager`);
    if (replacement.length !== original.length) throw new Error('the rewritten template path must keep its length');
    const binary = readFileSync(found);
    let at = binary.indexOf(original);
    if (at < 0) throw new Error(`${found} has no ${original.toString()} to relocate`);
    for (; at >= 0; at = binary.indexOf(original, at + original.length)) replacement.copy(binary, at);
    // Vitest workers may do this at once: each writes its own file and renames it into place.
    mkdirSync(dirname(relocated), { recursive: true });
    const partial = `${relocated}.${process.pid}`;
    writeFileSync(partial, binary);
    chmodSync(partial, 0o755);
    renameSync(partial, relocated);
  }
  return { path: relocated, cwd };
}

/** Starts the process and resolves once GET /-/ready answers 200. */
function launch(program: Program, args: string[], url: string, timeoutMs: number): Promise<ChildProcess> {
  const { path, cwd } = program;
  return launchServer({ name: `Alertmanager at ${url}`, program: path, args, cwd, isReady: () => isReady(url), timeoutMs });
}

async function isReady(url: string): Promise<boolean> {
  try {
    const response = await fetch(`${url}/-/ready`, { signal: AbortSignal.timeout(1_000) });
    await response.body?.cancel();
    return response.status === 200;
  } catch {
    return false;
  }
}

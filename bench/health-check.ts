import { spawn, type ChildProcess } from 'node:child_process';
import * as http from 'node:http';
import { createInterface } from 'node:readline';
import { pathToFileURL } from 'node:url';
import { asyncScheduler, of, type Subscription } from 'rxjs';
import type { Check } from '../receivers/health_check/check-result.js';
import { createHttpCheck, httpCheckSchema, httpCheckSecrets } from '../receivers/health_check/http/index.js';
import type { MetricBatch } from '../src/model/point.js';
import { scheduleTargets } from '../src/scheduling/index.js';
import { CountingTelemetry } from '../src/telemetry/counters.js';
import { measureStarts, median, record, scheduled as trivialChecks, type Figures } from './scheduling.js';
import type { BenchModule, BenchRow, BenchSection } from './types.js';

const RUNS = 3;
/** Sequential requests per measured run, after as many unmeasured ones to warm the JIT and the connection. */
const REQUESTS = 2000;
const TARGETS = 1000;
const INTERVAL = 1000;
const TIMEOUT = 5000;
const TITLE = 'health_check: HTTP check against a local keep-alive server (in a child process, its CPU not counted)';
const TARGET = `≤ 250 µs CPU per HTTP check (DESIGN §6: fetch ≈ 430 µs, node:http keep-alive ≈ 165 µs); ${TARGETS.toLocaleString('en-US')} targets at ${INTERVAL / 1000} s: p99 start jitter < 50 ms`;

/** The server: answers every request with a short body, keeping connections open well past the interval. */
const SERVER_SOURCE = `
const http = require('node:http');
const server = http.createServer((req, res) => { res.setHeader('content-type', 'text/plain'); res.end('ok'); });
server.keepAliveTimeout = 60000;
server.maxRequestsPerSocket = 0;
server.listen(0, '127.0.0.1', () => console.log(server.address().port));
`;

interface Server {
  readonly url: string;
  stop(): void;
}

async function startServer(): Promise<Server> {
  const child: ChildProcess = spawn(process.execPath, ['-e', SERVER_SOURCE], { stdio: ['ignore', 'pipe', 'inherit'] });
  const lines = createInterface({ input: child.stdout! });
  const port = await new Promise<string>((resolve, reject) => {
    lines.once('line', resolve);
    child.once('exit', (code) => reject(new Error(`the bench server exited (${code})`)));
  });
  lines.close();
  return { url: `http://127.0.0.1:${port}/health`, stop: () => void child.kill() };
}

/** CPU µs (user + system) of this process per request, over REQUESTS sequential requests after as many warm-up ones. */
async function cpuPerRequest(request: () => Promise<unknown>): Promise<number> {
  for (let i = 0; i < REQUESTS; i++) await request();
  const cpu = process.cpuUsage();
  for (let i = 0; i < REQUESTS; i++) await request();
  const used = process.cpuUsage(cpu);
  return (used.user + used.system) / REQUESTS;
}

function httpCheck(url: string): Check {
  const config = httpCheckSchema.parse({ url });
  return createHttpCheck(config, { secrets: httpCheckSecrets(config) });
}

/** The check as the receiver runs it: a signal per run (the scheduler makes one per check). */
function ours(url: string): { request: () => Promise<unknown>; close: () => void } {
  const check = httpCheck(url);
  return {
    request: async () => {
      const result = await check.run(new AbortController().signal);
      if (result.state !== 'ok') throw new Error(`the bench check failed: ${result.message ?? result.state}`);
    },
    close: () => check.close(),
  };
}

/** The floor: a bare node:http keep-alive GET, its body discarded. */
function bareNodeHttp(url: string): { request: () => Promise<unknown>; close: () => void } {
  const agent = new http.Agent({ keepAlive: true, maxFreeSockets: 1 });
  return {
    request: () =>
      new Promise<void>((resolve, reject) => {
        http
          .get(url, { agent }, (res) => {
            res.once('end', resolve);
            res.resume();
          })
          .once('error', reject);
      }),
    close: () => agent.destroy(),
  };
}

/** What most would write: global fetch (undici, keep-alive by default), its body read. */
function globalFetch(url: string): { request: () => Promise<unknown>; close: () => void } {
  return { request: async () => (await fetch(url)).text(), close: () => undefined };
}

/** What went other than planned in a scheduled run: checks that did not answer ok, ticks skipped. */
interface Trouble {
  notOk: number;
  skipped: number;
}

/**
 * 1,000 checks through scheduleTargets on the real clock, each target its own check and kept
 * connection, with the receiver's default timeout (5 s): a check slower than the interval
 * skips ticks (counted) rather than being cut and reconnecting.
 */
function scheduledChecks(url: string, trouble: Trouble): (onStart: (planned: number) => void) => () => void {
  return (onStart) => {
    const targets = Array.from({ length: TARGETS }, (_, i) => ({ key: `targets[${i}] ${url}?i=${i}`, check: httpCheck(`${url}?i=${i}`) }));
    const telemetry = new CountingTelemetry();
    const NO_POINTS: MetricBatch = [];
    const subscription: Subscription = of(targets)
      .pipe(
        scheduleTargets({
          interval: INTERVAL,
          timeout: TIMEOUT,
          scheduler: asyncScheduler,
          telemetry,
          collect: async (target, { planned, signal }) => {
            onStart(planned);
            const result = await target.check.run(signal);
            // Checks cancelled when a run stops are not failures.
            if (result.state !== 'ok' && !signal.aborted) trouble.notOk++;
            return NO_POINTS;
          },
          onTimeout: () => NO_POINTS,
          onError: () => NO_POINTS,
        }),
      )
      .subscribe();
    return () => {
      subscription.unsubscribe();
      trouble.skipped += telemetry.counts.skipped;
      for (const target of targets) target.check.close();
    };
  };
}

const figures = (): Figures => ({ p50: [], p99: [], max: [], cpu: [], starts: [] });

/** The three take turns, three runs each, so a burst of load on the machine hits all alike; medians are reported. */
export const run: BenchModule = async (): Promise<BenchSection> => {
  const server = await startServer();
  try {
    const cpu = { ours: [] as number[], node: [] as number[], fetch: [] as number[] };
    for (let i = 0; i < RUNS; i++) {
      for (const [name, make] of [
        ['ours', ours],
        ['node', bareNodeHttp],
        ['fetch', globalFetch],
      ] as const) {
        const client = make(server.url);
        cpu[name].push(await cpuPerRequest(client.request));
        client.close();
      }
    }
    const jitter = figures();
    const trivial = figures();
    const trouble: Trouble = { notOk: 0, skipped: 0 };
    for (let i = 0; i < RUNS; i++) {
      record(jitter, await measureStarts(scheduledChecks(server.url, trouble)));
      record(trivial, await measureStarts(trivialChecks));
    }
    const sequential = `${REQUESTS.toLocaleString('en-US')} sequential requests, one kept connection`;
    const scheduled = `${TARGETS.toLocaleString('en-US')} http targets at ${INTERVAL / 1000} s (scheduleTargets)`;
    const rows: BenchRow[] = [
      { name: 'http check (node:http, kept connection)', value: median(cpu.ours), unit: 'µs CPU/check', role: 'measured', note: sequential },
      { name: 'bare node:http keep-alive GET', value: median(cpu.node), unit: 'µs CPU/request', role: 'reference', note: sequential },
      { name: 'global fetch, body read', value: median(cpu.fetch), unit: 'µs CPU/request', role: 'reference', note: sequential },
      { name: `${scheduled}: p50 start lateness`, value: median(jitter.p50), unit: 'ms', role: 'measured' },
      { name: `${scheduled}: p99 start lateness`, value: median(jitter.p99), unit: 'ms', role: 'measured', note: `max ${median(jitter.max).toFixed(1)} ms` },
      {
        name: `${scheduled}: CPU per check`,
        value: median(jitter.cpu),
        unit: 'µs CPU/check',
        role: 'measured',
        note: `${Math.round(median(jitter.starts))} checks in 5 s, scheduling included; over ${RUNS} runs ${trouble.notOk} checks not ok, ${trouble.skipped} ticks skipped`,
      },
      { name: `the same scheduling of a trivial check: p99 start lateness`, value: median(trivial.p99), unit: 'ms', role: 'reference', note: `the machine's own lateness now; max ${median(trivial.max).toFixed(1)} ms` },
      { name: `the same scheduling of a trivial check: CPU per check`, value: median(trivial.cpu), unit: 'µs CPU/check', role: 'reference' },
    ];
    return { title: TITLE, target: TARGET, rows };
  } finally {
    server.stop();
  }
};

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const section = await run();
  process.stdout.write(`${JSON.stringify(section, null, 2)}\n`);
}

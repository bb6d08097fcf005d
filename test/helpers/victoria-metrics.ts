import type { ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { requireComponent } from './components.js';
import { freePort, launchServer, startRestartable, type RestartableServer } from './server-process.js';

/**
 * A real VictoriaMetrics (Debian trixie's victoria-metrics 1.112, DESIGN.md section 5), the
 * OTLP backend of the `otlp` exporter's tests and benches. Each call gets its own process,
 * port on 127.0.0.1 and data directory; tests stop it in afterEach, and whatever a test
 * forgets is killed when the test process exits.
 *
 *   const vm = await startVictoriaMetrics();
 *   // POST protobuf to vm.otlpMetricsUrl (exporter `endpoint: vm.otlpUrl`), then:
 *   const series = await vm.exportSeries('{__name__="http_requests_total"}'); // flushes first
 *   await vm.restart(async () => { … });   // "backend down, then back": same port, same data
 *   await vm.stop();
 *
 * What VictoriaMetrics 1.112 makes of OTLP with `-opentelemetry.usePrometheusNaming`, as
 * test/components/victoria-metrics.test.ts pins it down:
 * - Only protobuf is accepted on /opentelemetry/v1/metrics (JSON is refused with 400); a
 *   gzip Content-Encoding is accepted.
 * - Metric names become Prometheus names: dots become underscores, the unit is appended
 *   as a suffix in Prometheus' words (`s` → `_seconds`, `By` → `_bytes`, `1` → `_ratio`
 *   on a gauge; a unit in braces such as `{request}` adds nothing), and a monotonic
 *   sum gets `_total` (`http.server.requests` sum, unit `{request}` →
 *   `http_server_requests_total`; `process.cpu.time` sum, unit `s` →
 *   `process_cpu_time_seconds_total`; `process.memory.usage` gauge, `By` →
 *   `process_memory_usage_bytes`).
 * - Every resource attribute becomes a label of every series of that resource, named the
 *   Prometheus way (`service.name` → `service_name`, `host.name` → `host_name`); point
 *   attributes likewise (`http.route` → `http_route`). No `job` or `instance` label is
 *   derived from `service.name`/`service.instance.id`, and no `target_info` series is made.
 * - The scope (name, version) is not stored.
 * - Timestamps are kept to the millisecond (`timeUnixNano` / 1e6, truncated); a sum's
 *   `startTimeUnixNano` is not stored.
 * - Samples a series receives twice with the same timestamp are both kept unless
 *   `dedupMinScrapeInterval` is set; /api/v1/export shows each sample stored.
 * - `/internal/force_flush` does not always make a request answered a moment ago visible at
 *   once: under a stream of requests (the agent's), the last ones have shown up to ~0.6 s
 *   after the flush. Poll for what must arrive (`vi.waitFor`), never read once.
 */

const PROGRAM = 'usr/bin/victoria-metrics';

export interface VictoriaMetricsOptions {
  /** How long /health may take to answer OK before start fails, in ms. */
  readyTimeoutMs?: number;
  /**
   * `-dedup.minScrapeInterval` (a VictoriaMetrics duration such as '1ms'): leave one sample
   * per series per interval. None by default, so a test sees every duplicate that arrived.
   */
  dedupMinScrapeInterval?: string;
  /** More command-line flags, for a bench that wants them. */
  extraArgs?: string[];
}

/** One series of GET /api/v1/export (one JSON object per line). */
export interface ExportedSeries {
  /** Labels, `__name__` included. */
  metric: Record<string, string>;
  values: number[];
  /** Unix milliseconds, ascending, beside `values`. */
  timestamps: number[];
}

/** One element of an instant query's `data.result` (resultType vector). */
export interface InstantSample {
  metric: Record<string, string>;
  /** [unix seconds, value as text] */
  value: [number, string];
}

/** A running VictoriaMetrics; `halt` (it writes what it holds to disk)/`start`/`restart` keep its port and data, `stop` removes them. */
export interface RunningVictoriaMetrics extends RestartableServer {
  /** http://127.0.0.1:PORT, without a trailing slash. */
  url: string;
  port: number;
  /** The OTLP base URL an exporter's `endpoint` takes (`/v1/metrics` appended to it). */
  otlpUrl: string;
  /** Where OTLP metrics are POSTed: `${otlpUrl}/v1/metrics`. */
  otlpMetricsUrl: string;
  /** The storage directory (kept by halt()/restart(), removed by stop()). */
  dataDir: string;
  /** GET /internal/force_flush: what was ingested becomes searchable. */
  flush(): Promise<void>;
  /** Flushes, then GET /api/v1/export?match[]=… over all time: every stored sample of the matching series. */
  exportSeries(match: string): Promise<ExportedSeries[]>;
  /** Flushes, then an instant query (GET /api/v1/query, uncached) at `time` (unix seconds; now by default). */
  query(expression: string, time?: number): Promise<InstantSample[]>;
  /** Flushes, then the names of every stored series (GET /api/v1/label/__name__/values). */
  metricNames(): Promise<string[]>;
}

export async function startVictoriaMetrics(options: VictoriaMetricsOptions = {}): Promise<RunningVictoriaMetrics> {
  const program = requireComponent(PROGRAM);
  const dir = mkdtempSync(join(tmpdir(), 'healthpipe-victoria-metrics-'));
  const dataDir = join(dir, 'data');
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  // DESIGN.md section 5. A 100-year retention keeps any point a test makes; a zero latency
  // offset makes a point visible to queries as soon as it is flushed, not 30 s later.
  const args = [
    `-httpListenAddr=127.0.0.1:${port}`,
    `-storageDataPath=${dataDir}`,
    '-retentionPeriod=100y',
    '-opentelemetry.usePrometheusNaming',
    '-search.latencyOffset=0s',
    '-loggerLevel=WARN',
    ...(options.dedupMinScrapeInterval === undefined ? [] : [`-dedup.minScrapeInterval=${options.dedupMinScrapeInterval}`]),
    ...(options.extraArgs ?? []),
  ];
  const readyTimeoutMs = options.readyTimeoutMs ?? 15_000;
  const server = await startRestartable('VictoriaMetrics', dir, () => launch(program, args, url, readyTimeoutMs));
  const flush = async (): Promise<void> => {
    await getText(`${url}/internal/force_flush`);
  };

  return {
    ...server,
    url,
    port,
    otlpUrl: `${url}/opentelemetry`,
    otlpMetricsUrl: `${url}/opentelemetry/v1/metrics`,
    dataDir,
    flush,
    async exportSeries(match) {
      await flush();
      const params = new URLSearchParams({ 'match[]': match, start: '0' });
      const text = await getText(`${url}/api/v1/export?${params.toString()}`);
      return text
        .split('\n')
        .filter((line) => line.trim() !== '')
        .map((line) => JSON.parse(line) as ExportedSeries);
    },
    async query(expression, time) {
      await flush();
      const params = new URLSearchParams({ query: expression, nocache: '1' });
      if (time !== undefined) params.set('time', String(time));
      const body = JSON.parse(await getText(`${url}/api/v1/query?${params.toString()}`)) as {
        status: string;
        data: { resultType: string; result: InstantSample[] };
      };
      if (body.status !== 'success' || body.data.resultType !== 'vector') {
        throw new Error(`query ${expression}: ${JSON.stringify(body)}`);
      }
      return body.data.result;
    },
    async metricNames() {
      await flush();
      const params = new URLSearchParams({ start: '0' });
      const body = JSON.parse(await getText(`${url}/api/v1/label/__name__/values?${params.toString()}`)) as { data: string[] };
      return body.data;
    },
  };
}

async function getText(url: string): Promise<string> {
  const response = await fetch(url, { signal: AbortSignal.timeout(30_000) });
  const text = await response.text();
  if (!response.ok) throw new Error(`GET ${url}: ${response.status} ${text}`);
  return text;
}

/** Starts the process and resolves once GET /health answers OK. */
function launch(program: string, args: string[], url: string, timeoutMs: number): Promise<ChildProcess> {
  return launchServer({ name: `VictoriaMetrics at ${url}`, program, args, cwd: tmpdir(), isReady: () => isHealthy(url), timeoutMs, pollMs: 25 });
}

async function isHealthy(url: string): Promise<boolean> {
  try {
    const response = await fetch(`${url}/health`, { signal: AbortSignal.timeout(1_000) });
    const text = await response.text();
    return response.status === 200 && text.trim() === 'OK';
  } catch {
    return false;
  }
}

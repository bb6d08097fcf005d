import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { packageRoot } from '../../src/package-root.js';
import { afterEach } from 'vitest';
import { Agent } from '../helpers/agent.js';
import { startVictoriaMetrics, type ExportedSeries, type RunningVictoriaMetrics } from '../helpers/victoria-metrics.js';

/**
 * The agent of the `otlp` end-to-end tests (issue 8, "What it must show" 1): the built CLI
 * with a plugin receiver, `counting`, whose points are known in advance, an `otlp`
 * exporter, and the agent's own counters printed by the console exporter.
 *
 * `counting` emits, every `interval` (on the agent's scheduler), for each of `resources`
 * resources (`service.name` = `<service>-<r>`, `service.instance.id` = `<service>-<r>-i`,
 * `host.name` = `e2e-host`): `test.requests` (a monotonic sum, unit `{request}`, one series
 * per `http.route` = `/r0` … `/r<series-1>`, value = the tick number, started when the
 * receiver started; with `padding`, also `test.padding` = that many characters) and
 * `test.queue.wait` (a gauge, unit `s`, value = tick / 4). Before it emits a tick it appends
 * `{"tick":n,"time":ms}` to `record`: what was sampled, against which what the backend holds
 * is checked. After `ticks` ticks (0: never), or once the fixture's `quiet()` was called, it
 * goes quiet.
 */

export interface CountingOptions {
  interval?: string;
  resources?: number;
  series?: number;
  ticks?: number;
  service?: string;
  /** Length of a `test.padding` attribute on `test.requests` (heavier points); none by default. */
  padding?: number;
}

/** The `otlp` exporter's options (its README), as far as these tests set them. */
export interface OtlpOptions {
  endpoint?: string;
  metricsEndpoint?: string;
  protocol?: 'http/protobuf' | 'http/json';
  compression?: 'gzip' | 'none';
  headers?: Record<string, string>;
  diskQueue?: boolean;
  /** The queue's bound in points (the oldest dropped past it). */
  maxQueuePoints?: number;
}

export interface AgentOptions {
  counting?: CountingOptions;
  otlp: OtlpOptions;
  /** How often the agent's own counters are printed (console, JSON). */
  telemetryInterval?: string;
}

export interface Tick {
  tick: number;
  time: number;
}

export const REQUESTS = 'test_requests_total';
export const QUEUE_WAIT = 'test_queue_wait_seconds';

// The plugin imports the public API as an installed package would: the built entry point.
const API = JSON.stringify(pathToFileURL(join(packageRoot(), 'dist', 'src', 'index.js')).href);
const RXJS = JSON.stringify(pathToFileURL(join(packageRoot(), 'node_modules', 'rxjs', 'dist', 'cjs', 'index.js')).href);

const PLUGIN = `import { appendFileSync, existsSync } from 'node:fs';
import { Resource, SeriesSet, boundedInt, defineReceiver, duration, z } from ${API};
import rxjs from ${RXJS};
export const apiVersion = 1;
const REQUESTS = { name: 'test.requests', unit: '{request}', kind: 'sum', monotonic: true, description: 'ticks so far' };
const WAIT = { name: 'test.queue.wait', unit: 's', kind: 'gauge', description: 'tick / 4' };
export const components = [
  defineReceiver({
    type: 'counting',
    description: 'points known in advance, each tick recorded before it is emitted',
    schema: z.strictObject({
      interval: duration({ min: '1ms' }).prefault('200ms').describe('time between ticks'),
      resources: boundedInt({ min: 1, max: 100000 }).default(1).describe('resources per tick'),
      series: boundedInt({ min: 1, max: 1000 }).default(1).describe('test.requests series per resource'),
      ticks: boundedInt({ min: 0, max: 1000000000 }).default(0).describe('ticks before going quiet; 0: never'),
      service: z.string().default('checkout').describe('service.name prefix'),
      record: z.string().describe('file the ticks are appended to'),
      quiet_file: z.string().describe('no more ticks once this file exists'),
      padding: boundedInt({ min: 0, max: 10000 }).default(0).describe('length of a test.padding attribute on test.requests; 0: none'),
    }),
    create: (config, context) => {
      const sets = Array.from({ length: config.resources }, (_, r) => new SeriesSet(new Resource({
        'service.name': config.service + '-' + r,
        'service.instance.id': config.service + '-' + r + '-i',
        'host.name': 'e2e-host',
      })));
      const startTime = context.scheduler.now();
      const padding = config.padding === 0 ? {} : { 'test.padding': 'p'.repeat(config.padding) };
      let tick = 0;
      return rxjs.timer(0, config.interval, context.scheduler).pipe(
        rxjs.filter(() => (config.ticks === 0 || tick < config.ticks) && !existsSync(config.quiet_file)),
        rxjs.map(() => {
          tick += 1;
          const time = context.scheduler.now();
          appendFileSync(config.record, JSON.stringify({ tick, time }) + '\\n');
          const points = [];
          for (const set of sets) {
            for (let s = 0; s < config.series; s++) {
              points.push({ series: set.get(REQUESTS, { 'http.route': '/r' + s, ...padding }), value: tick, time, startTime });
            }
            points.push({ series: set.get(WAIT), value: tick / 4, time });
          }
          return points;
        }),
      );
    },
  }),
];
`;

export class OtlpFixture {
  readonly dir = mkdtempSync(join(tmpdir(), 'healthpipe-e2e-otlp-'));
  readonly record = join(this.dir, 'ticks.jsonl');
  private readonly quietFile = join(this.dir, 'quiet');
  private agents: Agent[] = [];

  constructor() {
    writeFileSync(join(this.dir, 'counting.mjs'), PLUGIN);
  }

  /** Writes the configuration and returns an agent on it (not started); the data dir is kept across its starts. */
  agent(options: AgentOptions): Agent {
    const file = join(this.dir, 'pipeline.yaml');
    writeFileSync(file, configText(options, this.record, this.quietFile));
    const agent = new Agent(file, this.dir);
    this.agents.push(agent);
    return agent;
  }

  /** No more ticks from the `counting` receiver (it checks before each). */
  quiet(): void {
    writeFileSync(this.quietFile, '');
  }

  /** The ticks recorded so far, across every start of the agent. */
  ticks(): Tick[] {
    if (!existsSync(this.record)) return [];
    return readFileSync(this.record, 'utf8')
      .split('\n')
      .filter((line) => line.trim() !== '')
      .map((line) => JSON.parse(line) as Tick);
  }

  async stop(): Promise<void> {
    for (const agent of this.agents) if (agent.running) await agent.stop('SIGKILL');
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/** Polling for what arrives: generous, for a loaded 2-core machine. */
export const POLL = { timeout: 90_000, interval: 500 };

/**
 * A fixture (and a VictoriaMetrics, when asked) per test, stopped after it: agents killed,
 * VictoriaMetrics stopped, temp directories removed.
 */
export function perTest(): { fixture(): OtlpFixture; withVictoriaMetrics(): Promise<{ vm: RunningVictoriaMetrics; fixture: OtlpFixture }> } {
  let vm: RunningVictoriaMetrics | undefined;
  let fixture: OtlpFixture | undefined;
  afterEach(async () => {
    await fixture?.stop();
    await vm?.stop();
    fixture = vm = undefined;
  });
  const newFixture = (): OtlpFixture => (fixture = new OtlpFixture());
  return {
    fixture: newFixture,
    async withVictoriaMetrics() {
      vm = await startVictoriaMetrics();
      return { vm, fixture: newFixture() };
    },
  };
}

/** The `test.requests` series (`test_requests_total`) VictoriaMetrics holds, with every sample. */
export function requestSeries(vm: RunningVictoriaMetrics, selector = ''): Promise<ExportedSeries[]> {
  return vm.exportSeries(`{__name__="${REQUESTS}"${selector === '' ? '' : `,${selector}`}}`);
}

function configText(options: AgentOptions, record: string, quietFile: string): string {
  const counting = options.counting ?? {};
  const otlp = options.otlp;
  const exporter: Record<string, unknown> = {
    ...(otlp.endpoint === undefined ? {} : { endpoint: otlp.endpoint }),
    ...(otlp.metricsEndpoint === undefined ? {} : { metrics_endpoint: otlp.metricsEndpoint }),
    protocol: otlp.protocol ?? 'http/protobuf',
    compression: otlp.compression ?? 'gzip',
    timeout: '5s',
    disk_queue: otlp.diskQueue ?? false,
    ...(otlp.headers === undefined ? {} : { headers: otlp.headers }),
    ...(otlp.maxQueuePoints === undefined ? {} : { queue: { max_points: otlp.maxQueuePoints } }),
  };
  const receiver = {
    interval: counting.interval ?? '200ms',
    resources: counting.resources ?? 1,
    series: counting.series ?? 1,
    ticks: counting.ticks ?? 0,
    service: counting.service ?? 'checkout',
    padding: counting.padding ?? 0,
    record,
    quiet_file: quietFile,
  };
  // JSON is YAML.
  return JSON.stringify(
    {
      plugins: ['./counting.mjs'],
      receivers: { counting: receiver, internal: { collection_interval: options.telemetryInterval ?? '500ms' } },
      exporters: { otlp: exporter, console: { format: 'json' } },
      service: {
        data_dir: './data',
        shutdown_timeout: '30s',
        pipelines: {
          metrics: { receivers: ['counting'], exporters: ['otlp'] },
          'metrics/self': { receivers: ['internal'], exporters: ['console'] },
        },
      },
    },
    null,
    2,
  );
}

/**
 * The agent's own count `name` for the otlp exporter (`healthpipe.exporter.dropped`, …) as
 * last printed: the latest value of each series whose attributes include `attributes`
 * (`reason`, say), summed; 0 before the first.
 */
export function ownCount(agent: Agent, name: string, attributes: Record<string, string> = {}): number {
  const wanted = { component: 'otlp', ...attributes };
  const latest = new Map<string, number>();
  for (const point of agent.points) {
    if (point.name !== name || !Object.entries(wanted).every(([key, value]) => point.attributes[key] === value)) continue;
    latest.set(JSON.stringify(point.attributes), point.value);
  }
  return [...latest.values()].reduce((sum, value) => sum + value, 0);
}

/** The latest time (ms) of a printed own count: a reading taken after a moment shows what had happened by then. */
export function lastReading(agent: Agent, name: string): number {
  const times = agent.points.filter((point) => point.name === name).map((point) => Date.parse(point.time));
  return times.length === 0 ? 0 : Math.max(...times);
}

/** Every timestamp a set of exported series holds, with how often it is there, per series. */
export function timestampCounts(series: readonly ExportedSeries[]): Map<string, Map<number, number>> {
  const bySeries = new Map<string, Map<number, number>>();
  for (const one of series) {
    const { __name__: name, ...labels } = one.metric;
    const key = `${name ?? ''}${JSON.stringify(labels)}`;
    const counts = bySeries.get(key) ?? new Map<number, number>();
    for (const time of one.timestamps) counts.set(time, (counts.get(time) ?? 0) + 1);
    bySeries.set(key, counts);
  }
  return bySeries;
}

/** Ticks whose time is missing from a series' counts. */
export function missingTicks(ticks: readonly Tick[], counts: ReadonlyMap<number, number> | undefined): Tick[] {
  return ticks.filter((tick) => (counts?.get(tick.time) ?? 0) === 0);
}

/** The resident set size of a process, in bytes (Linux /proc). */
export function rssOf(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const match = /^VmRSS:\s+(\d+) kB$/m.exec(status);
  if (match === null) throw new Error(`no VmRSS in /proc/${pid}/status`);
  return Number(match[1]) * 1024;
}
